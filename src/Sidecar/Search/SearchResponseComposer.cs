using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rerank.Sidecar.Search;

/// <summary>
/// Writes the reranked answer (docs/search.md "Two phases"): the first-stage response with every key kept verbatim
/// except <c>hits.hits</c> (the page, in reranked order, each hit's <c>_score</c> replaced and, with explain, a
/// <c>_rerank</c> object added) and <c>hits.max_score</c> (the window's first score).
/// </summary>
internal static class SearchResponseComposer
{
    /// <summary>How deep an upstream answer may nest (aggregations can nest deeply; Elasticsearch's own parser allows 1,000).</summary>
    public const int MaxDepth = 1000;

    /// <summary>Options for reading an upstream answer that the composer will write back.</summary>
    public static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = MaxDepth };

    // Escape only what JSON requires, as Elasticsearch does: text in any script comes back as the cluster sent it.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = MaxDepth + 8,
    };

    /// <param name="firstStage">The first-stage response.</param>
    /// <param name="page">The page's hits, in order.</param>
    /// <param name="source">Each page hit's JSON (fetched, or the first stage's in single phase); null leaves a hit out.</param>
    /// <param name="firstStageScores">The first stage's scores (for explain).</param>
    /// <param name="maxScore">The window's first score; null keeps the first stage's.</param>
    /// <param name="removeFields">Entries of hits' <c>fields</c> the user did not ask for.</param>
    /// <param name="explainModel">The model id for <c>_rerank</c>; null leaves explain out.</param>
    /// <param name="keepScores">Keep each hit's own <c>_score</c> (a fallback's first-stage order).</param>
    public static byte[] Compose(
        JsonElement firstStage,
        IReadOnlyList<PageHit> page,
        Func<int, JsonElement?> source,
        float[] firstStageScores,
        float? maxScore,
        IReadOnlyCollection<string> removeFields,
        string? explainModel,
        bool keepScores = false)
    {
        var buffer = new ArrayBufferWriter<byte>(16384);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            foreach (var property in firstStage.EnumerateObject())
            {
                if (property.NameEquals("hits") && property.Value.ValueKind == JsonValueKind.Object)
                {
                    json.WritePropertyName(property.Name);
                    WriteHits(json, property.Value, page, source, firstStageScores, maxScore, removeFields, explainModel, keepScores);
                }
                else
                {
                    property.WriteTo(json);
                }
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteHits(
        Utf8JsonWriter json, JsonElement hits, IReadOnlyList<PageHit> page, Func<int, JsonElement?> source,
        float[] firstStageScores, float? maxScore, IReadOnlyCollection<string> removeFields, string? explainModel, bool keepScores)
    {
        json.WriteStartObject();
        foreach (var property in hits.EnumerateObject())
        {
            if (property.NameEquals("max_score") && maxScore is { } max)
            {
                json.WriteNumber(property.Name, max);
            }
            else if (property.NameEquals("hits"))
            {
                json.WriteStartArray(property.Name);
                foreach (var hit in page)
                {
                    if (source(hit.FirstStageIndex) is { } element)
                    {
                        WriteHit(json, element, hit, firstStageScores[hit.FirstStageIndex], removeFields, explainModel, keepScores);
                    }
                }

                json.WriteEndArray();
            }
            else
            {
                property.WriteTo(json);
            }
        }

        json.WriteEndObject();
    }

    private static void WriteHit(
        Utf8JsonWriter json, JsonElement element, PageHit hit, float firstStageScore, IReadOnlyCollection<string> removeFields, string? explainModel, bool keepScores)
    {
        json.WriteStartObject();
        var scored = false;
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals("_score") && !keepScores)
            {
                json.WriteNumber(property.Name, hit.Score);
                scored = true;
            }
            else if (property.NameEquals("_rerank"))
            {
                // Not the cluster's key: written below when asked for.
            }
            else if (property.NameEquals("fields") && removeFields.Count > 0 && property.Value.ValueKind == JsonValueKind.Object)
            {
                var kept = property.Value.EnumerateObject().Where(f => !removeFields.Contains(f.Name)).ToList();
                if (kept.Count > 0)
                {
                    json.WriteStartObject(property.Name);
                    foreach (var field in kept)
                    {
                        field.WriteTo(json);
                    }

                    json.WriteEndObject();
                }
            }
            else
            {
                property.WriteTo(json);
            }
        }

        if (!scored && !keepScores)
        {
            json.WriteNumber("_score", hit.Score);
        }

        if (explainModel is not null)
        {
            json.WriteStartObject("_rerank");
            json.WriteNumber("rank", hit.Rank);
            json.WriteNumber("first_stage_rank", hit.FirstStageIndex + 1);
            json.WriteNumber("first_stage_score", firstStageScore);
            if (float.IsNaN(hit.Logit))
            {
                json.WriteNull("logit");
            }
            else
            {
                json.WriteNumber("logit", hit.Logit);
            }

            json.WriteNumber("score", hit.Score);
            json.WriteString("model", explainModel);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
