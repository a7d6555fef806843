using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>
/// The <c>binary</c> field type over real HTTP, against Elasticsearch's documented behaviour: a Base64 string, not
/// searchable, doc values off by default; <c>docvalue_fields</c> prints Base64, <c>fields</c> returns the source value.
/// </summary>
public sealed class BinaryFieldContractTests
{
    // "Some binary blob", Elasticsearch's own example; AQ== is [0x01], Ag== is [0x02], AP8= is [0x00, 0xFF].
    private const string Blob = "U29tZSBiaW5hcnkgYmxvYg==";

    private const string Mappings = """
        {"mappings":{"properties":{
          "blob":{"type":"binary"},
          "proj":{"type":"binary","doc_values":true,"meta":{"encoding":"float16"}},
          "tag":{"type":"keyword"}}}}
        """;

    [Fact]
    public async Task GetMapping_BinaryFields_EchoesDocValuesOnlyWhenSetAndMeta()
    {
        await using var engine = await EngineServer.StartAsync();
        Assert.Equal(200, (await engine.PutAsync("/vectors", Mappings)).StatusCode);

        var mapping = await engine.GetAsync("/vectors/_mapping");

        var properties = mapping.Json["vectors"]!["mappings"]!["properties"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"binary"}"""), properties["blob"]), properties["blob"]!.ToJsonString());
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse("""{"type":"binary","doc_values":true,"meta":{"encoding":"float16"}}"""), properties["proj"]),
            properties["proj"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"type":"binary","store":true}""", "the embedded engine does not support parameter [store] on mapper [b] of type [binary]")]
    [InlineData("""{"type":"binary","fields":{"k":{"type":"keyword"}}}""", "the embedded engine does not support parameter [fields] on mapper [b] of type [binary]")]
    [InlineData("""{"type":"binary","index":false}""", "unknown parameter [index] on mapper [b] of type [binary]")]
    [InlineData("""{"type":"binary","doc_values":null}""", "[doc_values] on mapper [b] of type [binary] must not have a [null] value")]
    public async Task CreateIndex_BinaryWithRefusedOrUnknownParameter_IsMapperParsingException(string field, string expected)
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.PutAsync("/vectors", """{"mappings":{"properties":{"b":""" + field + "}}}");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("mapper_parsing_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal("Failed to parse mapping: " + expected, (string?)response.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task PutMapping_ChangingDocValues_IsAConflict_RestatingItIsNot()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);

        var change = await engine.PutAsync("/vectors/_mapping", """{"properties":{"blob":{"type":"binary","doc_values":true}}}""");
        var restate = await engine.PutAsync("/vectors/_mapping", """{"properties":{"proj":{"type":"binary","doc_values":true,"meta":{"encoding":"int8"}}}}""");

        Assert.Equal(400, change.StatusCode);
        Assert.Equal("illegal_argument_exception", (string?)change.Json["error"]!["type"]);
        Assert.Equal("Mapper for [blob] conflicts with existing mapper:\n\tCannot update parameter [doc_values] from [false] to [true]", (string?)change.Json["error"]!["reason"]);
        Assert.Equal(200, restate.StatusCode);
        var proj = (await engine.GetAsync("/vectors/_mapping")).Json["vectors"]!["mappings"]!["properties"]!["proj"]!;
        Assert.Equal("int8", (string?)proj["meta"]!["encoding"]);
    }

    [Fact]
    public async Task Index_InvalidBase64WithDocValues_IsDocumentParsingExceptionAtTheValue()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);

        var response = await engine.PutAsync("/vectors/_doc/1", """{"proj":"not base64!"}""");

        // {"proj": is eight characters, so the value starts in column 9; Jackson stops at the first illegal character, ' '.
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("document_parsing_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal(
            "[1:9] failed to parse field [proj] of type [binary] in document with id '1'. Preview of field's value: 'not base64!'",
            (string?)response.Json["error"]!["reason"]);
        Assert.Equal("x_content_parse_exception", (string?)response.Json["error"]!["caused_by"]!["type"]);
        Assert.Equal(
            "[1:9] Failed to decode VALUE_STRING as base64 (MIME-NO-LINEFEEDS): Illegal character ' ' (code 0x20) in base64 content",
            (string?)response.Json["error"]!["caused_by"]!["reason"]);
    }

    [Theory]
    [InlineData("""{"proj":5}""", "Current token (VALUE_NUMBER_INT) not VALUE_STRING or VALUE_EMBEDDED_OBJECT, can not access as binary")]
    [InlineData("""{"proj":true}""", "Current token (VALUE_TRUE) not VALUE_STRING or VALUE_EMBEDDED_OBJECT, can not access as binary")]
    [InlineData("""{"proj":"QUJD"}""", null)]
    [InlineData("""{"proj":"QUI"}""", "Failed to decode VALUE_STRING as base64 (MIME-NO-LINEFEEDS): Unexpected end of base64-encoded String: base64 variant 'MIME-NO-LINEFEEDS' expects padding (one or more '=' characters) at the end")]
    public async Task Index_ValuesOfADocValuesBinaryField_AreBase64StringsOnly(string document, string? cause)
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);

        var response = await engine.PutAsync("/vectors/_doc/1", document);

        if (cause is null)
        {
            Assert.Equal(201, response.StatusCode);
            return;
        }

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("[1:9] " + cause, (string?)response.Json["error"]!["caused_by"]!["reason"]);
    }

    [Fact]
    public async Task Index_AnyValueWithoutDocValues_IsKeptInSourceUndecoded()
    {
        // Elasticsearch's BinaryFieldMapper returns before decoding when the field is neither stored nor has doc values.
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);

        var response = await engine.PutAsync("/vectors/_doc/1?refresh=true", """{"blob":"not base64!"}""");
        var document = await engine.GetAsync("/vectors/_doc/1");

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("not base64!", (string?)document.Json["_source"]!["blob"]);
    }

    [Fact]
    public async Task Search_DocValueFields_ReturnsSortedDistinctBase64_FieldsAndSourceReturnTheValuesAsSent()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);
        await engine.PutAsync("/vectors/_doc/1?refresh=true", $$"""{"blob":"{{Blob}}","proj":["Ag==","AQ==","Ag==","AP8="],"tag":"a"}""");

        var response = await engine.PostAsync("/vectors/_search", """{"_source":["proj"],"docvalue_fields":["proj"],"fields":["blob"]}""");

        var hit = response.Json["hits"]!["hits"]![0]!;
        // Unsigned byte order: [0x00, 0xFF] < [0x01] < [0x02]; the repeated Ag== once.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["AP8=","AQ==","Ag=="]"""), hit["fields"]!["proj"]), hit["fields"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($"""["{Blob}"]"""), hit["fields"]!["blob"]), hit["fields"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"proj":["Ag==","AQ==","Ag==","AP8="]}"""), hit["_source"]), hit["_source"]!.ToJsonString());
    }

    [Fact]
    public async Task Search_DocValueFieldsOnABinaryFieldWithoutDocValues_IsElasticsearchsFielddataError()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);
        await engine.PutAsync("/vectors/_doc/1?refresh=true", $$"""{"blob":"{{Blob}}"}""");

        var response = await engine.PostAsync("/vectors/_search", """{"docvalue_fields":["blob"]}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(
            "Can't load fielddata on [blob] because fielddata is unsupported on fields of type [binary]. Use doc values instead.",
            (string?)response.Json["error"]!["root_cause"]![0]!["reason"]);
    }

    [Fact]
    public async Task Search_Exists_MatchesDocValuesBinaryOnly()
    {
        // Without doc values (or store) Elasticsearch indexes nothing for the field, so exists finds nothing.
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);
        await engine.PutAsync("/vectors/_doc/1", $$"""{"blob":"{{Blob}}","proj":"AQ=="}""");
        await engine.PutAsync("/vectors/_doc/2?refresh=true", """{"tag":"none"}""");

        var proj = await engine.PostAsync("/vectors/_search", """{"query":{"exists":{"field":"proj"}}}""");
        var blob = await engine.PostAsync("/vectors/_search", """{"query":{"exists":{"field":"blob"}}}""");

        Assert.Equal(1, (int?)proj.Json["hits"]!["total"]!["value"]);
        Assert.Equal("1", (string?)proj.Json["hits"]!["hits"]![0]!["_id"]);
        Assert.Equal(0, (int?)blob.Json["hits"]!["total"]!["value"]);
    }

    [Theory]
    [InlineData("""{"query":{"term":{"proj":"AQ=="}}}""")]
    [InlineData("""{"query":{"terms":{"blob":["AQ=="]}}}""")]
    [InlineData("""{"query":{"match":{"proj":"AQ=="}}}""")]
    public async Task Search_TermLevelQueryOnBinary_IsBinaryFieldsDoNotSupportSearching(string body)
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);
        await engine.PutAsync("/vectors/_doc/1?refresh=true", """{"proj":"AQ=="}""");

        var response = await engine.PostAsync("/vectors/_search", body);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("search_phase_execution_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal("query_shard_exception", (string?)response.Json["error"]!["root_cause"]![0]!["type"]);
        Assert.Equal("failed to create query: Binary fields do not support searching", (string?)response.Json["error"]!["root_cause"]![0]!["reason"]);
    }

    [Fact]
    public async Task Search_SortOnBinary_IsCantSortOnBinaryField()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);
        await engine.PutAsync("/vectors/_doc/1?refresh=true", """{"proj":"AQ=="}""");

        var response = await engine.PostAsync("/vectors/_search", """{"sort":["proj"]}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("can't sort on binary field", (string?)response.Json["error"]!["root_cause"]![0]!["reason"]);
    }

    [Fact]
    public async Task Search_MultiMatchOnAllFields_SkipsBinaryFields()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);
        await engine.PutAsync("/vectors/_doc/1?refresh=true", """{"proj":"AQ==","tag":"AQ=="}""");

        var response = await engine.PostAsync("/vectors/_search", """{"query":{"multi_match":{"query":"AQ==","fields":["*"]}}}""");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(1, (int?)response.Json["hits"]!["total"]!["value"]);
    }

    [Fact]
    public async Task Search_Base64WithPlusSigns_IsWrittenUnescapedAsElasticsearchWritesIt()
    {
        // [0xFB, 0xEF] is "++8="; Jackson escapes only what JSON requires, so '+' is not \u002B on the wire.
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);
        await engine.PutAsync("/vectors/_doc/1?refresh=true", """{"proj":"++8="}""");

        var response = await engine.PostAsync("/vectors/_search", """{"_source":false,"docvalue_fields":["proj"]}""");

        Assert.Contains("\"proj\":[\"++8=\"]", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_DocValueFieldsOfAProjectionSizedValue_ReturnsTheBase64AsSent()
    {
        // 1,024 bytes (a float16 u_p of 512 values): its length needs two bytes in the doc value's length prefix.
        var bytes = Enumerable.Range(0, 1024).Select(i => (byte)(i * 37 % 256)).ToArray();
        var base64 = Convert.ToBase64String(bytes);
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", Mappings);
        await engine.PutAsync("/vectors/_doc/1?refresh=true", $$"""{"proj":"{{base64}}"}""");

        var response = await engine.PostAsync("/vectors/_search", """{"_source":false,"docvalue_fields":["proj"]}""");

        Assert.Equal(base64, (string?)response.Json["hits"]!["hits"]![0]!["fields"]!["proj"]![0]);
    }
}
