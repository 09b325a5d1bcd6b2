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
                long start = (long)index * layout.FrameLength;
                if (start + layout.FrameLength > native.Length)
                {
                    throw new InvalidDataException($"Pixel Data holds {native.Length} bytes, not frame {index + 1} of {layout.FrameLength}");
                }
                // Only this frame's bytes: a value left in the file is not read whole for one frame.
                var pixels = new byte[layout.FrameLength];
                using var stream = native.Buffer.OpenRead();
                if (stream.CanSeek)
                {
                    stream.Position = start;
                }
                else
                {
                    var skip = new byte[81920];
                    for (long left = start; left > 0;)
                    {
                        int read = stream.Read(skip, 0, (int)Math.Min(skip.Length, left));
                        left -= read > 0 ? read : throw new InvalidDataException("the Pixel Data ends before the frame");
                    }
                }
                stream.ReadExactly(pixels);
                return (layout, pixels);
            }
            default:
                throw new InvalidDataException("the instance has no Pixel Data");
        }
    }

    /// <summary>The bytes of one frame of encapsulated pixel data (its fragments joined).</summary>
    public static byte[] Codestream(DicomFragmentSequence encapsulated, int frames, int index)
    {
        var split = Split(encapsulated, frames);
        if (index >= split.Count)
        {
            throw new InvalidDataException($"the encapsulated Pixel Data holds {split.Count} frames, not {index + 1}");
        }
        return Join(split[index]);
    }

    /// <summary>Every frame's bytes of encapsulated pixel data, read one after the other (the fragments may be read from the file as they are met).</summary>
    public static byte[][] Codestreams(DicomFragmentSequence encapsulated, int frames)
    {
        var split = Split(encapsulated, frames);
        if (split.Count < frames)
        {
            throw new InvalidDataException($"the encapsulated Pixel Data holds {split.Count} frames, not {frames}");
        }
        return split.Take(frames).Select(Join).ToArray();
    }

    private static IReadOnlyList<IReadOnlyList<DicomBuffer>> Split(DicomFragmentSequence encapsulated, int frames)
    {
        try
        {
            return encapsulated.GetFrames(frames);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    private static byte[] Join(IReadOnlyList<DicomBuffer> fragments)
    {
        var joined = new byte[fragments.Sum(f => f.Length)];
        int at = 0;
        foreach (var fragment in fragments)
        {
            fragment.Memory.Span.CopyTo(joined.AsSpan(at));
            at += (int)fragment.Length;
        }
        return joined;
    }

    /// <summary>
    /// Every frame decoded, the frames shared out over the processor's cores (each codec call is
    /// independent); the layout they are in. Errors as <see cref="Frame"/>.
    /// </summary>
    public static (PixelLayout Layout, byte[][] Frames) AllFrames(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        var layout = PixelLayout.From(dataset);
        int frames = FrameCount(dataset);
        if (dataset[DicomTags.PixelData] is DicomValueElement native)
        {
            // Read once: a value left in the file is read whole each time its memory is asked for.
            var bytes = native.Memory;
            if ((long)frames * layout.FrameLength > bytes.Length)
            {
                throw new InvalidDataException($"Pixel Data holds {bytes.Length} bytes, not {frames} frames of {layout.FrameLength}");
            }
            return (layout, Enumerable.Range(0, frames).Select(i => bytes.Slice(i * layout.FrameLength, layout.FrameLength).ToArray()).ToArray());
        }
        if (dataset[DicomTags.PixelData] is not DicomFragmentSequence encapsulated)
        {
            throw new InvalidDataException("the instance has no Pixel Data");
        }
        var codec = PixelCodecs.Get(syntax);
        byte[][] codestreams = Codestreams(encapsulated, frames);
        var decodedLayout = codec.DecodedLayout(layout);
        var decoded = new byte[frames][];
        Parallel(frames, i =>
        {
            decoded[i] = new byte[decodedLayout.FrameLength];
            codec.Decode(codestreams[i], layout, decoded[i]);
        });
        return (decodedLayout, decoded);
    }

    /// <summary>Runs <paramref name="work"/> for 0…count-1 on the cores; the first failure is thrown as itself.</summary>
    internal static void Parallel(int count, Action<int> work)
    {
        if (count == 1)
        {
            work(0);
            return;
        }
        try
        {
            System.Threading.Tasks.Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, work);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
