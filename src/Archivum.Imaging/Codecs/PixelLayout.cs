using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Imaging.Codecs;

/// <summary>
/// What a data set says its pixels are (PS3.3 C.7.6.3): the geometry and sample format every codec
/// checks a codestream against before decoding it, so that a lying header cannot make it allocate
/// or write past a frame.
/// </summary>
public sealed record PixelLayout(
    int Rows, int Columns, int SamplesPerPixel, int BitsAllocated, int BitsStored, bool IsSigned, string Photometric, int PlanarConfiguration)
{
    /// <summary>Frames are at most this large (4 GiB is the most a DICOM element may hold).</summary>
    public const long MaxFrameBytes = int.MaxValue;

    /// <summary>Bytes per sample: 1, 2 or 4.</summary>
    public int BytesPerSample => BitsAllocated / 8;

    /// <summary>Whether the native pixels are YBR_FULL_422: two luminance samples share one pair of chrominance samples (PS3.3 C.7.6.3.1.2), two samples per pixel.</summary>
    public bool IsSubsampled => Photometric == "YBR_FULL_422" && SamplesPerPixel == 3;

    /// <summary>Bytes of one native frame (little endian, as the planar configuration says).</summary>
    public int FrameLength => IsSubsampled
        ? checked(Rows * ((Columns + 1) / 2) * 4 * BytesPerSample)
        : checked(Rows * Columns * SamplesPerPixel * BytesPerSample);

    /// <summary>The layout the data set's attributes give; a clear error for a missing or impossible one.</summary>
    public static PixelLayout From(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int rows = Int(dataset, DicomTags.Rows), columns = Int(dataset, DicomTags.Columns);
        int samples = Int(dataset, DicomTags.SamplesPerPixel, 1), allocated = Int(dataset, DicomTags.BitsAllocated);
        int stored = Int(dataset, DicomTags.BitsStored, allocated);
        var layout = new PixelLayout(rows, columns, samples, allocated, stored,
            Int(dataset, DicomTags.PixelRepresentation) == 1,
            dataset.GetString(DicomTags.PhotometricInterpretation)?.Trim() is { Length: > 0 } p ? p : (samples == 1 ? "MONOCHROME2" : "RGB"),
            Int(dataset, DicomTags.PlanarConfiguration));
        layout.Validate();
        return layout;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming what is impossible.</summary>
    public void Validate()
    {
        if (Rows is <= 0 or > 65535 || Columns is <= 0 or > 65535)
        {
            throw new InvalidDataException($"Rows {Rows} and Columns {Columns} do not describe an image");
        }
        if (SamplesPerPixel is not (1 or 3 or 4))
        {
            throw new InvalidDataException($"Samples per Pixel {SamplesPerPixel} is not 1, 3 or 4");
        }
        if (BitsAllocated is not (1 or 8 or 16 or 32) || BitsStored < 1 || BitsStored > BitsAllocated)
        {
            throw new InvalidDataException($"Bits Stored {BitsStored} in Bits Allocated {BitsAllocated} is not a pixel format");
        }
        if ((long)Rows * Columns * SamplesPerPixel * Math.Max(1, BitsAllocated / 8) > MaxFrameBytes)
        {
            throw new InvalidDataException($"a frame of {Rows}×{Columns}×{SamplesPerPixel} samples of {BitsAllocated} bits is larger than 2 GiB");
        }
    }

    private static int Int(DicomDataset dataset, DicomTag tag, int fallback = 0) =>
        dataset.TryGetValue<int>(tag, out int value) ? value : fallback;
}
