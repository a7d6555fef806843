using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Util;
using LuceneFieldType = Lucene.Net.Documents.FieldType;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.JavaRules;

namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>
/// The state of converting one document (<see cref="DocumentConverter"/>): the Lucene fields produced so far, the
/// paths for <c>_field_names</c>, the per-field minimum for numeric doc values and the dynamic mapping additions.
/// Used by one thread for one document.
/// </summary>
internal sealed class DocumentParseContext
{
    /// <summary>Lucene's limit on the UTF-8 length of one term (and one sorted doc value).</summary>
    private const int MaxTermBytes = 32766;

    /// <summary>Array lengths Elasticsearch 8.11+ maps dynamically to dense_vector when every element is a float.</summary>
    private const int MinDynamicVectorDims = 128;

    private const float UnitLengthTolerance = 1e-4f;

    private static readonly string[] DefaultDynamicDateFormats = [DateFormat.DefaultPattern, "yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis"];

    private static readonly LuceneFieldType TextWithoutNorms = NewTextWithoutNorms();

    private readonly IndexMapping _mapping;
    private readonly string _id;
    private readonly SourceWriter _source;
    private readonly Dictionary<string, FieldMapping> _added = new(StringComparer.Ordinal);
    private readonly MappingLimits _limits;
    private long _newFields;
    private readonly List<string> _addedOrder = [];
    private readonly List<IIndexableField> _fields = [];
    private readonly SortedSet<string> _fieldNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _minIntegers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _minDoubles = new(StringComparer.Ordinal);
    private readonly HashSet<string> _vectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<byte[]>> _binaries = new(StringComparer.Ordinal);

    public DocumentParseContext(IndexMapping mapping, string id, SourceWriter source, MappingLimits? limits = null)
    {
        _limits = limits ?? MappingLimits.Default;
        _mapping = mapping;
        _id = id;
        _source = source;
    }

    public void ParseRoot(JsonObject source) => ParseObject(source, "", _mapping.Dynamic);

    /// <summary>Adds every field produced, the numeric doc values (minimum per field) and the <c>_field_names</c> terms.</summary>
    public void WriteFields(Document document)
    {
        foreach (var field in _fields)
        {
            document.Add(field);
        }

        foreach (var (path, min) in _minIntegers)
        {
            document.Add(new NumericDocValuesField(LuceneFieldNames.DocValues(path), min));
        }

        foreach (var (path, min) in _minDoubles)
        {
            document.Add(new NumericDocValuesField(LuceneFieldNames.DocValues(path), NumericUtils.DoubleToSortableInt64(min)));
        }

        foreach (var (path, values) in _binaries)
        {
            document.Add(new BinaryDocValuesField(LuceneFieldNames.DocValues(path), BinaryValues.Encode(values)));
        }

        foreach (var name in _fieldNames)
        {
            document.Add(new StringField(LuceneFieldNames.FieldNames, name, Field.Store.NO));
        }
    }

    /// <summary>The mapping with the dynamic additions, or null when the document added nothing.</summary>
    public IndexMapping? UpdatedMapping()
    {
        if (_addedOrder.Count == 0)
        {
            return null;
        }

        IReadOnlyDictionary<string, FieldMapping> properties = _mapping.Properties;
        foreach (var path in _addedOrder)
        {
            properties = Insert(properties, path.Split('.'), 0, _added[path]);
        }

        return _mapping.WithProperties(properties);
    }

    private static Dictionary<string, FieldMapping> Insert(IReadOnlyDictionary<string, FieldMapping> properties, string[] segments, int index, FieldMapping field)
    {
        var result = new Dictionary<string, FieldMapping>(properties, StringComparer.Ordinal);
        if (index == segments.Length - 1)
        {
            result[segments[index]] = field;
        }
        else
        {
            var parent = result[segments[index]];
            result[segments[index]] = parent with { Properties = Insert(parent.Properties ?? new Dictionary<string, FieldMapping>(), segments, index + 1, field) };
        }

        return result;
    }

    private static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    private static LuceneFieldType NewTextWithoutNorms()
    {
        var type = new LuceneFieldType(TextField.TYPE_NOT_STORED) { OmitNorms = true };
        type.Freeze();
        return type;
    }

    private void ParseObject(JsonObject obj, string path, DynamicMode dynamic)
    {
        foreach (var (key, value) in obj)
        {
            if (path.Length == 0 && FieldMappingParser.MetadataFields.Contains(key))
            {
                // Elasticsearch routes the key to the metadata field's mapper, whose refusal its FieldMapper wraps.
                if (key == "_doc_count")
                {
                    throw DocumentErrors.Parsing(Column(value, obj), "the embedded engine does not support the metadata field [_doc_count] inside a document");
                }

                throw DocumentErrors.Field(
                    Column(value, obj),
                    key,
                    key,
                    _id,
                    value,
                    "mapper_parsing_exception",
                    $"Field [{key}] is a metadata field and cannot be added inside a document. Use the index API request parameters.");
            }

            string[] segments;
            try
            {
                segments = FieldMappingParser.SplitName(key);
            }
            catch (Errors.EngineException e)
            {
                throw DocumentErrors.Failed(Column(value, obj), e.Reason);
            }

            ParseDotted(path, dynamic, segments, 0, value, obj);
        }
    }

    /// <summary>A dotted key (<c>"a.b.c": v</c>) is the object path a -> b with the entry c inside.</summary>
    private void ParseDotted(string path, DynamicMode dynamic, string[] segments, int index, JsonNode? value, JsonNode parent)
    {
        if (index == segments.Length - 1)
        {
            ParseEntry(path, dynamic, segments[index], value, parent);
            return;
        }

        var name = segments[index];
        var childPath = Join(path, name);
        var child = FindChild(path, name);
        if (child is null)
        {
            if (!AllowDynamic(dynamic, name, path, Column(value, parent)))
            {
                return;
            }

            child = Add(FieldMappingParser.NewObject(childPath), Column(value, parent));
        }
        else if (child.Type != Mapping.FieldType.Object)
        {
            throw DocumentErrors.Parsing(
                Column(value, parent),
                $"Could not dynamically add mapping for field [{Join(path, string.Join('.', segments[index..]))}]. Existing mapping for [{childPath}] must be of type object but found [{FieldTypes.Name(child.Type)}].");
        }

        if (child.Enabled)
        {
            ParseDotted(childPath, child.Dynamic ?? dynamic, segments, index + 1, value, parent);
        }
    }

    private void ParseEntry(string parentPath, DynamicMode dynamic, string name, JsonNode? value, JsonNode parent)
    {
        var path = Join(parentPath, name);
        var field = FindChild(parentPath, name);
        switch (value)
        {
            case null:
                if (field is null)
                {
                    AllowDynamic(dynamic, name, parentPath, Column(value, parent));
                }
                else if (field.NullValue is { } nullValue && field.Type is not (Mapping.FieldType.Object or Mapping.FieldType.DenseVector))
                {
                    ParseLeaf(field, nullValue, Column(value, parent), multiFields: false);
                }

                return;
            case JsonObject obj:
                if (field is null)
                {
                    if (!AllowDynamic(dynamic, name, parentPath, Column(obj, parent)))
                    {
                        return;
                    }

                    field = Add(FieldMappingParser.NewObject(path), Column(obj, parent));
                }

                if (field.Type != Mapping.FieldType.Object)
                {
                    ParseLeaf(field, obj, Column(obj, parent), multiFields: false);
                    return;
                }

                if (field.Enabled)
                {
                    ParseObject(obj, path, field.Dynamic ?? dynamic);
                }

                return;
            case JsonArray array:
                if (field is null)
                {
                    if (!AllowDynamic(dynamic, name, parentPath, Column(array, parent)))
                    {
                        return;
                    }

                    if (IsDynamicVector(array))
                    {
                        field = Add(new FieldMapping { Path = path, Type = Mapping.FieldType.DenseVector, Similarity = VectorSimilarity.Cosine }, Column(array, parent));
                    }
                }

                if (field is { Type: Mapping.FieldType.DenseVector })
                {
                    ParseVector(field, array);
                    return;
                }

                if (field is { Type: Mapping.FieldType.Object, Enabled: false })
                {
                    return;
                }

                foreach (var item in array)
                {
                    ParseEntry(parentPath, dynamic, name, item, array);
                }

                return;
            default:
                var column = Column(value, parent);
                if (field is null)
                {
                    if (!AllowDynamic(dynamic, name, parentPath, column))
                    {
                        return;
                    }

                    field = Add(DynamicField(path, value), column);
                }

                if (field.Type == Mapping.FieldType.Object)
                {
                    throw DocumentErrors.Parsing(column, $"object mapping for [{path}] tried to parse field [{name}] as object, but found a concrete value");
                }

                ParseLeaf(field, value, column, multiFields: true);
                return;
        }
    }

    /// <summary>Indexes one value of a concrete field, then its multi-fields.</summary>
    private void ParseLeaf(FieldMapping field, JsonNode value, int column, bool multiFields)
    {
        var accepted = field.Type switch
        {
            Mapping.FieldType.Text => IndexText(field, value, column),
            Mapping.FieldType.Keyword => IndexKeyword(field, value, column),
            Mapping.FieldType.Boolean => IndexBoolean(field, value, column),
            Mapping.FieldType.Date => IndexDate(field, value, column),
            Mapping.FieldType.Binary => IndexBinary(field, value, column),
            Mapping.FieldType.DenseVector => throw DocumentErrors.Field(
                column, field.Path, "dense_vector", _id, value, "parsing_exception", $"Failed to parse object: expecting token of type [START_ARRAY] but found [{JsonTokens.XContent(value)}]"),
            _ => IndexNumber(field, value, column),
        };
        if (accepted)
        {
            AddFieldName(field.Path);
        }

        if (multiFields && field.Fields is not null)
        {
            foreach (var sub in field.Fields.Values)
            {
                ParseLeaf(sub, value, column, multiFields: true);
            }
        }
    }

    private bool IndexText(FieldMapping field, JsonNode value, int column)
    {
        var text = ScalarText(field, value, column);
        if (field.Index && field.Analyzer == "keyword")
        {
            // The keyword analyzer makes the whole value one term, which Lucene would refuse past its limit.
            CheckTermLength(field, value, text, column);
        }

        if (field.Index)
        {
            _fields.Add(field.Norms ? new TextField(field.Path, text, Field.Store.NO) : new Field(field.Path, text, TextWithoutNorms));
        }

        return true;
    }

    /// <summary>
    /// binary, as Elasticsearch's <c>BinaryFieldMapper</c>: without doc values nothing is indexed and the value is not
    /// even decoded (it stays in _source only, and <c>exists</c> does not see it); with doc values each value must be a
    /// Base64 string, and all of a document's values go into one doc value (<see cref="BinaryValues"/>).
    /// An object is refused either way (Elasticsearch's parser would have to step over it).
    /// </summary>
    private bool IndexBinary(FieldMapping field, JsonNode value, int column)
    {
        if (!field.DocValues && value is not JsonObject)
        {
            return false;
        }

        if (!BinaryValues.TryDecode(value, out var bytes, out var reason))
        {
            throw DocumentErrors.Field(column, field.Path, "binary", _id, value, "x_content_parse_exception", $"{DocumentErrors.Location(column)} {reason}");
        }

        if (!_binaries.TryGetValue(field.Path, out var values))
        {
            _binaries[field.Path] = values = [];
        }

        values.Add(bytes);
        return true;
    }

    private bool IndexKeyword(FieldMapping field, JsonNode value, int column)
    {
        var text = ScalarText(field, value, column);
        if (field.IgnoreAbove is { } limit && text.Length > limit)
        {
            return false;
        }

        CheckTermLength(field, value, text, column);
        if (field.Index)
        {
            _fields.Add(new StringField(field.Path, text, Field.Store.NO));
        }

        if (field.DocValues)
        {
            _fields.Add(new SortedSetDocValuesField(LuceneFieldNames.DocValues(field.Path), new BytesRef(text)));
        }

        return true;
    }

    /// <summary>Elasticsearch's check that a keyword term fits Lucene's limit (its message; Java prints the bytes signed).</summary>
    private void CheckTermLength(FieldMapping field, JsonNode value, string text, int column)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= MaxTermBytes)
        {
            return;
        }

        var prefix = string.Join(", ", bytes.Take(30).Select(b => ((sbyte)b).ToString(CultureInfo.InvariantCulture)));
        throw DocumentErrors.Field(
            column,
            field.Path,
            FieldTypes.Name(field.Type),
            _id,
            value,
            "illegal_argument_exception",
            $"Document contains at least one immense term in field=\"{field.Path}\" (whose UTF8 encoding is longer than the max length {MaxTermBytes}), all of which were skipped. Please correct the analyzer to not produce such terms. The prefix of the first immense term is: '[{prefix}]...'");
    }

    private bool IndexBoolean(FieldMapping field, JsonNode value, int column)
    {
        bool flag;
        switch (value.GetValueKind())
        {
            case JsonValueKind.True or JsonValueKind.False:
                flag = value.GetValue<bool>();
                break;
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                flag = text switch
                {
                    "true" => true,
                    "false" or "" => false,
                    _ => throw DocumentErrors.Field(
                        column, field.Path, "boolean", _id, value, "illegal_argument_exception", JavaBooleans.InvalidReason(text)),
                };
                break;
            default:
                throw DocumentErrors.Field(
                    column, field.Path, "boolean", _id, value, "illegal_argument_exception", JavaBooleans.InvalidReason(DocumentErrors.Preview(value)));
        }

        var term = flag ? "true" : "false";
        if (field.Index)
        {
            _fields.Add(new StringField(field.Path, term, Field.Store.NO));
        }

        if (field.DocValues)
        {
            _fields.Add(new SortedSetDocValuesField(LuceneFieldNames.DocValues(field.Path), new BytesRef(term)));
        }

        return true;
    }

    private bool IndexNumber(FieldMapping field, JsonNode value, int column)
    {
        if (field.Coerce && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0)
        {
            // Elasticsearch reads an empty string as null for a coercing numeric field.
            if (field.NullValue is { } nullValue)
            {
                return IndexNumber(field, nullValue, column);
            }

            return false;
        }

        var number = NumberValues.Parse(field.Type, value, field.Coerce);
        if (!number.Success)
        {
            return field.IgnoreMalformed
                ? false
                : throw DocumentErrors.Field(column, field.Path, FieldTypes.Name(field.Type), _id, value, number.ErrorType!, number.Error!);
        }

        if (FieldTypes.IsInteger(field.Type))
        {
            AddLong(field, number.Integer);
        }
        else
        {
            if (field.Index)
            {
                _fields.Add(new DoubleField(field.Path, number.Floating, Field.Store.NO));
            }

            if (field.DocValues)
            {
                _minDoubles[field.Path] = _minDoubles.TryGetValue(field.Path, out var min) ? Math.Min(min, number.Floating) : number.Floating;
                _fields.Add(new SortedSetDocValuesField(LuceneFieldNames.Terms(field.Path), new BytesRef(number.Floating.ToString("R", CultureInfo.InvariantCulture))));
            }
        }

        return true;
    }

    private bool IndexDate(FieldMapping field, JsonNode value, int column)
    {
        var text = ScalarText(field, value, column);
        var format = DateFormat.Create(field.Format);

        if (!format.TryParse(text, out var millis))
        {
            return field.IgnoreMalformed
                ? false
                : throw DocumentErrors.Field(
                    column, field.Path, "date", _id, value, "illegal_argument_exception", $"failed to parse date field [{text}] with format [{format.Pattern}]");
        }

        AddLong(field, millis);
        return true;
    }

    private void AddLong(FieldMapping field, long value)
    {
        if (field.Index)
        {
            _fields.Add(new Int64Field(field.Path, value, Field.Store.NO));
        }

        if (field.DocValues)
        {
            _minIntegers[field.Path] = _minIntegers.TryGetValue(field.Path, out var min) ? Math.Min(min, value) : value;
            _fields.Add(new SortedSetDocValuesField(LuceneFieldNames.Terms(field.Path), new BytesRef(value.ToString(CultureInfo.InvariantCulture))));
        }
    }

    private void ParseVector(FieldMapping field, JsonArray array)
    {
        var path = field.Path;
        if (!_vectors.Add(path))
        {
            throw DocumentErrors.Failed(
                _source.Start(array), $"Field [{path}] of type [dense_vector] doesn't not support indexing multiple values for the same field in the same document");
        }

        var values = new float[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i];
            if (field.Dims is { } limit && i >= limit)
            {
                throw DocumentErrors.Failed(
                    Column(item, array), $"The [dense_vector] field [{path}] in doc [{DocumentErrors.Description(_id)}] has more dimensions than defined in the mapping [{limit}]");
            }

            if (item is null || item.GetValueKind() != JsonValueKind.Number)
            {
                throw DocumentErrors.Failed(
                    Column(item, array), $"Failed to parse object: expecting token of type [VALUE_NUMBER] but found [{JsonTokens.XContent(item)}]", "parsing_exception");
            }

            values[i] = float.Parse(item.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        var end = _source.End(array);
        if (field.Dims is null)
        {
            if (values.Length is 0 or > FieldMappingParser.MaxDims)
            {
                throw DocumentErrors.Failed(
                    end, $"The number of dimensions for field [{path}] should be in the range [1, {FieldMappingParser.MaxDims}] but was [{values.Length}]");
            }

            field = Add(field with { Dims = values.Length }, end);
        }
        else if (values.Length != field.Dims)
        {
            throw DocumentErrors.Failed(
                end,
                $"The [dense_vector] field [{path}] in doc [{DocumentErrors.Description(_id)}] has a different number of dimensions [{values.Length}] than defined in the mapping [{field.Dims}]");
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (float.IsInfinity(values[i]))
            {
                throw DocumentErrors.Failed(
                    end, $"element_type [float] vectors do not support infinite values but found [{JavaNumberText.Float(values[i])}] at dim [{i}];{VectorPreview(values)}");
            }
        }

        if (field.Index && field.Similarity is { } similarity)
        {
            Normalise(similarity, values, end);
        }

        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        _fields.Add(new BinaryDocValuesField(LuceneFieldNames.DocValues(path), new BytesRef(bytes)));
        AddFieldName(path);
    }

    /// <summary>
    /// Elasticsearch 8.11+: cosine and dot_product reject a zero vector; a dot_product vector that is not unit length is
    /// scaled to unit length before it is indexed (its _source keeps the original).
    /// </summary>
    private static void Normalise(VectorSimilarity similarity, float[] values, int column)
    {
        if (similarity is not (VectorSimilarity.Cosine or VectorSimilarity.DotProduct))
        {
            return;
        }

        var squared = 0f;
        foreach (var value in values)
        {
            squared += value * value;
        }

        if (MathF.Sqrt(squared) == 0f)
        {
            throw DocumentErrors.Failed(
                column,
                $"The [{FieldMappingParser.SimilarityName(similarity)}] similarity does not support vectors with zero magnitude.{VectorPreview(values)}");
        }

        if (similarity == VectorSimilarity.DotProduct && Math.Abs(squared - 1f) >= UnitLengthTolerance)
        {
            var length = (float)Math.Sqrt(squared);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] /= length;
            }
        }
    }

    /// <summary>" Preview of invalid vector: [a, b, c, d, e, ...]": the first five elements, "..." from five on (as Elasticsearch).</summary>
    private static string VectorPreview(float[] values)
    {
        var shown = string.Join(", ", values.Take(5).Select(JavaNumberText.Float));
        return $" Preview of invalid vector: [{shown}{(values.Length >= 5 ? ", ..." : "")}]";
    }

    private bool IsDynamicVector(JsonArray array) =>
        array.Count is >= MinDynamicVectorDims and <= FieldMappingParser.MaxDims
        && array.All(item => item is not null && item.GetValueKind() == JsonValueKind.Number && JsonTokens.IsFloatLiteral(item));

    /// <summary>Elasticsearch's dynamic mapping of one JSON value (docs/embedded-engine-internals.md, "Dynamic mapping").</summary>
    private FieldMapping DynamicField(string path, JsonNode value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.True or JsonValueKind.False:
                return new FieldMapping { Path = path, Type = Mapping.FieldType.Boolean };
            case JsonValueKind.Number:
                return new FieldMapping { Path = path, Type = JsonTokens.IsFloatLiteral(value) ? Mapping.FieldType.Float : Mapping.FieldType.Long };
        }

        var text = value.GetValue<string>();
        var isLong = JavaNumbers.ParseLong(text) is not null;
        var isDouble = !isLong && JavaNumbers.ParseDouble(text) is not null;
        if (_mapping.NumericDetection && (isLong || isDouble))
        {
            return new FieldMapping { Path = path, Type = isLong ? Mapping.FieldType.Long : Mapping.FieldType.Float };
        }

        if (_mapping.DateDetection && !isLong && !isDouble)
        {
            foreach (var pattern in _mapping.DynamicDateFormats ?? DefaultDynamicDateFormats)
            {
                if (DateFormat.Create(pattern).TryParse(text, out _))
                {
                    return new FieldMapping { Path = path, Type = Mapping.FieldType.Date, Format = pattern == DateFormat.DefaultPattern ? null : pattern };
                }
            }
        }

        return new FieldMapping
        {
            Path = path,
            Type = Mapping.FieldType.Text,
            Analyzer = EngineAnalyzers.Default,
            Fields = new Dictionary<string, FieldMapping>(StringComparer.Ordinal)
            {
                ["keyword"] = new() { Path = path + ".keyword", Type = Mapping.FieldType.Keyword, IgnoreAbove = 256 },
            },
        };
    }

    private string ScalarText(FieldMapping field, JsonNode value, int column) => value switch
    {
        JsonObject or JsonArray => throw DocumentErrors.Field(
            column, field.Path, FieldTypes.Name(field.Type), _id, value, "illegal_state_exception", $"Can't get text on a {JsonTokens.XContent(value)} at 1:{Math.Max(column, 1)}"),
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => value.ToJsonString(),
        },
    };

    /// <summary>Strict: throws; false: skip the field; true: map it.</summary>
    private static bool AllowDynamic(DynamicMode dynamic, string name, string parentPath, int column) => dynamic switch
    {
        DynamicMode.Strict => throw DocumentErrors.Strict(column, name, parentPath.Length == 0 ? "_doc" : parentPath),
        DynamicMode.False => false,
        _ => true,
    };

    /// <summary>The column of <paramref name="value"/>, or of its parent for a JSON null (nulls have no node to remember).</summary>
    private int Column(JsonNode? value, JsonNode parent) => value is null ? _source.Start(parent) : _source.Start(value);

    private FieldMapping? FindChild(string parentPath, string name)
    {
        var path = Join(parentPath, name);
        if (_added.TryGetValue(path, out var added))
        {
            return added;
        }

        var properties = parentPath.Length == 0
            ? _mapping.Properties
            : (_added.GetValueOrDefault(parentPath) ?? _mapping.Find(parentPath))?.Properties;
        return properties?.GetValueOrDefault(name);
    }

    /// <summary>
    /// Adds a dynamic field, checking the mapping limits first (as Elasticsearch checks them while it parses, so a
    /// document with thousands of new fields fails at the first one past the limit, before any more work).
    /// </summary>
    private FieldMapping Add(FieldMapping field, int column)
    {
        if (!_added.ContainsKey(field.Path))
        {
            if (field.Type == Mapping.FieldType.Object && _limits.DepthExceeded(field.Path) is { } tooDeep)
            {
                throw DocumentErrors.Failed(column, tooDeep, "mapper_parsing_exception");
            }

            _newFields += 1 + (field.Fields?.Count ?? 0);
            if (_limits.TotalFieldsExceeded(_mapping.FieldsByPath.Count, _newFields) is { } tooMany)
            {
                throw DocumentErrors.Failed(column, tooMany);
            }

            _addedOrder.Add(field.Path);
        }

        _added[field.Path] = field;
        return field;
    }

    /// <summary>A field with a value, and every object above it, for the <c>exists</c> query.</summary>
    private void AddFieldName(string path)
    {
        _fieldNames.Add(path);
        for (var dot = path.LastIndexOf('.'); dot > 0; dot = path.LastIndexOf('.', dot - 1))
        {
            _fieldNames.Add(path[..dot]);
        }
    }
}
