using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.Highlight;

/// <summary>
/// A highlight that failed for a hit of one index (a text over the analysed-offset limit, a <c>highlight_query</c> that
/// does not build); the search reports it as that index's shard failure.
/// </summary>
internal sealed class HighlightFailureException : Exception
{
    public HighlightFailureException(int targetIndex, EngineException error)
        : base(error.Reason, error)
    {
        TargetIndex = targetIndex;
        Error = error;
    }

    public HighlightFailureException()
        : this(0, new EngineException())
    {
    }

    public HighlightFailureException(string message)
        : this(0, new EngineException(message))
    {
    }

    public HighlightFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new EngineException(message, innerException);
    }

    /// <summary>The failed index's position among the request's targets.</summary>
    public int TargetIndex { get; }

    public EngineException Error { get; }
}
