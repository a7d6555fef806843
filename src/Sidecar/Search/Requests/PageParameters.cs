using System.Globalization;
using System.Text.Json;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>
/// The user's page, <c>from</c> (default 0) and <c>size</c> (default 10), read as Elasticsearch reads them: a URL
/// parameter overrides the body's value, and both take numeric strings.
/// </summary>
internal static class PageParameters
{
    public const int DefaultFrom = 0;
    public const int DefaultSize = 10;

    /// <summary>False when a value is not a non-negative integer: the cluster refuses the request, so it answers it.</summary>
    public static bool TryRead(JsonElement? root, QueryStringParameters url, out int from, out int size)
    {
        size = DefaultSize;
        return TryRead(root, url, SearchBodyKeys.From, DefaultFrom, out from) && TryRead(root, url, SearchBodyKeys.Size, DefaultSize, out size);
    }

    private static bool TryRead(JsonElement? root, QueryStringParameters url, string name, int fallback, out int value)
    {
        value = fallback;
        if (url.Get(name) is { } text)
        {
            return TryParse(text, out value);
        }

        if (root is not { } body || !body.TryGetProperty(name, out var element))
        {
            return true;
        }

        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt32(out value) && value >= 0,
            JsonValueKind.String => TryParse(element.GetString()!, out value),
            _ => false,
        };
    }

    private static bool TryParse(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= 0;
}
