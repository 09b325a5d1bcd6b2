using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Archivum.Dicom.Model;

/// <summary>
/// A transfer syntax (PS3.5 §10): how a data set is encoded. Known syntaxes are singletons;
/// an unknown UID is treated as explicit VR little endian with encapsulated pixel data, which is
/// what every transfer syntax defined since 1993 is (PS3.5 §10.1, Annex A.4).
/// </summary>
public sealed class DicomTransferSyntax
{
    private DicomTransferSyntax(string uid, string name, bool explicitVR, bool littleEndian, bool deflated, bool encapsulated, bool lossy, bool retired = false)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = explicitVR;
        IsLittleEndian = littleEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
        IsLossy = lossy;
        IsRetired = retired;
    }

    public string Uid { get; }
    public string Name { get; }
    public bool IsExplicitVR { get; }
    public bool IsLittleEndian { get; }
    public bool IsDeflated { get; }
    public bool IsEncapsulated { get; }
    public bool IsLossy { get; }
    public bool IsRetired { get; }

    /// <summary>True when the UID is not one this build knows; its encoding is assumed, not known.</summary>
    public bool IsUnknown { get; private init; }

    public static DicomTransferSyntax ImplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, true, false, false, false);
    public static DicomTransferSyntax ExplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, true, false, false, false);
    public static DicomTransferSyntax EncapsulatedUncompressedExplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", true, true, false, true, false);
    public static DicomTransferSyntax DeflatedExplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, true, true, false, false);
    public static DicomTransferSyntax ExplicitVRBigEndian { get; } = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, false, false, false, false, retired: true);
    public static DicomTransferSyntax JPEGBaseline8Bit { get; } = new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, true, false, true, true);
    public static DicomTransferSyntax JPEGExtended12Bit { get; } = new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, true, false, true, true);
    public static DicomTransferSyntax JPEGLossless { get; } = new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, true, false, true, false);
    public static DicomTransferSyntax JPEGLosslessSV1 { get; } = new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", true, true, false, true, false);
    public static DicomTransferSyntax JPEGLSLossless { get; } = new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", true, true, false, true, false);
    public static DicomTransferSyntax JPEGLSNearLossless { get; } = new("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", true, true, false, true, true);
    public static DicomTransferSyntax JPEG2000Lossless { get; } = new("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", true, true, false, true, false);
    public static DicomTransferSyntax JPEG2000 { get; } = new("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", true, true, false, true, true);
    public static DicomTransferSyntax JPEG2000MCLossless { get; } = new("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)", true, true, false, true, false);
    public static DicomTransferSyntax JPEG2000MC { get; } = new("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression", true, true, false, true, true);
    public static DicomTransferSyntax MPEG2MPML { get; } = new("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", true, true, false, true, true);
    public static DicomTransferSyntax MPEG4HP41 { get; } = new("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", true, true, false, true, true);
    public static DicomTransferSyntax HEVCMP51 { get; } = new("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1", true, true, false, true, true);
    public static DicomTransferSyntax HTJ2KLossless { get; } = new("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", true, true, false, true, false);
    public static DicomTransferSyntax HTJ2KLosslessRPCL { get; } = new("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)", true, true, false, true, false);
    public static DicomTransferSyntax HTJ2K { get; } = new("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression", true, true, false, true, true);
    public static DicomTransferSyntax RLELossless { get; } = new("1.2.840.10008.1.2.5", "RLE Lossless", true, true, false, true, false);

    /// <summary>Every transfer syntax this build knows by UID.</summary>
    public static IReadOnlyList<DicomTransferSyntax> Known { get; } =
    [
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, EncapsulatedUncompressedExplicitVRLittleEndian,
        DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian, JPEGBaseline8Bit, JPEGExtended12Bit, JPEGLossless,
        JPEGLosslessSV1, JPEGLSLossless, JPEGLSNearLossless, JPEG2000Lossless, JPEG2000, JPEG2000MCLossless,
        JPEG2000MC, MPEG2MPML, MPEG4HP41, HEVCMP51, HTJ2KLossless, HTJ2KLosslessRPCL, HTJ2K, RLELossless,
        new("1.2.840.10008.1.2.4.52", "JPEG Extended (Process 3 & 5)", true, true, false, true, true, retired: true),
        new("1.2.840.10008.1.2.4.53", "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)", true, true, false, true, true, retired: true),
        new("1.2.840.10008.1.2.4.55", "JPEG Full Progression, Non-Hierarchical (Process 10 & 12)", true, true, false, true, true, retired: true),
        new("1.2.840.10008.1.2.4.58", "JPEG Lossless, Non-Hierarchical (Process 15)", true, true, false, true, false, retired: true),
        new("1.2.840.10008.1.2.4.94", "JPIP Referenced", true, true, false, false, false),
        new("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate", true, true, true, false, false),
        new("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level", true, true, false, true, true),
        new("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", true, true, false, true, true),
        new("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", true, true, false, true, true),
        new("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", true, true, false, true, true),
        new("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", true, true, false, true, true),
        new("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1", true, true, false, true, true),
        new("1.2.840.10008.1.2.4.110", "JPEG XL Lossless", true, true, false, true, false),
        new("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression", true, true, false, true, false),
        new("1.2.840.10008.1.2.4.112", "JPEG XL", true, true, false, true, true),
        new("1.2.840.10008.1.2.4.204", "JPIP HTJ2K Referenced", true, true, false, false, false),
        new("1.2.840.10008.1.2.4.205", "JPIP HTJ2K Referenced Deflate", true, true, true, false, false),
        new("1.2.840.10008.1.2.6.1", "RFC 2557 MIME encapsulation", true, true, false, false, false, retired: true),
        new("1.2.840.10008.1.2.6.2", "XML Encoding", true, true, false, false, false, retired: true),
        new("1.2.840.10008.1.2.7.1", "SMPTE ST 2110-20 Uncompressed Progressive Active Video", true, true, false, false, false),
        new("1.2.840.10008.1.2.7.2", "SMPTE ST 2110-20 Uncompressed Interlaced Active Video", true, true, false, false, false),
        new("1.2.840.10008.1.2.7.3", "SMPTE ST 2110-30 PCM Digital Audio", true, true, false, false, false),
        new("1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression", true, true, false, true, false),
    ];

    private static readonly FrozenDictionary<string, DicomTransferSyntax> ByUid = Known.ToFrozenDictionary(ts => ts.Uid, StringComparer.Ordinal);

    /// <summary>Finds a known transfer syntax by UID (trailing NUL and space padding ignored).</summary>
    public static bool TryGet(string uid, [NotNullWhen(true)] out DicomTransferSyntax? syntax) =>
        ByUid.TryGetValue(uid.TrimEnd('\0', ' '), out syntax);

    /// <summary>
    /// The transfer syntax for a UID: the known one, or for an unknown but well-formed UID an
    /// explicit VR little endian syntax flagged <see cref="IsUnknown"/>.
    /// </summary>
    public static DicomTransferSyntax Get(string uid)
    {
        uid = uid.TrimEnd('\0', ' ');
        return ByUid.TryGetValue(uid, out var known)
            ? known
            : new DicomTransferSyntax(uid, "Unknown transfer syntax " + uid, true, true, false, true, false) { IsUnknown = true };
    }

    /// <summary>Whether the data set encoding (not the pixel data) is one that can be rewritten without a codec.</summary>
    public bool IsUncompressed => !IsEncapsulated;

    public override string ToString() => Name;
}
