using System.Runtime.InteropServices;

namespace Rerank.Cli.Common;

/// <summary>
/// How a foreground server command (<c>engine</c>, <c>serve</c>) stops: Ctrl+C and SIGTERM (docker stop, systemd)
/// cancel <see cref="Token"/> instead of killing the process, so hosts are disposed and indices committed and closed.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    public StopSignal(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    /// <summary>Cancelled by Ctrl+C, SIGTERM or the command's own token.</summary>
    public CancellationToken Token => _stop.Token;

    public bool IsStopping => _stop.IsCancellationRequested;

    /// <summary>Waits until stopped, then prints <c>{name}: stopping</c>.</summary>
    public async Task WaitAsync(TextWriter output, string name)
    {
        output.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            output.WriteLine($"{name}: stopping");
        }
    }

    public void Dispose()
    {
        _sigterm.Dispose();
        _sigint.Dispose();
        _stop.Dispose();
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }
}
