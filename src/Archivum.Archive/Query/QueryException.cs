namespace Archivum.Archive.Query;

/// <summary>
/// A query the archive cannot run as asked: a missing or unknown level, a value that does not
/// parse for its VR (a date that is not a date), a level the model does not have. The message is
/// for the requester (C-FIND Error Comment, QIDO-RS 400 body).
/// </summary>
public sealed class QueryException(string message) : Exception(message);
