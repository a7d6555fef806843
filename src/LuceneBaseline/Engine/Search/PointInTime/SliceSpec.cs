namespace Rerank.LuceneBaseline.Engine.Search.PointInTime;

/// <summary>
/// The <c>slice</c> section of a <c>_search</c> body with a point in time: this request reads slice <see cref="Id"/>
/// of <see cref="Max"/>; the slices of one point in time partition its documents (<see cref="SliceFilter"/>).
/// </summary>
/// <param name="Id">The slice, <c>0 &lt;= Id &lt; Max</c>.</param>
/// <param name="Max">The number of slices, at least 2.</param>
internal sealed record SliceSpec(int Id, int Max);
