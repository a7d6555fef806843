using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// An index's mapping: the top-level properties, <c>dynamic</c> and <c>_meta</c>. Immutable; a mapping update makes a
/// new instance (an index swaps it atomically), so readers never see a half-applied change.
/// </summary>
internal sealed class IndexMapping
{
    private readonly Dictionary<string, FieldMapping> _byPath;

    public IndexMapping(IReadOnlyDictionary<string, FieldMapping> properties, DynamicMode dynamic = DynamicMode.True, JsonObject? meta = null)
    {
        Properties = properties;
        Dynamic = dynamic;
        Meta = meta;
        _byPath = new Dictionary<string, FieldMapping>(StringComparer.Ordinal);
        foreach (var field in properties.Values)
        {
            AddWithChildren(field);
        }
    }

    public static IndexMapping Empty { get; } = new(new Dictionary<string, FieldMapping>());

    /// <summary>Top-level fields by name.</summary>
    public IReadOnlyDictionary<string, FieldMapping> Properties { get; }

    public DynamicMode Dynamic { get; }

    /// <summary>The mapping's <c>_meta</c> object as given, or null. Treat as read-only.</summary>
    public JsonObject? Meta { get; }

    /// <summary>Whether a string the dynamic mapping meets is mapped as <c>date</c> when it matches <see cref="DynamicDateFormats"/> (<c>date_detection</c>, default true).</summary>
    public bool DateDetection { get; init; } = true;

    /// <summary>Whether a string holding a number is mapped as <c>long</c> or <c>float</c> (<c>numeric_detection</c>, default false).</summary>
    public bool NumericDetection { get; init; }

    /// <summary>
    /// The formats date detection tries, in order (<c>dynamic_date_formats</c>); null for Elasticsearch's default
    /// (<c>strict_date_optional_time</c>, then <c>yyyy/MM/dd HH:mm:ss||yyyy/MM/dd</c>).
    /// </summary>
    public IReadOnlyList<string>? DynamicDateFormats { get; init; }

    /// <summary>
    /// The root parameters the mapping set explicitly (<c>dynamic</c>, <c>date_detection</c>, <c>numeric_detection</c>,
    /// <c>dynamic_date_formats</c>): Elasticsearch echoes these when set, even to their defaults.
    /// </summary>
    public IReadOnlyList<string> Configured { get; init; } = [];

    /// <summary>Every field, object and multi-field by full dotted path.</summary>
    public IReadOnlyDictionary<string, FieldMapping> FieldsByPath => _byPath;

    /// <summary>This mapping with other top-level properties (every root parameter kept).</summary>
    public IndexMapping WithProperties(IReadOnlyDictionary<string, FieldMapping> properties) => new(properties, Dynamic, Meta)
    {
        DateDetection = DateDetection,
        NumericDetection = NumericDetection,
        DynamicDateFormats = DynamicDateFormats,
        Configured = Configured,
    };

    /// <summary>The field at a full dotted path (<c>title.keyword</c>, <c>author.name</c>), or null.</summary>
    public FieldMapping? Find(string path) => _byPath.GetValueOrDefault(path);

    private void AddWithChildren(FieldMapping field)
    {
        _byPath[field.Path] = field;
        foreach (var child in field.Properties?.Values ?? [])
        {
            AddWithChildren(child);
        }

        foreach (var sub in field.Fields?.Values ?? [])
        {
            AddWithChildren(sub);
        }
    }
}
