namespace Rerank.TestUtilities.Model;

/// <summary>Compares graph outputs (fp32) with double-precision reference values.</summary>
public static class Close
{
    /// <summary>Asserts max |expected - actual| <= tolerance, naming the largest difference on failure.</summary>
    public static void Assert(double[] expected, ReadOnlySpan<float> actual, double tolerance)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Xunit.Assert.True(worst <= tolerance, $"max abs diff {worst:E2} exceeds {tolerance:E0}");
    }
}
