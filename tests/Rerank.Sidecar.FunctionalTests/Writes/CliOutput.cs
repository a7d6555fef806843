namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>What an in-process <c>rerank</c> run returned and printed.</summary>
internal sealed record CliOutput(int ExitCode, string Output, string Error);
