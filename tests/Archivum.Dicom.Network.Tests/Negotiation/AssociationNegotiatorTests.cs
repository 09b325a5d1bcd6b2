using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Tests.Negotiation;

public sealed class AssociationNegotiatorTests
{
    private const string CT = "1.2.840.10008.5.1.4.1.1.2";
    private const string MR = "1.2.840.10008.5.1.4.1.1.4";
    private const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";
    private const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    private static readonly string ILE = DicomTransferSyntax.ImplicitVRLittleEndian.Uid;
    private static readonly string ELE = DicomTransferSyntax.ExplicitVRLittleEndian.Uid;
    private static readonly string JpegLossless = DicomTransferSyntax.JPEGLosslessSV1.Uid;
    private static readonly string JpegBaseline = DicomTransferSyntax.JPEGBaseline8Bit.Uid;

    private static AssociationPolicy Policy()
    {
        var policy = new AssociationPolicy().AcceptVerification().AcceptAllStorage().AcceptQueryRetrieve();
        policy.AETitles.Add("ARCHIVUM");
        return policy;
    }

    private static AssociateRequestPdu Request(params PresentationContextRequest[] contexts) => new()
    {
        CalledAETitle = "ARCHIVUM",
        CallingAETitle = "MODALITY",
        PresentationContexts = contexts,
        UserInformation = new UserInformation { MaxPduLength = 16384, ImplementationClassUid = "1.2.3" },
    };

    [Fact]
    public void RejectsAnUnknownCalledAETitleWithReason7()
    {
        var request = Request(new PresentationContextRequest(1, AssociationPolicy.VerificationSopClass, [ILE]));
        var result = AssociationNegotiator.Negotiate(new AssociateRequestPdu
        {
            CalledAETitle = "OTHER",
            CallingAETitle = request.CallingAETitle,
            PresentationContexts = request.PresentationContexts,
        }, Policy());
        Assert.Equal(new AssociationRejection(RejectResult.Permanent, RejectSource.ServiceUser, 7), result.Rejection);
        Assert.Contains("called AE title not recognised", result.Rejection!.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsAnyCalledAETitleWhenNotRequired()
    {
        var policy = Policy();
        policy.RequireCalledAETitleMatch = false;
        var result = AssociationNegotiator.Negotiate(new AssociateRequestPdu
        {
            CalledAETitle = "OTHER",
            CallingAETitle = "X",
            PresentationContexts = [new(1, AssociationPolicy.VerificationSopClass, [ILE])],
        }, policy);
        Assert.True(result.IsAccepted);
    }

    [Fact]
    public void RejectsAnUnlistedCallingAETitleWithReason3()
    {
        var policy = Policy();
        policy.AllowedCallingAETitles = new HashSet<string> { "CT1" };
        var result = AssociationNegotiator.Negotiate(Request(new PresentationContextRequest(1, CT, [ILE])), policy);
        Assert.Equal(AssociationRejection.CallingAETitleNotRecognized, result.Rejection);
    }

    [Fact]
    public void RejectsAnotherApplicationContextAndProtocolVersion()
    {
        var contexts = new[] { new PresentationContextRequest(1, CT, [ILE]) };
        var wrongContext = new AssociateRequestPdu { CalledAETitle = "ARCHIVUM", CallingAETitle = "X", ApplicationContextName = "1.2.3.4", PresentationContexts = contexts };
        Assert.Equal(new AssociationRejection(RejectResult.Permanent, RejectSource.ServiceUser, 2), AssociationNegotiator.Negotiate(wrongContext, Policy()).Rejection);
        var wrongVersion = new AssociateRequestPdu { CalledAETitle = "ARCHIVUM", CallingAETitle = "X", ProtocolVersion = 2, PresentationContexts = contexts };
        Assert.Equal(new AssociationRejection(RejectResult.Permanent, RejectSource.ServiceProviderAcse, 2), AssociationNegotiator.Negotiate(wrongVersion, Policy()).Rejection);
    }

    [Fact]
    public void PerContextResultsFollowTable9_18()
    {
        var policy = new AssociationPolicy().Accept(CT, ELE, ILE).AcceptVerification();
        policy.AETitles.Add("ARCHIVUM");
        var result = AssociationNegotiator.Negotiate(Request(
            new PresentationContextRequest(1, CT, [ILE, ELE]),
            new PresentationContextRequest(3, MR, [ILE]),
            new PresentationContextRequest(5, CT, [JpegBaseline]),
            new PresentationContextRequest(7, AssociationPolicy.VerificationSopClass, [ILE])), policy, null);
        var contexts = result.Accept!.PresentationContexts;
        Assert.Equal(new PresentationContextResult(1, PresentationContextResultReason.Acceptance, ILE), contexts[0]); // the proposer's first that we take
        Assert.Equal(PresentationContextResultReason.AbstractSyntaxNotSupported, contexts[1].Result);
        Assert.Equal(PresentationContextResultReason.TransferSyntaxesNotSupported, contexts[2].Result);
        Assert.Equal(PresentationContextResultReason.Acceptance, contexts[3].Result);
        Assert.Equal([1, 7], result.Association!.PresentationContexts.Select(c => (int)c.Id));
        Assert.Equal(16384u, result.Association.PeerMaxPduLength);
        Assert.Equal(policy.MaxPduLength, result.Accept.UserInformation.MaxPduLength);
        Assert.Equal(ArchivumImplementation.ClassUid, result.Accept.UserInformation.ImplementationClassUid);
        Assert.Equal(ArchivumImplementation.VersionName, result.Accept.UserInformation.ImplementationVersionName);
        Assert.Equal("1.2.3", result.Association.PeerImplementationClassUid);
        Assert.False(result.Association.IsRequestor);
    }

    [Fact]
    public void Storage_takes_the_proposers_first_syntax_or_with_our_order_lossless_compression_then_uncompressed_then_lossy()
    {
        var request = Request(
            new PresentationContextRequest(1, CT, [JpegBaseline, ILE, JpegLossless]),
            new PresentationContextRequest(3, CT, [JpegBaseline, ILE]),
            new PresentationContextRequest(5, CT, [JpegBaseline]));
        Assert.Equal([JpegBaseline, JpegBaseline, JpegBaseline], AssociationNegotiator.Negotiate(request, Policy()).Accept!.PresentationContexts.Select(c => c.TransferSyntax));
        var ours = Policy();
        ours.PreferOwnTransferSyntaxOrder = true;
        Assert.Equal([JpegLossless, ILE, JpegBaseline], AssociationNegotiator.Negotiate(request, ours).Accept!.PresentationContexts.Select(c => c.TransferSyntax));
    }

    [Fact]
    public void StorageSopClassesComeFromTheRegistry()
    {
        var storage = AssociationPolicy.StorageSopClasses().ToHashSet();
        Assert.Contains(CT, storage);
        Assert.Contains("1.2.840.10008.5.1.4.1.1.88.11", storage); // Basic Text SR
        Assert.Contains("1.2.840.10008.5.1.4.1.1.1.1", storage); // Digital X-Ray For Presentation
        Assert.DoesNotContain("1.2.840.10008.1.20.1", storage); // storage commitment
        Assert.DoesNotContain("1.2.840.10008.1.3.10", storage); // DICOMDIR
        Assert.DoesNotContain(AssociationPolicy.VerificationSopClass, storage);
        Assert.True(storage.Count > 100, $"{storage.Count} storage SOP classes");
    }

    [Fact]
    public void RoleSelectionIsGrantedOnlyWherePolicyAllows()
    {
        var policy = Policy().AllowRequestorAsScp(CT);
        var request = new AssociateRequestPdu
        {
            CalledAETitle = "ARCHIVUM",
            CallingAETitle = "GETSCU",
            PresentationContexts = [new(1, StudyRootGet, [ILE]), new(3, CT, [ILE]), new(5, MR, [ILE])],
            UserInformation = new UserInformation { RoleSelections = [new(CT, true, true), new(MR, false, true)] },
        };
        var result = AssociationNegotiator.Negotiate(request, policy);
        var info = result.Association!;
        Assert.Equal(new AcceptedPresentationContext(1, StudyRootGet, ILE, true, false), info.FindContext(1));
        Assert.Equal(new AcceptedPresentationContext(3, CT, ILE, true, true), info.FindContext(3));
        // MR: only the SCP role was asked for, and it is refused: nothing left, the context is rejected.
        Assert.Null(info.FindContext(5));
        Assert.Equal(PresentationContextResultReason.UserRejection, result.Accept!.PresentationContexts[2].Result);
        Assert.Equal([new RoleSelection(CT, true, true), new RoleSelection(MR, false, false)], result.Accept.UserInformation.RoleSelections);
    }

    [Fact]
    public void ExtendedNegotiationIsAnsweredForAcceptedSopClassesOnly()
    {
        var policy = Policy();
        policy.ExtendedNegotiation = (sop, info) => sop == StudyRootFind ? new byte[] { 1, 0, 0 } : null; // relational queries (PS3.4 C.5.1.1)
        var request = new AssociateRequestPdu
        {
            CalledAETitle = "ARCHIVUM",
            CallingAETitle = "FINDSCU",
            PresentationContexts = [new(1, StudyRootFind, [ILE])],
            UserInformation = new UserInformation { ExtendedNegotiations = [new(StudyRootFind, new byte[] { 1 }), new("1.2.3.4", new byte[] { 1 })] },
        };
        var result = AssociationNegotiator.Negotiate(request, policy);
        var reply = Assert.Single(result.Accept!.UserInformation.ExtendedNegotiations);
        Assert.Equal(StudyRootFind, reply.SopClassUid);
        Assert.Equal([1, 0, 0], result.Association!.ExtendedNegotiation[StudyRootFind].ToArray());
    }

    [Fact]
    public void AsyncWindowAndIdentityAreAnswered()
    {
        var policy = Policy();
        policy.AsyncOperationsWindow = new AsyncOperationsWindow(5, 5);
        var identity = new UserIdentity(UserIdentityType.UsernameAndPasscode, "alice"u8.ToArray(), "secret"u8.ToArray(), true);
        var request = new AssociateRequestPdu
        {
            CalledAETitle = "ARCHIVUM",
            CallingAETitle = "X",
            PresentationContexts = [new(1, CT, [ILE])],
            UserInformation = new UserInformation { AsyncOperationsWindow = new AsyncOperationsWindow(0, 3), UserIdentity = identity },
        };
        var result = AssociationNegotiator.Negotiate(request, policy);
        Assert.Equal(new AsyncOperationsWindow(5, 3), result.Accept!.UserInformation.AsyncOperationsWindow);
        Assert.Equal(5, result.Association!.MaxOperationsInvoked);
        Assert.Equal(3, result.Association.MaxOperationsPerformed);
        Assert.NotNull(result.Accept.UserInformation.UserIdentityServerResponse);
        Assert.Equal("alice", result.Association.UserIdentity!.PrimaryText);
        Assert.DoesNotContain("secret", result.Association.UserIdentity.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(1, 1)]
    public void EvenOrDuplicateContextIdsAreProtocolErrors(byte first, byte second)
    {
        var request = Request(new PresentationContextRequest(first, CT, [ILE]), new PresentationContextRequest(second, MR, [ILE]));
        var e = Assert.Throws<DicomPduException>(() => AssociationNegotiator.Negotiate(request, Policy()));
        Assert.Equal(AbortReason.InvalidPduParameterValue, e.Reason);
    }

    [Fact]
    public void RequestorReadsOnlyAcceptedContextsAndDefaultRolesWhenTheAcceptorDropsTheRoleItem()
    {
        var options = new AssociationRequestOptions
        {
            CallingAETitle = "GETSCU",
            CalledAETitle = "ARCHIVUM",
            PresentationContexts = [new(StudyRootGet, [ILE]), new(CT, [ELE, ILE], ScuRole: true, ScpRole: true), new(MR, [ILE], ScuRole: false, ScpRole: true)],
            MaxPduLength = 32768,
        };
        var rq = RequestorNegotiation.BuildRequest(options);
        Assert.Equal([1, 3, 5], rq.PresentationContexts.Select(c => (int)c.Id));
        Assert.Equal([new RoleSelection(CT, true, true), new RoleSelection(MR, false, true)], rq.UserInformation.RoleSelections);

        var ac = new AssociateAcceptPdu
        {
            PresentationContexts =
            [
                new(1, PresentationContextResultReason.Acceptance, ILE),
                new(3, PresentationContextResultReason.Acceptance, ILE),
                new(5, PresentationContextResultReason.AbstractSyntaxNotSupported, ""),
            ],
            UserInformation = new UserInformation { MaxPduLength = 0, ImplementationClassUid = "9.9" }, // no role selection returned
        };
        var info = RequestorNegotiation.ReadAccept(rq, ac);
        Assert.True(info.IsRequestor);
        Assert.Equal(2, info.PresentationContexts.Count);
        Assert.Equal(new AcceptedPresentationContext(3, CT, ILE, true, false), info.FindContext(3));
        Assert.Equal(0u, info.PeerMaxPduLength);
        Assert.Equal(32768u, info.OwnMaxPduLength);

        // With the role item returned, the roles are as accepted.
        var withRoles = new AssociateAcceptPdu { PresentationContexts = ac.PresentationContexts, UserInformation = new UserInformation { RoleSelections = [new(CT, true, true)] } };
        Assert.True(RequestorNegotiation.ReadAccept(rq, withRoles).FindContext(3)!.RequestorIsScp);
    }

    [Fact]
    public void RequestorRefusesAnAcceptanceOfWhatItDidNotPropose()
    {
        var rq = RequestorNegotiation.BuildRequest(new AssociationRequestOptions { CallingAETitle = "A", CalledAETitle = "B", PresentationContexts = [new(CT, [ELE])] });
        var e = Assert.Throws<DicomPduException>(() => RequestorNegotiation.ReadAccept(rq, new AssociateAcceptPdu { PresentationContexts = [new(1, PresentationContextResultReason.Acceptance, ILE)] }));
        Assert.Contains("did not propose", e.Message, StringComparison.Ordinal);
    }
}
