using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Rerank.Cli.Tests.Engine;

/// <summary><c>rerank engine</c> as a real child process on 127.0.0.1 with a free port; killed, not stopped, on dispose.</summary>
internal sealed partial class EngineProcess : IDisposable
{
    private readonly Process _process;

    private readonly Task<string> _rest;

    private EngineProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;

        // Keep draining stdout so the child never blocks on a full pipe; what it prints later is kept.
        _rest = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
    }

    public Uri Url { get; }

    public static async Task<EngineProcess> StartAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var rerank = Path.Combine(AppContext.BaseDirectory, "rerank.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { rerank, "engine", "--data-dir", dataDirectory, "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                return new EngineProcess(process, new Uri(match.Groups[1].Value));
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"rerank engine exited with {process.ExitCode} before listening.");
    }

    /// <summary>SIGTERM, as docker stop or systemd send it; returns the exit code and what the process printed after.</summary>
    public async Task<(int ExitCode, string Output)> TerminateAsync(CancellationToken cancellationToken)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken);
        }

        await _process.WaitForExitAsync(cancellationToken);
        return (_process.ExitCode, await _rest);
    }

    /// <summary>SIGKILL: no shutdown code runs, so only what was durable before survives.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    [GeneratedRegex(@"^engine: listening on (http://\S+)$")]
    private static partial Regex ListeningLine();
}
