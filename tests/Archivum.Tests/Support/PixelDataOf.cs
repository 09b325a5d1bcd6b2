namespace Archivum.Tests.Support;

/// <summary>The Pixel Data of an uncompressed file as our reader reads it (where a test compares what an oracle decoded with what we sent).</summary>
internal static class PixelDataOf
{
    public static byte[] File(string path) =>
        ((Dicom.Model.DicomValueElement)Dicom.Model.DicomFile.Open(path).Dataset[Dicom.Dictionary.DicomTags.PixelData]!).Memory.ToArray();
}
