using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// An index's mapping limits, as Elasticsearch's index settings name them: <c>index.mapping.total_fields.limit</c>
/// (default 1000: every field, object and multi-field of the mapping counts) and <c>index.mapping.depth.limit</c>
/// (default 20: the root object is depth 1, so an object at <c>a.b</c> is depth 3).
/// </summary>
/// <param name="TotalFields">The most fields a mapping may hold.</param>
/// <param name="Depth">The deepest an object field may sit.</param>
internal sealed record MappingLimits(long TotalFields = MappingLimits.DefaultTotalFields, long Depth = MappingLimits.DefaultDepth)
{
    public const long DefaultTotalFields = 1000;

    public const long DefaultDepth = 20;

    public const string TotalFieldsSetting = "index.mapping.total_fields.limit";

    public const string DepthSetting = "index.mapping.depth.limit";

    public static MappingLimits Default { get; } = new();

    /// <summary>Elasticsearch's object depth: the dots in the object's path plus two (the root is depth 1).</summary>
    public static long DepthOf(string objectPath) => objectPath.Count(c => c == '.') + 2;

    /// <summary>Elasticsearch's reason for an object deeper than <see cref="Depth"/>; null when it is within.</summary>
    public string? DepthExceeded(string objectPath) => DepthOf(objectPath) > Depth
        ? $"Limit of mapping depth [{Depth}] has been exceeded due to object field [{objectPath}]"
        : null;

    /// <summary>
    /// Elasticsearch's reason when a document's new fields take the mapping past <see cref="TotalFields"/>; null when
    /// within. <paramref name="newFields"/> counts this document's new fields so far, the one being added included.
    /// </summary>
    public string? TotalFieldsExceeded(long existingFields, long newFields) => existingFields + newFields > TotalFields
        ? $"Limit of total fields [{TotalFields}] has been exceeded while adding new fields [{newFields}]"
        : null;

    /// <summary>The limits checked on a mapping as a whole (create index, put mapping), with Elasticsearch's messages.</summary>
    /// <exception cref="EngineException"><c>illegal_argument_exception</c> naming the first limit broken.</exception>
    public void CheckMapping(IndexMapping mapping)
    {
        if (mapping.FieldsByPath.Count > TotalFields)
        {
            throw EngineException.IllegalArgument($"Limit of total fields [{TotalFields}] has been exceeded");
        }

        foreach (var field in mapping.FieldsByPath.Values)
        {
            if (field.Type == FieldType.Object && DepthExceeded(field.Path) is { } reason)
            {
                throw EngineException.IllegalArgument(reason);
            }
        }
    }
}
