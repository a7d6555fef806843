namespace Rerank.Cli.Bench;

/// <summary>Why <c>rerank bench search</c> cannot run (an unreachable sidecar, an index without <c>_meta.rerank</c>): one <c>error:</c> line, exit code 1.</summary>
internal sealed class SearchBenchException(string message) : Exception(message);
