using System.Text;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Documents;

namespace Rerank.LuceneBaseline.Engine.Tests.Documents;

public sealed class SourceWriterTests
{
    [Fact]
    public void Write_PrettyJson_IsCompactWithOneBasedByteColumns()
    {
        var source = JsonNode.Parse("""
            { "a": [1, "x", {"b": null}],
              "c": true, "n": 1.50 }
            """)!.AsObject();

        var written = SourceWriter.Write(source);

        // {"a":[1,"x",{"b":null}],"c":true,"n":1.50}
        // 1234567890123456789012345678901234567890123
        Assert.Equal("""{"a":[1,"x",{"b":null}],"c":true,"n":1.50}""", Encoding.UTF8.GetString(written.Bytes));
        var array = source["a"]!.AsArray();
        Assert.Equal(1, written.Start(source));
        Assert.Equal(6, written.Start(array));
        Assert.Equal(7, written.Start(array[0]));
        Assert.Equal(9, written.Start(array[1]));
        Assert.Equal(13, written.Start(array[2]));
        Assert.Equal(23, written.End(array));
        Assert.Equal(29, written.Start(source["c"]));
        Assert.Equal(38, written.Start(source["n"]));
    }

    [Fact]
    public void Write_NonAsciiText_KeepsUtf8AndCountsBytes()
    {
        var source = JsonNode.Parse("""{"t":"日本","u":1}""")!.AsObject();

        var written = SourceWriter.Write(source);

        // Each of 日 and 本 is three UTF-8 bytes: {"t":"日本", is 1+3+1+8+1 = 14 bytes, so 1 starts at column 19.
        Assert.Equal("""{"t":"日本","u":1}""", Encoding.UTF8.GetString(written.Bytes));
        Assert.Equal(19, written.Start(source["u"]));
    }
}
