using System.Security.Cryptography;
using System.Text;

namespace Rerank.Cli.Common;

/// <summary>Where rerank keeps derived data (indices) that can be rebuilt at any time.</summary>
internal static class CachePaths
{
    /// <summary>
    /// <c>$RERANK_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/rerank</c>, else <c>~/.cache/rerank</c>.
    /// </summary>
    public static string Root()
    {
        var explicitRoot = Environment.GetEnvironmentVariable("RERANK_CACHE_DIR");
        if (!string.IsNullOrWhiteSpace(explicitRoot))
        {
            return Path.GetFullPath(explicitRoot);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseDir = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDir, "rerank");
    }

    /// <summary>
    /// The default BM25 index folder for a collection: named after the folder, with a short hash of its full path
    /// so two collections of the same name do not take turns rebuilding each other.
    /// </summary>
    public static string Bm25Index(string dataDirectory)
    {
        var full = Path.GetFullPath(dataDirectory).TrimEnd(Path.DirectorySeparatorChar);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..12];
        return Path.Combine(Root(), "bm25", $"{Path.GetFileName(full)}-{hash}");
    }
}
