using Rerank.Model.Runtime;

namespace Rerank.Sidecar.Models;

/// <summary>
/// One loaded bundle with a reference count: the registry holds one reference while the bundle is current, each encode
/// call holds one for its duration. The model is disposed when the count reaches zero, so a bundle swapped out by a
/// reload keeps serving the calls already using it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class LoadedModel
{
    private readonly StudentModel _model;
    private int _references = 1;

    public LoadedModel(StudentModel model, string directory)
    {
        _model = model;
        Directory = directory;
    }

    public string Directory { get; }

    public string ModelId => _model.ModelId;

    public int Dim => _model.Dim;

    public int ProjectionDim => _model.ProjectionDim;

    /// <summary>The model; valid only while the caller holds a reference.</summary>
    public StudentModel Model => _model;

    /// <summary>True once the last reference was released and the model disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _references) == 0;

    /// <summary>Takes a reference; false when the model is already disposed.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Gives a reference back (the registry's own when the bundle is retired); the last one disposes the model.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _model.Dispose();
        }
    }
}
