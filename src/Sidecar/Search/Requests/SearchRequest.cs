namespace Rerank.Sidecar.Search.Requests;

/// <summary>A <c>GET|POST /{target}/_search</c> as it arrived, with its body read (and decompressed) in full.</summary>
/// <param name="Target">The index expression of the path, as written (an index, alias or comma list).</param>
/// <param name="QueryString">The raw query string including its leading <c>?</c>, or empty.</param>
/// <param name="Body">The JSON body; empty when the request had none.</param>
internal sealed record SearchRequest(string Target, string QueryString, ReadOnlyMemory<byte> Body);
