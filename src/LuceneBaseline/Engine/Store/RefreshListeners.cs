namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// Callers of <c>refresh=wait_for</c>: each waits until a refresh has made its <c>_seq_no</c> visible to search.
/// Thread-safe.
/// </summary>
internal sealed class RefreshListeners
{
    private readonly Lock _lock = new();
    private readonly List<Listener> _listeners = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _listeners.Count;
            }
        }
    }

    /// <summary>A task that completes when <see cref="Complete"/> reaches <paramref name="seqNo"/>, or is cancelled.</summary>
    public Task Add(long seqNo, CancellationToken cancellationToken)
    {
        var listener = new Listener(seqNo);
        lock (_lock)
        {
            _listeners.Add(listener);
        }

        if (cancellationToken.CanBeCanceled)
        {
            listener.Registration = cancellationToken.Register(() =>
            {
                lock (_lock)
                {
                    _listeners.Remove(listener);
                }

                listener.Completion.TrySetCanceled(cancellationToken);
            });
        }

        return listener.Completion.Task;
    }

    /// <summary>Completes the listeners whose sequence number is at or below <paramref name="checkpoint"/>.</summary>
    public void Complete(long checkpoint) => CompleteWhere(listener => listener.SeqNo <= checkpoint);

    /// <summary>Completes every listener (the index is closing: there is nothing left to wait for).</summary>
    public void CompleteAll() => CompleteWhere(_ => true);

    private void CompleteWhere(Predicate<Listener> done)
    {
        List<Listener> completed;
        lock (_lock)
        {
            completed = _listeners.FindAll(done);
            if (completed.Count == 0)
            {
                return;
            }

            _listeners.RemoveAll(done);
        }

        foreach (var listener in completed)
        {
            listener.Registration.Dispose();
            listener.Completion.TrySetResult();
        }
    }

    private sealed class Listener(long seqNo)
    {
        public long SeqNo { get; } = seqNo;

        // Continuations run on the thread pool, never inside the refresh that completes them.
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}
