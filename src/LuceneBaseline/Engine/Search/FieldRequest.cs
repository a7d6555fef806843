namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>One entry of <c>fields</c> or <c>docvalue_fields</c>: a field name or wildcard pattern, an optional format.</summary>
/// <param name="Pattern">A field path or a pattern with <c>*</c> wildcards.</param>
/// <param name="Format">A date format (<c>epoch_millis</c>, <c>strict_date_optional_time</c>, <c>yyyy-MM-dd</c>, ...), or null for the mapping's.</param>
/// <param name="IncludeUnmapped"><c>include_unmapped</c> (<c>fields</c> only): also return matching source paths the mapping lacks.</param>
internal sealed record FieldRequest(string Pattern, string? Format = null, bool IncludeUnmapped = false);
