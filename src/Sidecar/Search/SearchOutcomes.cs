namespace Rerank.Sidecar.Search;

/// <summary>The <c>X-Rerank</c> values and fallback reasons of docs/search.md.</summary>
internal static class SearchOutcomes
{
    public const string Header = "X-Rerank";
    public const string ModelHeader = "X-Rerank-Model";
    public const string MissingHeader = "X-Rerank-Missing";

    public const string Applied = "applied";
    public const string Fallback = "fallback";
    public const string Skipped = "skipped";

    public const string Timeout = "timeout";
    public const string ModelError = "model_error";
    public const string ModelNotLoaded = "model_not_loaded";
    public const string BreakerOpen = "breaker_open";
    public const string MissingVectors = "missing_vectors";
    public const string UpstreamError = "upstream_error";
    public const string InvalidResponse = "invalid_response";
    public const string ResponseTooLarge = "response_too_large";
    public const string ConfigError = "config_error";
    public const string InternalError = "internal_error";
}
