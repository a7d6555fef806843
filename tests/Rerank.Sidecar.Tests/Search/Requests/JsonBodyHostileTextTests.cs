using System.Text;
using Rerank.Sidecar.Search.Requests;

namespace Rerank.Sidecar.Tests.Search.Requests;

/// <summary>Bodies whose text System.Text.Json cannot read exactly are not planned (docs/search.md "Interception").</summary>
public sealed class JsonBodyHostileTextTests
{
    [Theory]
    [InlineData("""{"q":"\ud800"}""")]
    [InlineData("""{"q":"\udc00"}""")]
    [InlineData("""{"q":"\ud800x"}""")]
    [InlineData("""{"q":"\ud800\n"}""")]
    [InlineData("""{"q":"\ud800\ud800"}""")]
    [InlineData("""{"\uDBFF":1}""")]
    public void TryParse_EscapedSurrogateWithoutItsPair_IsNotJsonToPlan(string body)
    {
        Assert.False(JsonBody.TryParse(Encoding.UTF8.GetBytes(body), out _));
    }

    [Theory]
    [InlineData("""{"q":"\ud83d\ude00"}""")]
    [InlineData("""{"q":"\\ud800"}""")]
    [InlineData("""{"q":"\\\ud83d\ude00\\"}""")]
    [InlineData("""{"q":"\u00e9\u0000"}""")]
    public void TryParse_PairedOrLiteralEscapes_Parse(string body)
    {
        Assert.True(JsonBody.TryParse(Encoding.UTF8.GetBytes(body), out var document));
        document!.Dispose();
    }

    [Theory]
    [InlineData("\\", false)]
    [InlineData("abc\\u12", false)]
    [InlineData("\\ud83d", true)]
    [InlineData("\\ud83d\\\\ude00", true)]
    [InlineData("\\\\ud800", false)]
    public void HasLoneSurrogateEscape_AnyBytes_AnswersWithoutThrowing(string text, bool expected)
    {
        Assert.Equal(expected, JsonBody.HasLoneSurrogateEscape(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void TryParse_InvalidUtf8InAString_IsNotJsonToPlan()
    {
        byte[] body = [.. "{\"q\":\"caf"u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.False(JsonBody.TryParse(body, out _));
    }

    [Fact]
    public void TryParse_OneMebibyteObjectOfDistinctKeys_IsReadInBoundedTime()
    {
        // About 90,000 keys in one object: the duplicate-key check must not be quadratic (a search body is 1 MiB at most).
        var text = new StringBuilder("{");
        for (var i = 0; text.Length < (1 << 20) - 32; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append("\"k").Append(i).Append("\":0");
        }

        text.Append('}');
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.True(JsonBody.TryParse(Encoding.UTF8.GetBytes(text.ToString()), out var document));

        document!.Dispose();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }
}
