namespace Archivum.DicomWeb;

/// <summary>A QIDO-RS search that cannot be run as written; the message says why (answered 400).</summary>
internal sealed class QidoException(string message) : Exception(message);
