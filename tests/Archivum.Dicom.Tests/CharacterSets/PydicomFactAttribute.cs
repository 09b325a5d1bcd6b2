namespace Archivum.Dicom.Tests.CharacterSets;

/// <summary>A fact that needs pydicom; skipped, saying why, where python3-pydicom is absent.</summary>
public sealed class PydicomFactAttribute : FactAttribute
{
    public PydicomFactAttribute()
    {
        if (PydicomOracle.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
