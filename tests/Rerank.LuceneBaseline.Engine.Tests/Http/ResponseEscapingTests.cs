namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>Response JSON escapes only what JSON requires, as Elasticsearch (Jackson) writes it.</summary>
public sealed class ResponseEscapingTests
{
    [Fact]
    public async Task GetDocument_HtmlSignsPlusAndNonAscii_AreWrittenAsTheyAre()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/docs/_doc/1?refresh=true", """{"t":"<a> & 'b' + é 日本"}""");

        var response = await engine.GetAsync("/docs/_doc/1");

        // Quote and backslash are the escapes JSON requires; these characters need none.
        Assert.Contains("\"t\":\"<a> & 'b' + é 日本\"", response.Text, StringComparison.Ordinal);
    }
}
