using System.Security.Cryptography;
using System.Text;

namespace Rerank.Sidecar.Admin;

/// <summary>
/// The configured admin key, compared with what a request presents in constant time: both sides are hashed with
/// SHA-256 first, so neither the key's characters nor its length can be learned from how long a refusal takes.
/// </summary>
internal sealed class AdminKey
{
    private readonly byte[]? _hash;

    public AdminKey(string? key)
    {
        _hash = string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>False when no key is configured: the admin endpoints are off.</summary>
    public bool IsConfigured => _hash is not null;

    /// <summary>Whether <paramref name="presented"/> is the configured key (false when none is configured).</summary>
    public bool Matches(string? presented)
    {
        if (_hash is null || presented is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }
}
