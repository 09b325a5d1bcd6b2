namespace Archivum.Imaging.Rendering;

/// <summary>The VOI LUT Functions of PS3.3 C.11.2.1.3.</summary>
public enum VoiFunction
{
    /// <summary>C.11.2.1.2.1, the default.</summary>
    Linear,
    /// <summary>C.11.2.1.3.2: exactly center ± width/2.</summary>
    LinearExact,
    /// <summary>C.11.2.1.3.1: a logistic curve through the center.</summary>
    Sigmoid,
}

/// <summary>A VOI window (PS3.3 C.11.2.1.2) mapping modality values onto 0..255.</summary>
public sealed record VoiWindow(double Center, double Width, VoiFunction Function = VoiFunction.Linear)
{
    /// <summary>The function named by VOI LUT Function (0028,1056) or a DICOMweb <c>window</c> parameter; null when unknown.</summary>
    public static VoiFunction? FunctionNamed(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        null or "" or "LINEAR" => VoiFunction.Linear,
        "LINEAR_EXACT" or "LINEAR-EXACT" => VoiFunction.LinearExact,
        "SIGMOID" => VoiFunction.Sigmoid,
        _ => null,
    };

    /// <summary>The output level 0..255 of modality value <paramref name="x"/>.</summary>
    public byte Apply(double x)
    {
        double y = Function switch
        {
            VoiFunction.LinearExact => x <= Center - Width / 2 ? 0 : x > Center + Width / 2 ? 255 : ((x - Center) / Width + 0.5) * 255,
            VoiFunction.Sigmoid => 255 / (1 + Math.Exp(-4 * (x - Center) / Width)),
            _ => x <= Center - 0.5 - (Width - 1) / 2 ? 0
                : x > Center - 0.5 + (Width - 1) / 2 ? 255
                : ((x - (Center - 0.5)) / (Width - 1) + 0.5) * 255,
        };
        return (byte)Math.Clamp(Math.Round(y), 0, 255);
    }
}
