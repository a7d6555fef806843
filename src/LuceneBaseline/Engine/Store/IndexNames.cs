using System.Text;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>Index name rules, as Elasticsearch applies them (the <c>*</c> wildcard of index expressions is <see cref="Search.Glob"/>).</summary>
internal static class IndexNames
{
    /// <summary>The longest index name, in UTF-8 bytes (Elasticsearch's <c>MAX_INDEX_NAME_BYTES</c>).</summary>
    public const int MaxNameBytes = 255;

    // Elasticsearch prints its invalid file-name characters sorted and quoted (8.19 and 9.x).
    private const string ForbiddenCharacters = "\\/*?\"<>| ,";
    private const string ForbiddenList = "[' ','\"','*',',','/','<','>','?','\\','|']";

    /// <summary>
    /// Throws <c>invalid_index_name_exception</c> unless <paramref name="name"/> may name a new index. The checks run in
    /// Elasticsearch's order (MetadataCreateIndexService.validateIndexOrAliasName, then lower case), so a name breaking
    /// several rules gets the same reason as from Elasticsearch.
    /// </summary>
    public static void Validate(string name)
    {
        var why = Check(name);
        if (why is not null)
        {
            throw StoreErrors.InvalidIndexName(name, why);
        }
    }

    /// <summary>Why <paramref name="name"/> is invalid, or null when it is valid.</summary>
    public static string? Check(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "must not be empty";
        }

        if (name.AsSpan().IndexOfAny(ForbiddenCharacters) >= 0)
        {
            return "must not contain the following characters " + ForbiddenList;
        }

        if (name.Contains('#', StringComparison.Ordinal))
        {
            return "must not contain '#'";
        }

        if (name.Contains(':', StringComparison.Ordinal))
        {
            return "must not contain ':'";
        }

        if (name[0] is '_' or '-' or '+')
        {
            return "must not start with '_', '-', or '+'";
        }

        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxNameBytes)
        {
            return $"index name is too long, ({bytes} > {MaxNameBytes})";
        }

        if (name is "." or "..")
        {
            return "must not be '.' or '..'";
        }

        if (!string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            return "must be lowercase";
        }

        return null;
    }
}
