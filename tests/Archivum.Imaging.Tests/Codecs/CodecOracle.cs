using Archivum.Dicom.Model;

namespace Archivum.Imaging.Tests.Codecs;

/// <summary>An outside encoder and decoder of one transfer syntax (DCMTK's or GDCM's command-line tools), file to file.</summary>
internal sealed record CodecOracle(string SyntaxUid, string[] Encode, string[] Decode, int DecodeTolerance = 0)
{
    public static IReadOnlyList<CodecOracle> All { get; } =
    [
        new(DicomTransferSyntax.RLELossless.Uid, ["dcmcrle"], ["dcmdrle"]),
        // DCT decoders may round differently from libjpeg's integer IDCT: the stated bound is one unit.
        new(DicomTransferSyntax.JPEGBaseline8Bit.Uid, ["dcmcjpeg", "+eb"], ["dcmdjpeg"], DecodeTolerance: 1),
        new(DicomTransferSyntax.JPEGExtended12Bit.Uid, ["dcmcjpeg", "+ee"], ["dcmdjpeg"], DecodeTolerance: 1),
        new(DicomTransferSyntax.JPEGLossless.Uid, ["dcmcjpeg", "+el"], ["dcmdjpeg"]),
        new(DicomTransferSyntax.JPEGLosslessSV1.Uid, ["dcmcjpeg", "+e1"], ["dcmdjpeg"]),
        new(DicomTransferSyntax.JPEGLSLossless.Uid, ["dcmcjpls", "+el"], ["dcmdjpls"]),
        // DCMTK's near-lossless encoder refuses signed pixels and writes colour its decoder cannot read: GDCM's (CharLS inside) makes these.
        new(DicomTransferSyntax.JPEGLSNearLossless.Uid, ["gdcmconv", "--jpegls", "--lossy", "--allowed-error", "2"], ["dcmdjpls"]),
        // DCMTK has no JPEG 2000 codec: GDCM's tools (OpenJPEG inside) encode and decode (gdcmconv --j2k crashes on
        // SC_rgb_small_odd and its decoder refuses 32-bit components, so those are not among the inputs).
        new(DicomTransferSyntax.JPEG2000Lossless.Uid, ["gdcmconv", "--j2k"], ["gdcmconv", "--raw"]),
        new(DicomTransferSyntax.JPEG2000.Uid, ["gdcmconv", "--j2k", "--lossy", "--irreversible"], ["gdcmconv", "--raw"]),
    ];

    public static CodecOracle For(string syntaxUid) => All.Single(o => o.SyntaxUid == syntaxUid);

    public DicomTransferSyntax Syntax => DicomTransferSyntax.Get(SyntaxUid);

    public void EncodeFile(string input, string output) => Tools.Run(Encode[0], [.. Encode[1..], input, output]);

    public void DecodeFile(string input, string output) => Tools.Run(Decode[0], [.. Decode[1..], input, output]);
}
