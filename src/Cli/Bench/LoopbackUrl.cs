using System.Net;

namespace Rerank.Cli.Bench;

/// <summary>The URLs <c>rerank bench search</c> may send to: http(s) on this machine only (127.0.0.0/8, ::1, localhost).</summary>
internal static class LoopbackUrl
{
    /// <summary>Whether <paramref name="value"/> is an absolute http(s) URL whose host is a loopback address or <c>localhost</c>.</summary>
    public static bool TryParse(string value, out Uri url)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out url!) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        return url.IsLoopback
            && (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));
    }

    /// <summary>The one-line refusal for <paramref name="value"/> given as <paramref name="what"/>.</summary>
    public static string Refusal(string what, string value) =>
        $"{what}: '{value}' is not a loopback http(s) URL (bench search only sends to this machine: 127.0.0.1, [::1] or localhost).";
}
