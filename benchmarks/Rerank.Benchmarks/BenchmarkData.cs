namespace Rerank.Benchmarks;

/// <summary>Finds the shared evaluation collections (../shared/data beside the repository, or $RERANK_DATA).</summary>
internal static class BenchmarkData
{
    /// <summary>The number of SciFact test queries, which query benchmarks count one operation each.</summary>
    public const int SciFactTestQueries = 300;

    /// <summary>SciFact's test split, checked to hold <see cref="SciFactTestQueries"/> queries.</summary>
    public static Rerank.LuceneBaseline.Beir.BeirDataset SciFactTest()
    {
        var dataset = Rerank.LuceneBaseline.Beir.BeirDataset.Open(Collection("scifact"), "test");
        return dataset.Queries.Count == SciFactTestQueries
            ? dataset
            : throw new InvalidOperationException($"Expected {SciFactTestQueries} SciFact test queries, read {dataset.Queries.Count}.");
    }

    public static string Collection(string name)
    {
        var root = Environment.GetEnvironmentVariable("RERANK_DATA");
        if (string.IsNullOrWhiteSpace(root))
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Rerank.sln")))
                {
                    root = Path.Combine(dir.FullName, "..", "shared", "data");
                    break;
                }
            }
        }

        var path = root is null ? null : Path.GetFullPath(Path.Combine(root, name));
        if (path is null || !Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"Collection '{name}' not found; set RERANK_DATA to the folder that holds it (../shared/data).");
        }

        return path;
    }
}
