using Rerank.Model.Bundle;

namespace Rerank.Sidecar.Tests.Models;

/// <summary>Tiny random student bundles (the real architecture, as <c>rerank model init</c> writes them).</summary>
internal static class TinyBundles
{
    public static RandomBundleSettings Settings(int seed) => new()
    {
        Layers = 1,
        Hidden = 16,
        Heads = 2,
        KeyValueHeads = 1,
        IemHidden = 8,
        VocabularySize = 300,
        Seed = seed,
        Query = new TextLimits { MaxTokens = 16, MaxChars = 100 },
        Passage = new TextLimits { MaxTokens = 24, MaxChars = 200 },
    };

    /// <summary>Writes a bundle with <paramref name="seed"/> into <paramref name="directory"/>; returns its model id.</summary>
    public static string Write(string directory, int seed) => RandomBundle.Write(directory, Settings(seed)).ModelId;
}
