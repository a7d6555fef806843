using System.Net.Sockets;

namespace Rerank.Sidecar.FunctionalTests.RealCluster;

/// <summary>
/// Whether a Docker engine answers here, found the way Testcontainers looks for one (<c>DOCKER_HOST</c>, else the usual
/// unix sockets) and asked <c>GET /_ping</c> with a 2-second limit, so a machine without one skips at once.
/// </summary>
internal static class DockerEngine
{
    private static readonly Lazy<Task<string?>> s_unavailable = new(ProbeAsync);

    /// <summary>Null when an engine answered; otherwise why the real-cluster tests are skipped.</summary>
    public static Task<string?> UnavailableReasonAsync() => s_unavailable.Value;

    private static async Task<string?> ProbeAsync()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        string? socket = null;
        Uri? tcp = null;
        if (!string.IsNullOrWhiteSpace(host))
        {
            if (host.StartsWith("unix://", StringComparison.Ordinal))
            {
                socket = host["unix://".Length..];
            }
            else if (host.StartsWith("tcp://", StringComparison.Ordinal) && Uri.TryCreate("http://" + host["tcp://".Length..], UriKind.Absolute, out var url))
            {
                tcp = url;
            }
            else
            {
                // npipe:// and ssh:// cannot be pinged here; let Testcontainers try.
                return null;
            }
        }
        else
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
            socket = new[] { "/var/run/docker.sock", Path.Combine(home, ".docker", "run", "docker.sock"), runtime is null ? null : Path.Combine(runtime, "docker.sock") }
                .FirstOrDefault(p => p is not null && File.Exists(p));
            if (socket is null)
            {
                return "no Docker engine here (no DOCKER_HOST, no /var/run/docker.sock or rootless socket): the real-cluster tests need one (docs/deploy.md)";
            }
        }

        using var handler = new SocketsHttpHandler();
        if (socket is not null)
        {
            var path = socket;
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await unix.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                    return new NetworkStream(unix, ownsSocket: true);
                }
                catch
                {
                    unix.Dispose();
                    throw;
                }
            };
        }

        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var where = socket ?? tcp!.ToString();
        try
        {
            using var response = await client.GetAsync(new Uri(tcp ?? new Uri("http://docker"), "/_ping"));
            return response.IsSuccessStatusCode ? null : $"the Docker engine at [{where}] answered {(int)response.StatusCode} to /_ping";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or SocketException or IOException)
        {
            return $"the Docker engine at [{where}] does not answer: {exception.Message}";
        }
    }
}
