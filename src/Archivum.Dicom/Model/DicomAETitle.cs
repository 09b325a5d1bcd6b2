namespace Archivum.Dicom.Model;

/// <summary>Application Entity titles (VR AE, PS3.5 Table 6.2-1): the one check every setting, option and registry entry uses.</summary>
public static class DicomAETitle
{
    /// <summary>Longest AE title.</summary>
    public const int MaxLength = 16;

    /// <summary>
    /// Why <paramref name="title"/> is not an AE title, or null when it is: 1 to 16 characters of
    /// the default repertoire without control characters or backslash, not all spaces, and (since
    /// leading and trailing spaces are not significant) none at either end.
    /// </summary>
    public static string? Validate(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return "an AE title cannot be empty or blank";
        }
        if (title.Length > MaxLength)
        {
            return $"an AE title has at most {MaxLength} characters; '{title}' has {title.Length}";
        }
        if (title.Any(c => c is < ' ' or > '~' or '\\'))
        {
            return $"'{title}': an AE title has printable ASCII characters only, and no backslash";
        }
        return title.Trim() != title ? $"'{title}': an AE title has no leading or trailing spaces" : null;
    }
}
