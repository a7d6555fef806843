using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Documents;

namespace Rerank.LuceneBaseline.Engine.Tests.Documents;

public sealed class SourceValuesTests
{
    [Fact]
    public void Get_NestedDottedAndArrays_FlattensInSourceOrderSkippingNulls()
    {
        var source = JsonNode.Parse("""
            {"author":{"name":"a"},"author.name":["b",null,["c"]],"authors":[{"name":"d"},{"name":null},{"x":1}],"other":{"name":"z"}}
            """)!.AsObject();

        Assert.Equal(["a", "b", "c"], SourceValues.Get(source, "author.name").Select(v => v.GetValue<string>()));
        Assert.Equal(["d"], SourceValues.Get(source, "authors.name").Select(v => v.GetValue<string>()));
        Assert.Empty(SourceValues.Get(source, "author"));
        Assert.Empty(SourceValues.Get(source, "missing"));
    }
}
