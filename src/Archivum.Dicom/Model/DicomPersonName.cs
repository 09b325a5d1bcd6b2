namespace Archivum.Dicom.Model;

/// <summary>
/// A Person Name value (PS3.5 §6.2.1): up to three component groups (alphabetic, ideographic,
/// phonetic) separated by '=', each of up to five components (family, given, middle, prefix,
/// suffix) separated by '^'.
/// </summary>
public sealed record DicomPersonName(string Alphabetic, string Ideographic, string Phonetic)
{
    public static DicomPersonName Parse(string value)
    {
        var groups = value.Split('=');
        return new DicomPersonName(
            groups.Length > 0 ? groups[0] : string.Empty,
            groups.Length > 1 ? groups[1] : string.Empty,
            groups.Length > 2 ? groups[2] : string.Empty);
    }

    /// <summary>The five components of the alphabetic group (missing ones empty).</summary>
    public string[] AlphabeticComponents => Components(Alphabetic);

    public string FamilyName => AlphabeticComponents[0];
    public string GivenName => AlphabeticComponents[1];
    public string MiddleName => AlphabeticComponents[2];
    public string NamePrefix => AlphabeticComponents[3];
    public string NameSuffix => AlphabeticComponents[4];

    /// <summary>Splits one component group into its five components.</summary>
    public static string[] Components(string group)
    {
        var parts = group.Split('^');
        var five = new string[5];
        for (int i = 0; i < 5; i++)
        {
            five[i] = i < parts.Length ? parts[i] : string.Empty;
        }
        return five;
    }

    /// <summary>The value as encoded: groups joined by '=', trailing empty groups dropped.</summary>
    public override string ToString()
    {
        if (Phonetic.Length > 0)
        {
            return $"{Alphabetic}={Ideographic}={Phonetic}";
        }
        return Ideographic.Length > 0 ? $"{Alphabetic}={Ideographic}" : Alphabetic;
    }
}
