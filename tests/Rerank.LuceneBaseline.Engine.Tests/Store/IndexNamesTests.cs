using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

public sealed class IndexNamesTests
{
    // Reasons as Elasticsearch 8.19/9.x words them (MetadataCreateIndexService.validateIndexOrAliasName, then lower case).
    private const string Forbidden = "must not contain the following characters [' ','\"','*',',','/','<','>','?','\\','|']";

    [Theory]
    [InlineData("Logs", "must be lowercase")]
    [InlineData("a b", Forbidden)]
    [InlineData("a,b", Forbidden)]
    [InlineData("a\\b", Forbidden)]
    [InlineData("a/b", Forbidden)]
    [InlineData("a*", Forbidden)]
    [InlineData("a?", Forbidden)]
    [InlineData("a\"b", Forbidden)]
    [InlineData("a<b", Forbidden)]
    [InlineData("a>b", Forbidden)]
    [InlineData("a|b", Forbidden)]
    [InlineData("a#b", "must not contain '#'")]
    [InlineData("remote:index", "must not contain ':'")]
    [InlineData("_private", "must not start with '_', '-', or '+'")]
    [InlineData("-minus", "must not start with '_', '-', or '+'")]
    [InlineData("+plus", "must not start with '_', '-', or '+'")]
    [InlineData(".", "must not be '.' or '..'")]
    [InlineData("..", "must not be '.' or '..'")]
    [InlineData("", "must not be empty")]
    [InlineData("Bad Name", Forbidden)] // the character rule precedes the lower-case rule
    public void Validate_InvalidName_ThrowsInvalidIndexNameWithElasticsearchReason(string name, string why)
    {
        var error = Assert.Throws<EngineException>(() => IndexNames.Validate(name));

        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_index_name_exception", error.Type);
        Assert.Equal($"Invalid index name [{name}], {why}", error.Reason);
        Assert.Equal(name, error.Index);
        Assert.Equal("_na_", error.Extra!["index_uuid"]!.GetValue<string>());
    }

    [Fact]
    public void Validate_NameOf256Bytes_ThrowsTooLong()
    {
        // 127 two-byte characters (é) and two ASCII letters: 256 UTF-8 bytes, 129 characters.
        var name = new string('é', 127) + "ab";

        var error = Assert.Throws<EngineException>(() => IndexNames.Validate(name));

        Assert.Equal($"Invalid index name [{name}], index name is too long, (256 > 255)", error.Reason);
    }

    [Theory]
    [InlineData("logs")]
    [InlineData("logs-2024.01.01")]
    [InlineData(".hidden-ish")]
    [InlineData("a_b+c")]
    [InlineData("日本語")]
    public void Validate_ValidName_DoesNotThrow(string name) => IndexNames.Validate(name);

    [Fact]
    public void Validate_NameOf255Bytes_DoesNotThrow() => IndexNames.Validate(new string('a', 255));
}
