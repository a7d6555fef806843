namespace Rerank.Cli.Quickstart;

/// <summary>What <c>rerank quickstart</c> runs on.</summary>
/// <param name="DataDirectory">A BEIR collection, or null for <see cref="SampleCorpus"/>.</param>
/// <param name="Urls">Where the sidecar listens.</param>
/// <param name="WorkDirectory">Where the bundle and the engine's indices are kept between runs.</param>
internal sealed record QuickstartSettings(string? DataDirectory, IReadOnlyList<string> Urls, string WorkDirectory);
