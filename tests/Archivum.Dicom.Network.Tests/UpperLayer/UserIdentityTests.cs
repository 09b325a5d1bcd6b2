using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>User identity negotiation (PS3.7 D.3.3.7) from our client to our server's authorisation hook.</summary>
public sealed class UserIdentityTests
{
    private static AssociationRequestOptions Request(UserIdentity? identity) => new()
    {
        CallingAETitle = "VIEWER",
        CalledAETitle = TestServer.AETitle,
        PresentationContexts = [new(Dimse.Verification, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])],
        UserIdentity = identity,
    };

    private static UserIdentity Password(string user, string password) =>
        new(UserIdentityType.UsernameAndPasscode, System.Text.Encoding.UTF8.GetBytes(user), System.Text.Encoding.UTF8.GetBytes(password), PositiveResponseRequested: true);

    [Fact(Timeout = 60_000)]
    public async Task TheHookSeesTheIdentityAndDecides()
    {
        var policy = TestServer.DefaultPolicy();
        policy.AuthorizeAsync = (request, _) => ValueTask.FromResult(
            request.UserIdentity is { Type: UserIdentityType.UsernameAndPasscode } id && id.PrimaryText == "alice" && id.SecondaryText == "s3cret"
                ? null
                : AssociationRejection.NoReason);
        await using var server = TestServer.Start(policy);

        await using (var association = await DicomClient.ConnectAsync("127.0.0.1", server.Port, Request(Password("alice", "s3cret"))))
        {
            await association.SendAsync(1, Dimse.EchoRequest(1), null, CancellationToken.None);
            Assert.NotNull(await association.ReceiveCommandAsync(CancellationToken.None));
            await association.ReleaseAsync();
        }
        var seen = Assert.Single(server.Associations);
        Assert.Equal("alice", seen.UserIdentity!.PrimaryText);

        var wrong = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.ConnectAsync("127.0.0.1", server.Port, Request(Password("alice", "guess"))));
        Assert.Equal(1, wrong.Reason);
        await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.ConnectAsync("127.0.0.1", server.Port, Request(null)));
    }

    [Fact(Timeout = 60_000)]
    public async Task AFailingHookRejectsTransientlyAndTheServerGoesOn()
    {
        var policy = TestServer.DefaultPolicy();
        int calls = 0;
        policy.AuthorizeAsync = (_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("account database unavailable")
            : ValueTask.FromResult<AssociationRejection?>(null);
        await using var server = TestServer.Start(policy);
        var e = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.ConnectAsync("127.0.0.1", server.Port, Request(null)));
        Assert.Equal(Archivum.Dicom.Network.Pdus.RejectResult.Transient, e.Result);
        await using var association = await DicomClient.ConnectAsync("127.0.0.1", server.Port, Request(null));
        await association.ReleaseAsync();
    }
}
