namespace Rerank.Sidecar.Search;

/// <summary>
/// What the upstream answered one of the search path's own calls: its status, headers (response and content headers,
/// framing headers left out) and body, or <see cref="TooLarge"/> when the body passed
/// <see cref="SearchOptions.MaxUpstreamResponseBytes"/> (the body is then empty).
/// </summary>
internal sealed record UpstreamAnswer(int Status, IReadOnlyList<KeyValuePair<string, string[]>> Headers, byte[] Body, bool TooLarge)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}
