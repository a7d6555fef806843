using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Primitives;
using Rerank.IngestPipeline.Contracts;
using Rerank.Sidecar.IndexConfig;

namespace Rerank.Sidecar.Tests.IndexConfig;

public sealed class MetaValidationMiddlewareTests
{
    private const string Invalid = """{"_meta":{"rerank":{"version":1,"model":"m1","text_fields":["t"],"window":5000}}}""";

    [Theory]
    [InlineData("PUT", "/books", "books", true)]
    [InlineData("PUT", "/books/", "books", true)]
    [InlineData("PUT", "/books/_mapping", "books", false)]
    [InlineData("POST", "/books/_mapping", "books", false)]
    [InlineData("PUT", "/books,films/_mapping", "books,films", false)]
    public void Match_MappingChangeOrIndexCreation_NamesTheIndex(string method, string path, string index, bool underMappings) =>
        Assert.Equal((index, underMappings), MetaValidationMiddleware.Match(method, path));

    [Theory]
    [InlineData("POST", "/books")]
    [InlineData("GET", "/books/_mapping")]
    [InlineData("PUT", "/_index_template/t")]
    [InlineData("PUT", "/books/_doc/1")]
    [InlineData("PUT", "/books/_settings")]
    [InlineData("DELETE", "/books")]
    public void Match_OtherRequests_AreNotRead(string method, string path) =>
        Assert.Null(MetaValidationMiddleware.Match(method, path));

    [Theory]
    [InlineData("")]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task Check_InvalidMetaInAnyCodingTheClusterAccepts_IsFound(string coding)
    {
        var error = await Check(underMappings: false, Encode(Invalid, coding), coding);

        Assert.NotNull(error);
        Assert.Equal("invalid [_meta.rerank] of index [books]: [_meta.rerank.window] must be an integer from 1 to 1000, got [5000]", error.Message);
    }

    [Theory]
    [InlineData("{not json", "")]
    [InlineData("""{"properties":{}}""", "")]
    [InlineData(Invalid, "compress")]
    public async Task Check_NotJsonNoMetaOrUnknownCoding_LeavesItToTheCluster(string body, string coding) =>
        Assert.Null(await Check(underMappings: false, Encoding.UTF8.GetBytes(body), coding));

    [Fact]
    public async Task Check_IndexCreation_ReadsUnderMappings()
    {
        var body = Encoding.UTF8.GetBytes("{\"settings\":{},\"mappings\":" + Invalid + "}");

        Assert.NotNull(await Check(underMappings: true, body, ""));
        Assert.Null(await Check(underMappings: true, Encoding.UTF8.GetBytes(Invalid), ""));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Check_BrokenCompressedBody_LeavesItToTheCluster(string coding)
    {
        var broken = Encode(Invalid, coding)[..10];

        Assert.Null(await Check(underMappings: false, broken, coding));
    }

    [Fact]
    public async Task Check_BodyThatInflatesPastTheLimit_LeavesItToTheCluster()
    {
        // An invalid _meta.rerank followed by 64 KiB of spaces: 1 KiB compressed, over the 16 KiB limit once inflated.
        var bomb = Encode(Invalid + new string(' ', 64 * 1024), "gzip");
        Assert.True(bomb.Length < 1024);

        Assert.Null(await MetaValidationMiddleware.CheckAsync("books", false, bomb, new StringValues("gzip"), 16 * 1024, TestContext.Current.CancellationToken));
        Assert.NotNull(await MetaValidationMiddleware.CheckAsync("books", false, bomb, new StringValues("gzip"), 128 * 1024, TestContext.Current.CancellationToken));
    }

    private static Task<RerankConfigException?> Check(bool underMappings, byte[] body, string coding) =>
        MetaValidationMiddleware.CheckAsync("books", underMappings, body, new StringValues(coding), 100L * 1024 * 1024, TestContext.Current.CancellationToken);

    private static byte[] Encode(string text, string coding)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (coding.Length == 0)
        {
            return bytes;
        }

        using var buffer = new MemoryStream();
        using (Stream stream = coding switch
        {
            "gzip" => new GZipStream(buffer, CompressionLevel.Fastest),
            "deflate" => new ZLibStream(buffer, CompressionLevel.Fastest),
            _ => new BrotliStream(buffer, CompressionLevel.Fastest),
        })
        {
            stream.Write(bytes);
        }

        return buffer.ToArray();
    }
}
