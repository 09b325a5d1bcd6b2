using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Imaging.Codecs;

/// <summary>A data set's frames as native pixels (little endian, samples as the layout says), whatever the syntax they are stored in.</summary>
public static class NativePixels
{
    /// <summary>Number of Frames, 1 when absent.</summary>
    public static int FrameCount(DicomDataset dataset) =>
        dataset.TryGetValue<int>(DicomTags.NumberOfFrames, out int frames) && frames > 0 ? frames : 1;

    /// <summary>
    /// Frame <paramref name="index"/> (0-based) of the data set's Pixel Data, stored in
    /// <paramref name="syntax"/>, decoded. Throws <see cref="InvalidDataException"/> for pixel data
    /// that is damaged or disagrees with its attributes, <see cref="CodecUnavailableException"/> for
    /// a syntax this build cannot read.
    /// </summary>
    public static (PixelLayout Layout, byte[] Pixels) Frame(DicomDataset dataset, DicomTransferSyntax syntax, int index)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        var layout = PixelLayout.From(dataset);
        int frames = FrameCount(dataset);
        if (index < 0 || index >= frames)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"frame {index + 1} of {frames}");
        }
        switch (dataset[DicomTags.PixelData])
        {
            case DicomFragmentSequence encapsulated:
            {
                var codec = PixelCodecs.Get(syntax);
                byte[] codestream = Codestream(encapsulated, frames, index);
                var decoded = codec.DecodedLayout(layout);
                var pixels = new byte[decoded.FrameLength];
                codec.Decode(codestream, layout, pixels);
                return (decoded, pixels);
            }
            case DicomValueElement native:
            {
                var bytes = native.Memory.Span;
                long start = (long)index * layout.FrameLength;
                if (start + layout.FrameLength > bytes.Length)
                {
                    throw new InvalidDataException($"Pixel Data holds {bytes.Length} bytes, not frame {index + 1} of {layout.FrameLength}");
                }
                return (layout, bytes.Slice((int)start, layout.FrameLength).ToArray());
            }
            default:
                throw new InvalidDataException("the instance has no Pixel Data");
        }
    }

    /// <summary>The bytes of one frame of encapsulated pixel data (its fragments joined).</summary>
    public static byte[] Codestream(DicomFragmentSequence encapsulated, int frames, int index)
    {
        IReadOnlyList<IReadOnlyList<DicomBuffer>> split;
        try
        {
            split = encapsulated.GetFrames(frames);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        if (index >= split.Count)
        {
            throw new InvalidDataException($"the encapsulated Pixel Data holds {split.Count} frames, not {index + 1}");
        }
        var fragments = split[index];
        var joined = new byte[fragments.Sum(f => f.Length)];
        int at = 0;
        foreach (var fragment in fragments)
        {
            fragment.Memory.Span.CopyTo(joined.AsSpan(at));
            at += (int)fragment.Length;
        }
        return joined;
    }
}
