using System.Xml.Linq;
using Archivum.Archive.Audit;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Tests.Audit;

/// <summary>
/// The audit trail's hash chain: intact after appends (from several writers), and broken, at the
/// right record, by each way a person with the database file could try to hide something.
/// </summary>
public sealed class AuditTrailTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-audit-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private AuditTrail TrailOf(int records)
    {
        var trail = AuditTrail.Open(_folder);
        for (int i = 1; i <= records; i++)
        {
            trail.Append(new AuditRecord(AuditEvents.InstancesAccessed, AuditAction.Read, AuditOutcome.Success)
            {
                User = i % 2 == 0 ? "dr.grey" : "dr.house",
                Address = "10.0.0." + i,
                Detail = $"access {i}",
                Objects = [AuditObject.Patient($"P{i % 3}"), AuditObject.Study($"1.2.3.{i}")],
            });
        }
        return trail;
    }

    private void Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "audit.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Appended_records_verify_and_are_found_by_patient_user_and_study()
    {
        var trail = TrailOf(10);
        Assert.Equal(new AuditVerification(10, null, null), trail.Verify());
        Assert.Equal([1L, 4, 7, 10], trail.Find(new AuditFilter(PatientId: "P1")).Select(r => r.Seq));
        Assert.Equal(5, trail.Find(new AuditFilter(User: "dr.grey")).Count);
        Assert.Equal([3L], trail.Find(new AuditFilter(StudyUid: "1.2.3.3")).Select(r => r.Seq)); // not 1.2.3.30 nor 1.2.3
        Assert.Empty(trail.Find(new AuditFilter(StudyUid: "1.2.3")));
        Assert.Equal(10, trail.Find(new AuditFilter(EventCode: "110103")).Count);
        Assert.Empty(trail.Find(new AuditFilter(From: DateTimeOffset.UtcNow.AddMinutes(1))));
    }

    [Fact]
    public void Writers_in_parallel_keep_one_chain()
    {
        var trails = Enumerable.Range(0, 4).Select(_ => AuditTrail.Open(_folder)).ToList();
        Parallel.ForEach(trails, trail =>
        {
            for (int i = 0; i < 25; i++)
            {
                trail.Append(new AuditRecord(AuditEvents.Query, AuditAction.Execute, AuditOutcome.Success) { User = "u" + i });
            }
        });
        Assert.Equal(new AuditVerification(100, null, null), trails[0].Verify());
    }

    [Theory]
    [InlineData("UPDATE audit SET detail = 'nothing to see' WHERE seq = 3", 3L, "edited")]
    [InlineData("UPDATE audit SET patient = 'P9' WHERE seq = 4", 4L, "edited")]
    [InlineData("UPDATE audit SET message = replace(message, 'dr.house', 'dr.nobody') WHERE seq = 5", 5L, "edited")]
    [InlineData("DELETE FROM audit WHERE seq = 2", 3L, "missing")]
    [InlineData("DELETE FROM audit WHERE seq >= 5", 5L, "gone")]
    [InlineData("DELETE FROM audit", 1L, "gone")]
    // Swapping two records' places (their contents move, the numbers stay).
    [InlineData("UPDATE audit SET seq = -2 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = -2", 2L, "does not follow")]
    public void Any_edit_removal_or_reordering_breaks_the_chain_where_it_happened(string tampering, long brokenAt, string reason)
    {
        var trail = TrailOf(6);
        Sql(tampering);
        var result = trail.Verify();
        Assert.False(result.Intact);
        Assert.Equal(brokenAt, result.BrokenAt);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Recomputing_an_edited_records_hash_breaks_the_next_link()
    {
        var trail = TrailOf(6);
        var row = trail.Find(new AuditFilter()).Single(r => r.Seq == 3);
        // The forger edits record 3 and gives it the hash that fits its new content: record 4 still names the old one.
        string forged = AuditTrail.HashOf(row with { Detail = "edited" });
        Sql($"UPDATE audit SET detail = 'edited', hash = '{forged}' WHERE seq = 3");
        var result = trail.Verify();
        Assert.Equal(4L, result.BrokenAt);
        Assert.Contains("does not follow", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_record_holds_a_PS3_15_audit_message()
    {
        var trail = AuditTrail.Open(_folder, "ARCHIVUM");
        trail.Append(new AuditRecord(AuditEvents.Query, AuditAction.Execute, AuditOutcome.MinorFailure)
        {
            EventType = AuditEventTypes.Login,
            User = "dr.grey",
            Role = "clinician",
            Address = "192.0.2.7",
            Detail = "GET /dicomweb/studies?PatientID=P1 answered 403",
            Objects = [AuditObject.Patient("P1"), AuditObject.QueryOn("/dicomweb/studies", "?PatientID=P1")],
        });
        var message = XElement.Parse(trail.Find(new AuditFilter()).Single().Message);
        Assert.Equal("AuditMessage", message.Name.LocalName);
        Assert.Equal(["EventIdentification", "ActiveParticipant", "ActiveParticipant", "AuditSourceIdentification", "ParticipantObjectIdentification", "ParticipantObjectIdentification"],
            message.Elements().Select(e => e.Name.LocalName));
        var identification = message.Element("EventIdentification")!;
        Assert.Equal(("E", "4"), ((string)identification.Attribute("EventActionCode")!, (string)identification.Attribute("EventOutcomeIndicator")!));
        Assert.Equal(("110112", "DCM", "Query"), Code(identification.Element("EventID")!));
        var requestor = message.Elements("ActiveParticipant").First();
        Assert.Equal(("dr.grey", "true", "192.0.2.7", "2"), ((string)requestor.Attribute("UserID")!, (string)requestor.Attribute("UserIsRequestor")!,
            (string)requestor.Attribute("NetworkAccessPointID")!, (string)requestor.Attribute("NetworkAccessPointTypeCode")!));
        Assert.Equal("ARCHIVUM", (string)message.Element("AuditSourceIdentification")!.Attribute("AuditSourceID")!);
        var objects = message.Elements("ParticipantObjectIdentification").ToList();
        Assert.Equal(("P1", "1", "1"), ((string)objects[0].Attribute("ParticipantObjectID")!, (string)objects[0].Attribute("ParticipantObjectTypeCode")!, (string)objects[0].Attribute("ParticipantObjectTypeCodeRole")!));
        Assert.Equal("?PatientID=P1", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)objects[1].Element("ParticipantObjectQuery")!)));
    }

    private static (string, string, string) Code(XElement code) =>
        ((string)code.Attribute("csd-code")!, (string)code.Attribute("codeSystemName")!, (string)code.Attribute("originalText")!);
}
