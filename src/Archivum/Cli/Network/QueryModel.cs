namespace Archivum.Cli.Network;

/// <summary>The query/retrieve information models (PS3.4 C.6) and levels the find, move and get commands take.</summary>
internal static class QueryModel
{
    public static readonly string[] Levels = ["PATIENT", "STUDY", "SERIES", "IMAGE"];

    /// <summary>The SOP class of <paramref name="service"/> (FIND, MOVE or GET) in the patient or study root model.</summary>
    public static string SopClass(string root, string service, string level)
    {
        bool patientRoot = root.ToUpperInvariant() switch
        {
            "PATIENT" => true,
            "STUDY" => false,
            _ => throw new ArgumentException($"--root {root}: give patient or study"),
        };
        if (!Levels.Contains(level.ToUpperInvariant()))
        {
            throw new ArgumentException($"--level {level}: give PATIENT, STUDY, SERIES or IMAGE");
        }
        if (!patientRoot && level.Equals("PATIENT", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("--level PATIENT needs --root patient (the study root model has no patient level, PS3.4 C.6.2)");
        }
        string model = patientRoot ? "1.2.840.10008.5.1.4.1.2.1" : "1.2.840.10008.5.1.4.1.2.2";
        return service switch
        {
            "FIND" => model + ".1",
            "MOVE" => model + ".2",
            "GET" => model + ".3",
            _ => throw new ArgumentOutOfRangeException(nameof(service)),
        };
    }
}
