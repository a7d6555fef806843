using Microsoft.Extensions.Hosting;

namespace Rerank.Sidecar.Hosting;

/// <summary>
/// A host lifetime that leaves process signals alone: whoever owns the process (the CLI, tests) decides when the
/// sidecar is disposed. The default console lifetime would take Ctrl+C and SIGTERM for itself.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
