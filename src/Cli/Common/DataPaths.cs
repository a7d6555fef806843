namespace Rerank.Cli.Common;

/// <summary>Where rerank keeps data that cannot be rebuilt (the embedded engine's indices), apart from the cache.</summary>
internal static class DataPaths
{
    /// <summary>
    /// <c>$RERANK_DATA_DIR</c>, else <c>$XDG_DATA_HOME/rerank</c>, else <c>~/.local/share/rerank</c>.
    /// </summary>
    public static string Root()
    {
        var explicitRoot = Environment.GetEnvironmentVariable("RERANK_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(explicitRoot))
        {
            return Path.GetFullPath(explicitRoot);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDir = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(baseDir, "rerank");
    }

    /// <summary>The embedded engine's default data directory.</summary>
    public static string Engine() => Path.Combine(Root(), "engine");
}
