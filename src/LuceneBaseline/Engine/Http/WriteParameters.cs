using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>The URL parameters of single-document writes.</summary>
internal static class WriteParameters
{
    /// <summary>
    /// Reads <c>if_seq_no</c> / <c>if_primary_term</c> (and <c>op_type</c> when <paramref name="allowOpType"/>), and consumes
    /// the parameters that mean nothing on one node with one shard (<c>routing</c>, <c>timeout</c>,
    /// <c>wait_for_active_shards</c>). Features the engine lacks are refused by name. <c>require_alias</c> is read by
    /// <see cref="CheckRequireAlias"/>, which needs the catalog.
    /// </summary>
    public static WriteOptions Read(RestRequest request, OpType opType, bool allowOpType)
    {
        if (allowOpType && request.Param("op_type") is { } given)
        {
            opType = given switch
            {
                "index" => OpType.Index,
                "create" => OpType.Create,
                _ => throw EngineException.IllegalArgument($"opType must be 'create' or 'index', found: [{given}]"),
            };
        }

        RejectUnsupported(request, "version", "external versioning");
        RejectUnsupported(request, "version_type", "external versioning");
        RejectUnsupported(request, "pipeline", "ingest pipelines");
        ConsumeOneNodeParameters(request);
        var ifSeqNo = request.LongParam("if_seq_no");
        var ifPrimaryTerm = request.LongParam("if_primary_term");
        return Options(opType, ifSeqNo, ifPrimaryTerm);
    }

    /// <summary>The options of one write; Store validates them (<see cref="EngineIndex.ValidateIndex"/> and its siblings).</summary>
    public static WriteOptions Options(OpType opType, long? ifSeqNo, long? ifPrimaryTerm) =>
        new() { OpType = opType, IfSeqNo = ifSeqNo, IfPrimaryTerm = ifPrimaryTerm };

    /// <summary>Consumes parameters that only steer shard placement or replication, which one node with one shard has no use for.</summary>
    public static void ConsumeOneNodeParameters(RestRequest request)
    {
        request.Param("routing");
        request.Param("timeout");
        request.Param("wait_for_active_shards");
        request.Param("require_data_stream");
    }

    /// <summary>
    /// <c>require_alias=true</c>: the write's target must be an alias (Elasticsearch checks it before it would
    /// auto-create an index, so nothing is created).
    /// </summary>
    /// <exception cref="EngineException">404 <c>index_not_found_exception</c> when the target is not an alias.</exception>
    public static void CheckRequireAlias(RestRequest request, IndexCatalog catalog)
    {
        if (request.BoolParam("require_alias", false))
        {
            CheckIsAlias(request.Route("index") ?? "_all", catalog);
        }
    }

    /// <summary>Elasticsearch's answer to a write with <c>require_alias</c> whose target is not an alias.</summary>
    public static void CheckIsAlias(string target, IndexCatalog catalog)
    {
        if (!catalog.IsAlias(target))
        {
            throw new EngineException(404, "index_not_found_exception", $"no such index [{target}] and [require_alias] request flag is [true] and [{target}] is not an alias", target,
                new System.Text.Json.Nodes.JsonObject { ["resource.type"] = "index_expression", ["resource.id"] = target });
        }
    }

    public static void RejectUnsupported(RestRequest request, string parameter, string feature)
    {
        if (request.Param(parameter) is not null)
        {
            throw EngineException.IllegalArgument($"parameter [{parameter}] is not supported by the embedded engine ({feature} are not implemented)");
        }
    }

    public static EngineException Validation(string problem) => EngineException.Validation([problem]);
}
