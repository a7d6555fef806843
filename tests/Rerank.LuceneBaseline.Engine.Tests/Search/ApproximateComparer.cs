namespace Rerank.LuceneBaseline.Engine.Tests.Search;

/// <summary>Compares scores within an absolute tolerance (float scores against hand-computed doubles).</summary>
internal sealed class ApproximateComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(double obj) => 0;
}
