using Xunit;

namespace Rerank.TestUtilities;

/// <summary>Locates the repository root and the evaluation data that lives beside it (../shared/data).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The folder that holds Rerank.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The shared evaluation data folder, ../shared/data next to the repository.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    /// <summary>
    /// The path of one shared collection, or a skipped test with the reason when it is absent
    /// (the data is never copied into the repository).
    /// </summary>
    public static string RequireSharedCollection(string name)
    {
        var path = Path.Combine(SharedData, name);
        if (!Directory.Exists(path))
        {
            Assert.Skip($"Evaluation data '{name}' not found at {path}; it lives in ../shared/data beside the repository.");
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rerank.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Rerank.sln not found above {AppContext.BaseDirectory}.");
    }
}
