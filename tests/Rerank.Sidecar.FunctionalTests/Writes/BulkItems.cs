using System.Text.Json.Nodes;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>Compares two <c>_bulk</c> answers item by item, as a client reads them.</summary>
internal static class BulkItems
{
    /// <summary>
    /// Asserts the same items in the same order: the action, <c>_id</c>, status, result, and the error's type and
    /// reason (<paramref name="index"/> in the sidecar's reasons read as <paramref name="directIndex"/>). Index names,
    /// took, versions and sequence numbers are the only things allowed to differ.
    /// </summary>
    public static void AssertSame(JsonNode direct, JsonNode throughSidecar, string directIndex, string index)
    {
        Assert.Equal((bool)direct["errors"]!, (bool)throughSidecar["errors"]!);
        var expected = direct["items"]!.AsArray();
        var actual = throughSidecar["items"]!.AsArray();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (action, want) = Assert.Single(expected[i]!.AsObject());
            var (gotAction, got) = Assert.Single(actual[i]!.AsObject());
            Assert.Equal(action, gotAction);
            Assert.Equal((string?)want!["_id"], (string?)got!["_id"]);
            Assert.Equal((int)want["status"]!, (int)got["status"]!);
            Assert.Equal((string?)want["result"], (string?)got["result"]);
            Assert.Equal((string?)want["error"]?["type"], (string?)got["error"]?["type"]);
            Assert.Equal((string?)want["error"]?["reason"], ((string?)got["error"]?["reason"])?.Replace(index, directIndex, StringComparison.Ordinal));
        }
    }
}
