namespace Archivum.Imaging.Rendering;

/// <summary>An image ready to show: 8-bit samples, row by row, one (grey) or three (RGB) per pixel.</summary>
public sealed record RenderedImage(int Width, int Height, int Channels, byte[] Pixels);
