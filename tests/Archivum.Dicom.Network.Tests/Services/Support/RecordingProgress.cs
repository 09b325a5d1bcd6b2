using Archivum.Dicom.Network.Services;

namespace Archivum.Dicom.Network.Tests.Services.Support;

/// <summary>Keeps every progress report, synchronously (Progress&lt;T&gt; would post them elsewhere).</summary>
internal sealed class RecordingProgress : IProgress<SubOperationCounts>
{
    public List<SubOperationCounts> Reports { get; } = [];

    public void Report(SubOperationCounts value) => Reports.Add(value);
}
