using System.CommandLine;
using System.Globalization;
using System.Net;

namespace Rerank.Cli.Engine;

/// <summary>
/// Checks <c>--urls</c> before Kestrel sees it. Kestrel binds every interface for a host it cannot parse as an address
/// (so <c>http://256.1.1.1:1</c> would listen on <c>[::]:1</c>), and fails deep in start-up on other mistakes; here each
/// address must be <c>http://host:port</c> with an IP address, <c>localhost</c>, <c>*</c> or <c>+</c> as host and a port
/// from 0 (a free port) to 65535.
/// </summary>
internal static class ListenAddresses
{
    /// <summary>Adds the check of every address to <paramref name="urls"/> (<c>--urls</c> of <c>engine</c> and <c>serve</c>).</summary>
    public static void AddValidator(Option<string> urls)
    {
        urls.Validators.Add(r =>
        {
            var addresses = Split(r.GetValueOrDefault<string>() ?? "");
            if (addresses.Length == 0)
            {
                r.AddError("--urls: no address given (http://host:port).");
            }

            foreach (var url in addresses)
            {
                if (Check(url) is { } problem)
                {
                    r.AddError($"--urls: {problem}.");
                }
            }
        });
    }

    /// <summary>The addresses of <paramref name="value"/>, separated by ';'.</summary>
    public static string[] Split(string value) =>
        value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Why <paramref name="url"/> is not an address the engine can listen on, or null when it is.</summary>
    public static string? Check(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        const string Expected = "expected http://host:port with an IP address, localhost or * as host";
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : url[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{url}' is not an address ({Expected}; https is not supported)";
        }

        var authority = url[(schemeEnd + 3)..].TrimEnd('/');
        var portStart = authority.LastIndexOf(':');
        if (portStart < 0 || authority.EndsWith(']'))
        {
            return $"'{url}' has no port ({Expected})";
        }

        var host = authority[..portStart];
        var port = authority[(portStart + 1)..];
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
        {
            return $"'{url}': '{port}' is not a port (0 to 65535)";
        }

        var isAddress = host is "*" or "+" || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (host.StartsWith('[') && host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out _))
            || (!host.Contains(':') && IPAddress.TryParse(host, out var ip) && ip.ToString() == host);
        return isAddress ? null : $"'{url}': '{host}' is not an IP address, localhost or * ({Expected})";
    }
}
