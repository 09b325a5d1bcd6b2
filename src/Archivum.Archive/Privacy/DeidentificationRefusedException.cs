namespace Archivum.Archive.Privacy;

/// <summary>An instance the profile cannot make safe (burned-in annotation, say): nothing is written for it.</summary>
public sealed class DeidentificationRefusedException(string message) : InvalidOperationException(message);
