namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>Stops the query phase of one index when the request's <c>timeout</c> has passed; the hits so far are kept.</summary>
internal sealed class SearchTimeoutException : Exception
{
    public SearchTimeoutException()
        : base("the search timed out")
    {
    }

    public SearchTimeoutException(string message)
        : base(message)
    {
    }

    public SearchTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
