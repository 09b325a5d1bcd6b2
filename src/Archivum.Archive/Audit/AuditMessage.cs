using System.Globalization;
using System.Text;
using System.Xml;

namespace Archivum.Archive.Audit;

/// <summary>
/// Writes an audit record as the DICOM audit message of PS3.15 A.5.1 (the schema derived from
/// RFC 3881 that IHE ATNA collectors read): EventIdentification, the requesting ActiveParticipant
/// and the archive itself as the other, AuditSourceIdentification, then one
/// ParticipantObjectIdentification per object touched.
/// </summary>
public static class AuditMessage
{
    public static string Write(AuditRecord record, string auditSource)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false }))
        {
            xml.WriteStartElement("AuditMessage");
            xml.WriteStartElement("EventIdentification");
            xml.WriteAttributeString("EventActionCode", record.Action switch
            {
                AuditAction.Create => "C",
                AuditAction.Read => "R",
                AuditAction.Update => "U",
                AuditAction.Delete => "D",
                _ => "E",
            });
            xml.WriteAttributeString("EventDateTime", record.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("EventOutcomeIndicator", ((int)record.Outcome).ToString(CultureInfo.InvariantCulture));
            Code(xml, "EventID", record.Event);
            if (record.EventType is { } type)
            {
                Code(xml, "EventTypeCode", type);
            }
            if (record.Detail is { } detail)
            {
                xml.WriteElementString("EventOutcomeDescription", detail);
            }
            xml.WriteEndElement();

            xml.WriteStartElement("ActiveParticipant");
            xml.WriteAttributeString("UserID", record.User ?? "unknown");
            if (record.Role is { } role)
            {
                xml.WriteAttributeString("UserName", $"{record.User} ({role})");
            }
            xml.WriteAttributeString("UserIsRequestor", "true");
            if (record.Address is { } address)
            {
                xml.WriteAttributeString("NetworkAccessPointID", address);
                // 1 = machine name, 2 = IP address (RFC 3881).
                xml.WriteAttributeString("NetworkAccessPointTypeCode", System.Net.IPAddress.TryParse(address, out _) ? "2" : "1");
            }
            Code(xml, "RoleIDCode", AuditEvents.Dcm("110153", "Source Role ID"));
            xml.WriteEndElement();

            xml.WriteStartElement("ActiveParticipant");
            xml.WriteAttributeString("UserID", auditSource);
            xml.WriteAttributeString("AlternativeUserID", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("UserIsRequestor", "false");
            Code(xml, "RoleIDCode", AuditEvents.Dcm("110150", "Application"));
            xml.WriteEndElement();

            xml.WriteStartElement("AuditSourceIdentification");
            xml.WriteAttributeString("AuditSourceID", auditSource);
            // 4 = application server process tier (RFC 3881 / PS3.15 A.5.2.4).
            Code(xml, "AuditSourceTypeCode", new AuditCode("4", "DCM", "Application Server"));
            xml.WriteEndElement();

            foreach (var item in record.Objects)
            {
                xml.WriteStartElement("ParticipantObjectIdentification");
                xml.WriteAttributeString("ParticipantObjectID", item.Id);
                xml.WriteAttributeString("ParticipantObjectTypeCode", item.TypeCode.ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("ParticipantObjectTypeCodeRole", item.TypeCodeRole.ToString(CultureInfo.InvariantCulture));
                Code(xml, "ParticipantObjectIDTypeCode", item.IdType);
                if (item.Query is { } query)
                {
                    xml.WriteElementString("ParticipantObjectQuery", Convert.ToBase64String(Encoding.UTF8.GetBytes(query)));
                }
                if (item.Detail is { } objectDetail)
                {
                    xml.WriteStartElement("ParticipantObjectDetail");
                    xml.WriteAttributeString("type", "Detail");
                    xml.WriteAttributeString("value", Convert.ToBase64String(Encoding.UTF8.GetBytes(objectDetail)));
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return text.ToString();
    }

    private static void Code(XmlWriter xml, string element, AuditCode code)
    {
        xml.WriteStartElement(element);
        xml.WriteAttributeString("csd-code", code.Code);
        xml.WriteAttributeString("codeSystemName", code.System);
        xml.WriteAttributeString("originalText", code.Display);
        xml.WriteEndElement();
    }
}
