using System.Globalization;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Imaging.Codecs;

/// <summary>
/// A data set's Pixel Data from one transfer syntax into another: decoded frame by frame with the
/// source syntax's codec, encoded with the target's, and the attributes that describe the pixels
/// (Photometric Interpretation, Planar Configuration) set to what the new encoding holds. Lossy
/// output records what PS3.3 C.7.6.1.1.5 asks (Lossy Image Compression, its ratio and method);
/// decoded pixels of a once lossy-compressed image stay marked lossy.
/// </summary>
public static class PixelTranscoder
{
    /// <summary>
    /// The data set (a copy when anything changes) with its Pixel Data in <paramref name="target"/>.
    /// Throws <see cref="CodecUnavailableException"/> when either syntax has no codec here and
    /// <see cref="InvalidDataException"/> for damaged pixel data.
    /// </summary>
    public static DicomDataset Transcode(DicomDataset dataset, DicomTransferSyntax source, DicomTransferSyntax target, CodecOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        options ??= CodecOptions.Default;
        var pixelData = dataset[DicomTags.PixelData];
        bool sourceNative = pixelData is DicomValueElement, targetNative = !target.IsEncapsulated;
        if (pixelData is null || (sourceNative && targetNative) || (!sourceNative && source.Uid == target.Uid))
        {
            return dataset; // nothing to decode or encode: the data set writer changes the encoding of the rest
        }
        if (target.IsEncapsulated && !PixelCodecs.CanEncode(target))
        {
            throw new CodecUnavailableException(PixelCodecs.TryGet(target, out _, out string? reason) ? $"{target.Name} can be read but not written by this build" : reason);
        }
        var (layout, decoded) = NativePixels.AllFrames(dataset, sourceNative ? DicomTransferSyntax.ExplicitVRLittleEndian : source);
        int frames = decoded.Length;
        var result = dataset.Clone();
        if (targetNative)
        {
            var joined = new byte[checked(decoded.Sum(f => (long)f.Length) + 1) & ~1L];
            for (int frame = 0; frame < frames; frame++)
            {
                decoded[frame].CopyTo(joined, (long)frame * layout.FrameLength);
            }
            result.AddOrReplace(new DicomValueElement(DicomTags.PixelData, layout.BitsAllocated > 8 ? DicomVR.OW : DicomVR.OB, joined));
            Describe(result, layout);
        }
        else
        {
            var codec = PixelCodecs.Get(target);
            // Compressed syntaxes hold YBR_FULL_422 only as the codec's own subsampling: give it every sample.
            var frameLayout = layout.IsSubsampled ? layout with { Photometric = "YBR_FULL", PlanarConfiguration = 0 } : layout;
            PixelLayout encodedLayout = codec.EncodedLayout(frameLayout);
            var encodedFrames = new byte[frames][];
            NativePixels.Parallel(frames, i =>
            {
                byte[] encoded = codec.Encode(ColourPlanes.FullChrominance(layout, decoded[i]).Pixels, frameLayout, options);
                if ((encoded.Length & 1) != 0)
                {
                    Array.Resize(ref encoded, encoded.Length + 1); // items have even lengths (PS3.5 §A.4)
                }
                encodedFrames[i] = encoded;
            });
            var fragments = encodedFrames.Select(f => (DicomBuffer)new MemoryDicomBuffer(f)).ToList();
            result.AddOrReplace(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, BasicOffsetTable(fragments), fragments));
            result.Remove(new DicomTag(0x7FE00001u)); // an Extended Offset Table of the old encoding
            result.Remove(new DicomTag(0x7FE00002u));
            Describe(result, encodedLayout);
            if (target.IsLossy && !source.IsLossy)
            {
                MarkLossy(result, target, decoded.Sum(f => (long)f.Length), fragments.Sum(f => f.Length));
            }
        }
        if (source.IsLossy && !result.Contains(DicomTags.LossyImageCompression))
        {
            result.SetString(DicomTags.LossyImageCompression, "01");
        }
        return result;
    }

    private static void Describe(DicomDataset dataset, PixelLayout layout)
    {
        dataset.SetString(DicomTags.PhotometricInterpretation, layout.Photometric);
        if (layout.SamplesPerPixel > 1)
        {
            dataset.SetValues(DicomTags.PlanarConfiguration, (ushort)layout.PlanarConfiguration);
        }
    }

    /// <summary>PS3.3 C.7.6.1.1.5: "01", the ratio and the method, appended to what an earlier lossy compression recorded.</summary>
    private static void MarkLossy(DicomDataset dataset, DicomTransferSyntax target, long nativeBytes, long encodedBytes)
    {
        string method = target.Uid switch
        {
            "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" => "ISO_10918_1",
            "1.2.840.10008.1.2.4.81" => "ISO_14495_1",
            "1.2.840.10008.1.2.4.203" => "ISO_15444_15",
            _ => "ISO_15444_1",
        };
        string ratio = (encodedBytes == 0 ? 0 : (double)nativeBytes / encodedBytes).ToString("0.###", CultureInfo.InvariantCulture);
        var ratios = dataset.GetStrings(DicomTags.LossyImageCompressionRatio) ?? [];
        var methods = dataset.GetStrings(DicomTags.LossyImageCompressionMethod) ?? [];
        dataset.SetString(DicomTags.LossyImageCompression, "01");
        dataset.SetStrings(DicomTags.LossyImageCompressionRatio, [.. ratios, ratio.Length > 16 ? ratio[..16] : ratio]);
        dataset.SetStrings(DicomTags.LossyImageCompressionMethod, [.. methods, method]);
    }

    /// <summary>A Basic Offset Table for one fragment per frame (empty for a single frame, as PS3.5 allows).</summary>
    private static DicomBuffer BasicOffsetTable(List<DicomBuffer> fragments)
    {
        if (fragments.Count <= 1)
        {
            return DicomBuffer.Empty;
        }
        var table = new byte[4 * fragments.Count];
        long offset = 0;
        for (int i = 0; i < fragments.Count; i++)
        {
            if (offset > uint.MaxValue)
            {
                return DicomBuffer.Empty; // past 4 GiB the Basic Offset Table cannot point; one fragment per frame still says where frames are
            }
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4 * i), (uint)offset);
            offset += 8 + fragments[i].Length;
        }
        return new MemoryDicomBuffer(table);
    }
}
