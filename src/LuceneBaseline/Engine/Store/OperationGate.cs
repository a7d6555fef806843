namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// Lets operations run until the owner closes, and lets closing wait for the operations in flight, so a writer is never
/// disposed under a write. Thread-safe; <see cref="Enter"/> may nest.
/// </summary>
internal sealed class OperationGate
{
    private readonly object _lock = new();
    private readonly Func<Exception> _closedError;
    private int _active;
    private bool _closed;

    /// <param name="closedError">The exception an operation gets once the gate is closed.</param>
    public OperationGate(Func<Exception> closedError)
    {
        _closedError = closedError;
    }

    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>Admits one operation; dispose the scope when it ends.</summary>
    /// <exception cref="Exception">The closed error once <see cref="Close"/> has begun.</exception>
    public Scope Enter()
    {
        lock (_lock)
        {
            if (_closed)
            {
                throw _closedError();
            }

            _active++;
        }

        return new Scope(this);
    }

    /// <summary>Admits one operation unless closed.</summary>
    public bool TryEnter(out Scope scope)
    {
        lock (_lock)
        {
            if (_closed)
            {
                scope = default;
                return false;
            }

            _active++;
        }

        scope = new Scope(this);
        return true;
    }

    /// <summary>Refuses new operations and waits for those in flight; false when already closed.</summary>
    public bool Close()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _closed = true;
            while (_active > 0)
            {
                Monitor.Wait(_lock);
            }

            return true;
        }
    }

    private void Exit()
    {
        lock (_lock)
        {
            _active--;
            if (_closed && _active == 0)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>One admitted operation.</summary>
    internal readonly struct Scope : IDisposable
    {
        private readonly OperationGate? _gate;

        public Scope(OperationGate gate)
        {
            _gate = gate;
        }

        public void Dispose() => _gate?.Exit();
    }
}
