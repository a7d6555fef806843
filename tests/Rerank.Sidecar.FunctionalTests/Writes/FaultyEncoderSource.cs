using System.Collections.Concurrent;
using Rerank.IngestPipeline.Encoding;
using Rerank.IngestPipeline.Writes;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>
/// The sidecar's model registry seen through <see cref="CountingEncoder"/>s: counts every model call and text, and
/// throws on the calls <see cref="FailCalls"/> names,
/// and waits for <see cref="Gate"/>. Each registry encoder gets one wrapper for its lifetime, so the
/// write path keeps one batcher per model as it does with the registry itself.
/// </summary>
internal sealed class FaultyEncoderSource(IEncoderSource inner) : IEncoderSource
{
    private readonly ConcurrentDictionary<IPassageEncoder, CountingEncoder> _wrappers = new(ReferenceEqualityComparer.Instance);
    private int _calls;
    private int _texts;

    /// <summary>1-based numbers of the model calls that throw instead of encoding.</summary>
    public ISet<int> FailCalls { get; } = new HashSet<int>();

    /// <summary>Every model call waits for this before encoding (set by default): reset, it is a stuck model.</summary>
    public ManualResetEventSlim Gate { get; } = new(initialState: true);

    public int Calls => Volatile.Read(ref _calls);

    public int Texts => Volatile.Read(ref _texts);

    /// <summary>The texts of the calls that threw, in call order.</summary>
    public ConcurrentQueue<string> FailedTexts { get; } = new();

    public IPassageEncoder? Find(string modelId)
    {
        var encoder = inner.Find(modelId);
        return encoder is null ? null : _wrappers.GetOrAdd(encoder, e => new CountingEncoder(e, this));
    }

    /// <summary>Counts a call of <paramref name="texts"/>; true when it must throw.</summary>
    internal bool Record(IReadOnlyList<string> texts)
    {
        var call = Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _texts, texts.Count);
        bool fail;
        lock (FailCalls)
        {
            fail = FailCalls.Contains(call);
        }

        if (fail)
        {
            foreach (var text in texts)
            {
                FailedTexts.Enqueue(text);
            }
        }

        return fail;
    }
}
