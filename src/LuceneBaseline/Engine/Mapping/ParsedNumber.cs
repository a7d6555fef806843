namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// A value read as a numeric field type (<see cref="NumberValues"/>): the integer (long, integer, short, byte) or the
/// floating-point value at the type's precision, or the Elasticsearch error type and reason explaining why not.
/// </summary>
internal readonly record struct ParsedNumber(long Integer, double Floating, string? ErrorType, string? Error)
{
    public bool Success => Error is null;

    public static ParsedNumber Fail(string type, string reason) => new(0, 0, type, reason);
}
