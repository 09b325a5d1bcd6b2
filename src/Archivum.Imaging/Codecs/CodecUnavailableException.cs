namespace Archivum.Imaging.Codecs;

/// <summary>
/// A syntax this build cannot read or write here: no codec for it, or its native library missing
/// (the message names the Debian package). Every other syntax keeps working.
/// </summary>
public sealed class CodecUnavailableException(string message) : NotSupportedException(message);
