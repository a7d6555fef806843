using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// A failure of one index's part of a search (what Elasticsearch reports as a shard failure): the other indices still
/// answer, and the request fails with <c>search_phase_execution_exception</c> only when every index failed.
/// </summary>
internal sealed class ShardFailureException : Exception
{
    public ShardFailureException(EngineException error)
        : base(error.Reason, error)
    {
        Error = error;
    }

    public ShardFailureException()
        : this(new EngineException())
    {
    }

    public ShardFailureException(string message)
        : this(new EngineException(message))
    {
    }

    public ShardFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new EngineException(message, innerException);
    }

    public EngineException Error { get; }
}
