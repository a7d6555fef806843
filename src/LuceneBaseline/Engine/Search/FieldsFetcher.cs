using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// The <c>fields</c> of a hit. <c>fields</c> reads values out of <c>_source</c> through the mapping (always arrays, in
/// source order, parsed as the field's type: numbers as numbers, dates printed with the request's or the mapping's
/// format, keyword values longer than <c>ignore_above</c> left out, a multi-field such as <c>title.keyword</c> taking
/// its parent's values, dense_vector values as floats); unmapped paths only with <c>include_unmapped</c>.
/// <c>docvalue_fields</c> reads doc values (sorted, distinct). Patterns may use <c>*</c>. One instance per request and index.
/// </summary>
internal sealed class FieldsFetcher
{
    private readonly SearchTarget _target;
    private readonly List<(FieldMapping Field, string SourcePath, string? Format)> _sourceFields = [];
    private readonly List<(string Pattern, string? Format)> _unmapped = [];
    private readonly List<(FieldMapping Field, string? Format)> _docValueFields = [];
    private readonly bool _id;
    private readonly bool _index;

    /// <exception cref="EngineException">For <c>docvalue_fields</c> on text and dense_vector fields (Elasticsearch's errors).</exception>
    public FieldsFetcher(SearchTarget target, IReadOnlyList<FieldRequest> fields, IReadOnlyList<FieldRequest> docValueFields)
    {
        _target = target;
        var sourcePaths = SourcePaths(target.Mapping);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in fields)
        {
            _id |= request.Pattern == "_id";
            _index |= request.Pattern == "_index";
            foreach (var field in Matching(target.Mapping, request.Pattern))
            {
                CheckFormat(field, request.Format);
                if (seen.Add(field.Path))
                {
                    _sourceFields.Add((field, sourcePaths[field.Path], request.Format));
                }
            }

            if (request.IncludeUnmapped)
            {
                _unmapped.Add((request.Pattern, request.Format));
            }
        }

        foreach (var request in docValueFields)
        {
            foreach (var field in Matching(target.Mapping, request.Pattern))
            {
                if (field.Type == FieldType.Text)
                {
                    throw SearchErrors.TextFieldData(field.Path, target.IndexName);
                }

                if (field.Type == FieldType.DenseVector)
                {
                    throw EngineException.IllegalArgument($"Field [{field.Path}] of type [dense_vector] doesn't support docvalue_fields or aggregations");
                }

                if (!field.DocValues)
                {
                    throw SearchErrors.NoDocValues(field.Path, FieldTypes.Name(field.Type));
                }

                if (field.Type != FieldType.Binary)
                {
                    // Elasticsearch's binary doc values print as Base64 whatever the format (DocValueFormat.BINARY).
                    CheckFormat(field, request.Format);
                }

                _docValueFields.Add((field, request.Format));
            }
        }
    }

    /// <summary>Whether any field is requested (and the source must be read for them).</summary>
    public bool NeedsSource => _sourceFields.Count > 0 || _unmapped.Count > 0;

    public bool Any => NeedsSource || _docValueFields.Count > 0 || _id || _index;

    /// <summary>The hit's <c>fields</c> object, or null when empty.</summary>
    public JsonObject? Fetch(JsonObject? source, string id, AtomicReaderContext leaf, int leafDoc)
    {
        var fields = new JsonObject();
        if (_id)
        {
            fields["_id"] = new JsonArray(id);
        }

        if (_index)
        {
            fields["_index"] = new JsonArray(_target.IndexName);
        }

        if (source is not null)
        {
            foreach (var (field, sourcePath, format) in _sourceFields)
            {
                var values = new JsonArray();
                foreach (var value in SourceValues.Get(source, sourcePath))
                {
                    if (Convert(field, value, format) is { } converted)
                    {
                        values.Add(converted);
                    }
                }

                if (values.Count > 0)
                {
                    fields[field.Path] = values;
                }
            }

            foreach (var (pattern, _) in _unmapped)
            {
                AddUnmapped(source, string.Empty, pattern, fields);
            }
        }

        foreach (var (field, format) in _docValueFields)
        {
            if (DocValues(field, format, leaf.AtomicReader, leafDoc) is { Count: > 0 } values)
            {
                fields[field.Path] = values;
            }
        }

        return fields.Count == 0 ? null : fields;
    }

    /// <summary>A <c>format</c> must be a date format on a date field; the engine has no number formats.</summary>
    private static void CheckFormat(FieldMapping field, string? format)
    {
        if (format is null)
        {
            return;
        }

        if (field.Type == FieldType.Date)
        {
            _ = DateFormats.Format(0, format);
        }
        else if (FieldTypes.IsNumeric(field.Type))
        {
            throw SearchErrors.Unsupported($"a [format] for the [{FieldTypes.Name(field.Type)}] field [{field.Path}]");
        }
        else
        {
            throw EngineException.IllegalArgument($"Field [{field.Path}] of type [{FieldTypes.Name(field.Type)}] doesn't support formats.");
        }
    }

    /// <summary>Every mapped path -> the source path its values come from (a multi-field reads its parent's).</summary>
    private static Dictionary<string, string> SourcePaths(IndexMapping mapping)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(FieldMapping field, string source)
        {
            paths[field.Path] = source;
            foreach (var sub in field.Fields?.Values ?? [])
            {
                paths[sub.Path] = source;
            }

            foreach (var child in field.Properties?.Values ?? [])
            {
                Walk(child, child.Path);
            }
        }

        foreach (var field in mapping.Properties.Values)
        {
            Walk(field, field.Path);
        }

        foreach (var path in mapping.FieldsByPath.Keys)
        {
            paths.TryAdd(path, path);
        }

        return paths;
    }

    private static IEnumerable<FieldMapping> Matching(IndexMapping mapping, string pattern)
    {
        if (!Glob.HasWildcard(pattern))
        {
            var field = mapping.Find(pattern);
            if (field is not null && field.Type != FieldType.Object)
            {
                yield return field;
            }

            yield break;
        }

        foreach (var (path, field) in mapping.FieldsByPath.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (field.Type != FieldType.Object && Glob.IsMatch(pattern, path))
            {
                yield return field;
            }
        }
    }

    private void AddUnmapped(JsonObject obj, string prefix, string pattern, JsonObject fields)
    {
        foreach (var (key, value) in obj)
        {
            var path = prefix + key;
            if (value is JsonObject child)
            {
                AddUnmapped(child, path + ".", pattern, fields);
                continue;
            }

            if (_target.Mapping.Find(path) is not null || fields.ContainsKey(path) || !Glob.IsMatch(pattern, path))
            {
                continue;
            }

            var values = new JsonArray();
            foreach (var leaf in SourceValues.Get(obj, key))
            {
                values.Add(leaf.DeepClone());
            }

            if (values.Count > 0)
            {
                fields[path] = values;
            }
        }
    }

    /// <summary>A source value as Elasticsearch's fetcher for the field's type returns it, or null when it drops it.</summary>
    private static JsonNode? Convert(FieldMapping field, JsonNode value, string? format)
    {
        if (value is not JsonValue scalar)
        {
            return null;
        }

        var kind = scalar.GetValueKind();
        var text = JsonArgs.Text(scalar);
        try
        {
            switch (field.Type)
            {
                case FieldType.Text:
                    return JsonValue.Create(text);
                case FieldType.Binary:
                    // Elasticsearch's binary fetcher is the identity: the value as _source holds it.
                    return scalar.DeepClone();
                case FieldType.Keyword:
                    return field.IgnoreAbove is { } limit && text.Length > limit ? null : JsonValue.Create(text);
                case FieldType.Boolean:
                    return kind is JsonValueKind.True or JsonValueKind.False ? JsonValue.Create(kind == JsonValueKind.True) : JsonValue.Create(JsonArgs.ParseBoolean(text));
                case FieldType.Date:
                    var millis = kind == JsonValueKind.Number
                        ? (long)JsonArgs.Number(scalar)
                        : DateFormats.TryParse(text, field.Format, out var parsed) ? parsed : throw new FormatException(text);
                    return JsonValue.Create(DateFormats.Format(millis, format ?? field.Format));
                case FieldType.Double:
                    return JsonValue.Create(JsonArgs.CoerceDouble(scalar));
                case FieldType.Float or FieldType.DenseVector:
                    return JsonValue.Create((float)JsonArgs.CoerceDouble(scalar));
                case FieldType.HalfFloat:
                    return JsonValue.Create((float)(Half)JsonArgs.CoerceDouble(scalar));
                default:
                    // Integer types truncate decimals, as Elasticsearch's coercion does.
                    return JsonValue.Create(scalar.TryGetValue<long>(out var exact) ? exact : checked((long)JsonArgs.CoerceDouble(scalar)));
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or EngineException)
        {
            return null;
        }
    }

    private static JsonArray? DocValues(FieldMapping field, string? format, AtomicReader reader, int doc)
    {
        if (field.Type == FieldType.Binary)
        {
            return BinaryDocValues(field, reader, doc);
        }

        var keywordLike = field.Type is FieldType.Keyword or FieldType.Boolean;
        var values = DocValueTerms.Open(reader, field);
        if (values is null)
        {
            return null;
        }

        var scratch = new BytesRef();
        var texts = new List<string>();
        var numbers = new List<(long Long, double Double)>();
        values.SetDocument(doc);
        for (var ord = values.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = values.NextOrd())
        {
            values.LookupOrd(ord, scratch);
            var span = DocValueTerms.Span(scratch);
            if (keywordLike)
            {
                texts.Add(Encoding.UTF8.GetString(span));
            }
            else if (FieldTypes.IsFloatingPoint(field.Type))
            {
                var d = DocValueTerms.ParseDouble(span);
                numbers.Add(((long)d, d));
            }
            else
            {
                var l = DocValueTerms.ParseLong(span);
                numbers.Add((l, l));
            }
        }

        var array = new JsonArray();
        if (keywordLike)
        {
            foreach (var text in texts)
            {
                array.Add(field.Type == FieldType.Boolean ? JsonValue.Create(text == "true") : JsonValue.Create(text));
            }

            return array;
        }

        numbers.Sort((a, b) => a.Double != b.Double ? a.Double.CompareTo(b.Double) : a.Long.CompareTo(b.Long));
        foreach (var (l, d) in numbers)
        {
            array.Add(field.Type switch
            {
                FieldType.Date => JsonValue.Create(DateFormats.Format(l, format ?? field.Format)),
                FieldType.Double => JsonValue.Create(d),
                FieldType.Float or FieldType.HalfFloat => JsonValue.Create((float)d),
                _ => JsonValue.Create(l),
            });
        }

        return array;
    }

    /// <summary>A binary field's values (sorted, distinct) as Base64 strings; null when the document has none.</summary>
    private static JsonArray? BinaryDocValues(FieldMapping field, AtomicReader reader, int doc)
    {
        var path = LuceneFieldNames.DocValues(field.Path);
        var values = reader.GetBinaryDocValues(path);
        if (values is null || reader.GetDocsWithField(path) is not { } present || !present.Get(doc))
        {
            return null;
        }

        var scratch = new BytesRef();
        values.Get(doc, scratch);
        var array = new JsonArray();
        foreach (var value in BinaryValues.DecodeToBase64(scratch.Bytes.AsSpan(scratch.Offset, scratch.Length)))
        {
            array.Add(value);
        }

        return array;
    }
}
