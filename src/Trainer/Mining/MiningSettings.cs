namespace Rerank.Trainer.Mining;

/// <summary>How <c>rerank-train mine</c> picks BM25 hard negatives (docs/training.md, "Mining hard negatives").</summary>
internal sealed record MiningSettings
{
    /// <summary>Mined negatives kept per query, best BM25 first, after removing the query's positives. Default 10.</summary>
    public int Top { get; init; } = 10;

    /// <summary>
    /// The query text is cut to this many characters (UTF-16 code units, never inside a surrogate pair) before it is
    /// tokenised. Default 1000: far above a retrieval query or an NLI sentence, and it keeps a long symmetric "query"
    /// (a paragraph) from turning into a disjunction of hundreds of terms.
    /// </summary>
    public int QueryChars { get; init; } = 1000;

    /// <summary>Queries searched at once (Bm25Index is thread-safe). Default: the processor count.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the options that are out of range.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (Top < 1)
        {
            errors.Add($"--top must be at least 1, got {Top}");
        }

        if (QueryChars < 1)
        {
            errors.Add($"--query-chars must be at least 1, got {QueryChars}");
        }

        if (Parallelism < 1)
        {
            errors.Add($"parallelism must be at least 1, got {Parallelism}");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors) + ".");
        }
    }
}
