using System.Collections.Concurrent;

namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>
/// Associations at once per calling AE title and per client address, so that one peer (a
/// misconfigured router, a script in a loop) cannot take every association the server has and
/// shut the modalities out. An association counts against both until it ends.
/// </summary>
internal sealed class AssociationLimits(int perCallingAETitle, int perAddress)
{
    private readonly ConcurrentDictionary<string, int> _byAETitle = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _byAddress = new(StringComparer.Ordinal);

    /// <summary>Counts an association in; null when within both limits, otherwise which limit it exceeds (it is then not counted).</summary>
    public string? TryEnter(string callingAETitle, string address)
    {
        if (Increment(_byAETitle, callingAETitle) > perCallingAETitle)
        {
            Decrement(_byAETitle, callingAETitle);
            return $"{perCallingAETitle} associations of calling AE {callingAETitle} at once";
        }
        if (Increment(_byAddress, address) > perAddress)
        {
            Decrement(_byAddress, address);
            Decrement(_byAETitle, callingAETitle);
            return $"{perAddress} associations from {address} at once";
        }
        return null;
    }

    /// <summary>Counts an association out (one that <see cref="TryEnter"/> let in).</summary>
    public void Leave(string callingAETitle, string address)
    {
        Decrement(_byAETitle, callingAETitle);
        Decrement(_byAddress, address);
    }

    private static int Increment(ConcurrentDictionary<string, int> counts, string key) => counts.AddOrUpdate(key, 1, (_, n) => n + 1);

    private static void Decrement(ConcurrentDictionary<string, int> counts, string key)
    {
        // A key back at zero is removed, so peers that come and go leave nothing behind.
        if (counts.AddOrUpdate(key, 0, (_, n) => n - 1) <= 0)
        {
            counts.TryRemove(new KeyValuePair<string, int>(key, 0));
        }
    }
}
