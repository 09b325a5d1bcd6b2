using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Dicom.Network.Tests.Services.Support;

/// <summary>A retrieve handler that resolves every identifier to the same corpus files (or fails as told).</summary>
internal sealed class FileRetriever(Exception? failure, params string[] files) : IRetrieveHandler
{
    public DimseRequest? LastRequest { get; private set; }

    public DicomDataset? LastIdentifier { get; private set; }

    public ValueTask<IReadOnlyList<RetrieveInstance>> ResolveAsync(DimseRequest request, DicomDataset identifier, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
    {
        LastRequest = request;
        LastIdentifier = identifier;
        if (failure is not null)
        {
            throw failure;
        }
        return ValueTask.FromResult<IReadOnlyList<RetrieveInstance>>([.. files.Select(f => RetrieveInstance.FromFile(Corpus.Path(f)))]);
    }
}
