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

    [Fact]
    public void TryParse_InvalidUtf8InAString_IsNotJsonToPlan()
    {
        byte[] body = [.. "{\"q\":\"caf"u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.False(JsonBody.TryParse(body, out _));
    }
}
