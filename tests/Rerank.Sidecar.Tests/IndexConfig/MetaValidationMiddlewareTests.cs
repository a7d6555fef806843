using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Primitives;
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
    public void Check_InvalidMetaInAnyCodingTheClusterAccepts_IsFound(string coding)
    {
        var error = MetaValidationMiddleware.Check("books", underMappings: false, Encode(Invalid, coding), new StringValues(coding));

        Assert.NotNull(error);
        Assert.Equal("invalid [_meta.rerank] of index [books]: [_meta.rerank.window] must be an integer from 1 to 1000, got [5000]", error.Message);
    }

    [Theory]
    [InlineData("{not json", "")]
    [InlineData("""{"properties":{}}""", "")]
    [InlineData(Invalid, "compress")]
    public void Check_NotJsonNoMetaOrUnknownCoding_LeavesItToTheCluster(string body, string coding) =>
        Assert.Null(MetaValidationMiddleware.Check("books", underMappings: false, Encoding.UTF8.GetBytes(body), new StringValues(coding)));

    [Fact]
    public void Check_IndexCreation_ReadsUnderMappings()
    {
        var body = Encoding.UTF8.GetBytes("{\"settings\":{},\"mappings\":" + Invalid + "}");

        Assert.NotNull(MetaValidationMiddleware.Check("books", underMappings: true, body, StringValues.Empty));
        Assert.Null(MetaValidationMiddleware.Check("books", underMappings: true, Encoding.UTF8.GetBytes(Invalid), StringValues.Empty));
    }

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
