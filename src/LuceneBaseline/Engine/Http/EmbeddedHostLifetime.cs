using Microsoft.Extensions.Hosting;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// A host lifetime that leaves process signals alone: the engine runs inside other programs (the CLI, the sidecar,
/// tests), and whoever owns the process decides when to dispose it. The default console lifetime would take Ctrl+C
/// and SIGTERM for itself.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
