using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// Merges a field mapping into an existing one as Elasticsearch's <c>PUT _mapping</c> does: objects merge their
/// properties recursively and take the update's <c>dynamic</c>; a concrete field takes the update's updatable
/// parameters (<c>ignore_above</c>, <c>coerce</c>, <c>ignore_malformed</c>, <c>meta</c>, <c>norms</c> to false) and
/// keeps its multi-fields, adding the update's; any other parameter must be restated unchanged (a parameter the
/// update omits counts as its default, as in Elasticsearch).
/// </summary>
internal static class MappingMerger
{
    /// <summary>Merges every field of <paramref name="update"/> into <paramref name="current"/>.</summary>
    /// <exception cref="EngineException"><c>illegal_argument_exception</c> naming the field and parameters.</exception>
    public static Dictionary<string, FieldMapping> MergeProperties(IReadOnlyDictionary<string, FieldMapping> current, IReadOnlyDictionary<string, FieldMapping> update)
    {
        var merged = new Dictionary<string, FieldMapping>(current, StringComparer.Ordinal);
        foreach (var (name, field) in update)
        {
            merged[name] = merged.TryGetValue(name, out var existing) ? MergeField(existing, field) : field;
        }

        return merged;
    }

    /// <summary><paramref name="update"/> merged into <paramref name="existing"/> (the same path).</summary>
    public static FieldMapping MergeField(FieldMapping existing, FieldMapping update)
    {
        if (existing.Type == FieldType.Object)
        {
            if (update.Type != FieldType.Object)
            {
                throw MappingErrors.ObjectConflict(existing.Path);
            }

            if (existing.Enabled != update.Enabled)
            {
                throw EngineException.IllegalArgument($"the [enabled] parameter can't be updated for the object mapping [{existing.Path}]");
            }

            return existing with
            {
                Dynamic = update.Dynamic ?? existing.Dynamic,
                Properties = MergeProperties(existing.Properties ?? new Dictionary<string, FieldMapping>(), update.Properties ?? new Dictionary<string, FieldMapping>()),
            };
        }

        if (existing.Type != update.Type)
        {
            throw MappingErrors.TypeChange(existing.Path, FieldTypes.Name(existing.Type), FieldTypes.Name(update.Type));
        }

        var conflicts = new List<string>();
        void Fixed(string parameter, string? from, string? to)
        {
            if (!string.Equals(from, to, StringComparison.Ordinal))
            {
                conflicts.Add(MappingErrors.CannotUpdate(parameter, from, to));
            }
        }

        switch (existing.Type)
        {
            case FieldType.Text:
                Fixed("index", Bool(existing.Index), Bool(update.Index));
                Fixed("analyzer", existing.Analyzer, update.Analyzer);
                Fixed("position_increment_gap", existing.PositionIncrementGap.ToString(System.Globalization.CultureInfo.InvariantCulture), update.PositionIncrementGap.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Fixed("similarity", existing.TextSimilarity, update.TextSimilarity);
                if (!existing.Norms && update.Norms)
                {
                    conflicts.Add(MappingErrors.CannotUpdate("norms", "false", "true"));
                }

                break;
            case FieldType.DenseVector:
                Fixed("element_type", "float", "float");
                if (existing.Dims is not null)
                {
                    Fixed("dims", Text(existing.Dims), Text(update.Dims));
                }

                Fixed("index", Bool(existing.Index), Bool(update.Index));
                Fixed("similarity", Similarity(existing.Similarity), Similarity(update.Similarity));
                if (existing.Index && update.Index)
                {
                    // Unset index_options mean the default Elasticsearch reports, so restating that default is no change.
                    Fixed("index_options", JavaText.Of(existing.IndexOptions ?? MappingParser.DefaultIndexOptions), JavaText.Of(update.IndexOptions ?? MappingParser.DefaultIndexOptions));
                }
                break;
            default:
                Fixed("index", Bool(existing.Index), Bool(update.Index));
                Fixed("doc_values", Bool(existing.DocValues), Bool(update.DocValues));
                if (existing.Type == FieldType.Date)
                {
                    Fixed("format", existing.Format ?? DateFormat.DefaultPattern, update.Format ?? DateFormat.DefaultPattern);
                }

                Fixed("null_value", existing.NullValue is null ? null : JavaText.Of(existing.NullValue), update.NullValue is null ? null : JavaText.Of(update.NullValue));
                if (existing.Type == FieldType.Keyword)
                {
                    Fixed("similarity", existing.TextSimilarity, update.TextSimilarity);
                }

                break;
        }

        if (conflicts.Count > 0)
        {
            throw MappingErrors.Conflicts(existing.Path, conflicts);
        }

        var fields = existing.Fields is null && update.Fields is null
            ? null
            : MergeProperties(existing.Fields ?? new Dictionary<string, FieldMapping>(), update.Fields ?? new Dictionary<string, FieldMapping>());
        return update with { Dims = update.Dims ?? existing.Dims, Fields = fields };
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string? Text(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string? Similarity(VectorSimilarity? similarity) => similarity is null ? null : FieldMappingParser.SimilarityName(similarity.Value);
}
