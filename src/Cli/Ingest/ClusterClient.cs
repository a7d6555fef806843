using Elastic.Clients.Elasticsearch;
using Elastic.Transport;

namespace Rerank.Cli.Ingest;

/// <summary>The official client for <c>--cluster</c>: an Elasticsearch cluster or the embedded engine, alike.</summary>
internal static class ClusterClient
{
    /// <summary>
    /// A client for <paramref name="cluster"/> (<c>http(s)://[user:password@]host:port</c>): credentials in the URL are
    /// sent as basic authentication and never printed.
    /// </summary>
    /// <exception cref="ArgumentException">Not an absolute http or https URL.</exception>
    public static ElasticsearchClient Create(string cluster)
    {
        if (!Uri.TryCreate(cluster, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"--cluster must be an http:// or https:// URL, got [{cluster}]");
        }

        var settings = new ElasticsearchClientSettings(new Uri(uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)))
            .RequestTimeout(TimeSpan.FromMinutes(2));
        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
            var password = separator < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
            settings = settings.Authentication(new BasicAuthentication(user, password));
        }

        return new ElasticsearchClient(settings);
    }
}
