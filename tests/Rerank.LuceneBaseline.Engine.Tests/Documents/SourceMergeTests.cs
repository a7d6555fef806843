using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Documents;

namespace Rerank.LuceneBaseline.Engine.Tests.Documents;

public sealed class SourceMergeTests
{
    [Fact]
    public void Merge_NestedObjectsAndArrays_MergesObjectsAndReplacesTheRest()
    {
        var target = JsonNode.Parse("""{"a":{"x":1,"y":2},"tags":["p","q"],"n":1}""")!.AsObject();

        var changed = SourceMerge.Merge(target, JsonNode.Parse("""{"a":{"y":3,"z":4},"tags":["r"],"new":null}""")!.AsObject());

        Assert.True(changed);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":{"x":1,"y":3,"z":4},"tags":["r"],"n":1,"new":null}"""), target), target.ToJsonString());
    }

    [Fact]
    public void Merge_SameValues_ReportsNoChange()
    {
        var target = JsonNode.Parse("""{"a":{"x":1},"tags":["p"],"s":"v"}""")!.AsObject();

        Assert.False(SourceMerge.Merge(target, JsonNode.Parse("""{"a":{"x":1},"tags":["p"],"s":"v"}""")!.AsObject()));
        Assert.False(SourceMerge.Merge(target, JsonNode.Parse("""{"a":{}}""")!.AsObject()));
    }
}
