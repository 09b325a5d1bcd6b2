using System.Globalization;
using System.Text;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Cli;

/// <summary>Writes the text listing of <c>archivum dump</c>: one line per element, items and sequences indented.</summary>
internal sealed class DumpListing(TextWriter output, int maxValue)
{
    public void Write(string path, DicomFile file)
    {
        output.WriteLine($"# {path}");
        output.WriteLine($"# transfer syntax: {file.TransferSyntax.Uid} ({file.TransferSyntax.Name})");
        foreach (var warning in file.Warnings)
        {
            output.WriteLine($"# warning: {warning}");
        }
        if (file.FileMetaInformation.Count > 0)
        {
            output.WriteLine("# file meta information");
            WriteDataset(file.FileMetaInformation, 0);
            output.WriteLine("# data set");
        }
        WriteDataset(file.Dataset, 0);
    }

    private void WriteDataset(DicomDataset dataset, int depth)
    {
        foreach (var element in dataset)
        {
            switch (element)
            {
                case DicomSequence sequence:
                    Line(depth, element, sequence.HasUndefinedLength ? "u/l" : "", $"({sequence.Items.Count} item{(sequence.Items.Count == 1 ? "" : "s")})");
                    for (int i = 0; i < sequence.Items.Count; i++)
                    {
                        output.WriteLine($"{Indent(depth + 1)}> item {i + 1}");
                        WriteDataset(sequence.Items[i], depth + 1);
                    }
                    break;
                case DicomFragmentSequence fragments:
                    long total = fragments.Fragments.Sum(f => f.Length);
                    Line(depth, element, "u/l", $"(encapsulated: offset table {fragments.OffsetTable.Length} bytes, {fragments.Fragments.Count} fragments, {total} bytes)");
                    break;
                case DicomValueElement value:
                    Line(depth, element, value.Length.ToString(CultureInfo.InvariantCulture), Shorten(FormatValue(dataset, value)));
                    break;
            }
        }
    }

    private static string FormatValue(DicomDataset dataset, DicomValueElement value)
    {
        if (value.VR.IsString())
        {
            return $"[{dataset.GetString(value.Tag)}]";
        }
        if (value.VR is DicomVR.OB or DicomVR.UN or DicomVR.OW or DicomVR.OF or DicomVR.OD or DicomVR.OL or DicomVR.OV)
        {
            if (!value.Buffer.IsInMemory)
            {
                return "(not loaded)";
            }
            var bytes = value.Buffer.Memory.Span;
            var sb = new StringBuilder();
            for (int i = 0; i < Math.Min(bytes.Length, 16); i++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "\\" : "")}{bytes[i]:x2}");
            }
            return bytes.Length > 16 ? sb.Append("...").ToString() : sb.ToString();
        }
        return dataset.GetString(value.Tag) ?? string.Empty;
    }

    private void Line(int depth, DicomElement element, string length, string value)
    {
        string keyword = DicomDictionary.GetKeyword(element.Tag) ?? (element.Tag.IsPrivate ? "PrivateTag" : "UnknownTag");
        output.WriteLine($"{Indent(depth)}{element.Tag} {element.VR.Name()} {length,6}  {keyword,-36} {value}");
    }

    private string Shorten(string value) =>
        value.Length <= maxValue ? value : string.Concat(value.AsSpan(0, Math.Max(0, maxValue - 3)), "...");

    private static string Indent(int depth) => new(' ', depth * 2);
}
