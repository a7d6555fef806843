using Rerank.LuceneBaseline.JavaRules;

namespace Rerank.LuceneBaseline.Tests.JavaRules;

/// <summary>Expected strings are what Java's Float.toString / Double.toString print (JDK 19+ shortest digits).</summary>
public sealed class JavaNumberTextTests
{
    [Theory]
    [InlineData(1f, "1.0")]
    [InlineData(0.5f, "0.5")]
    [InlineData(-2f, "-2.0")]
    [InlineData(0f, "0.0")]
    [InlineData(0.001f, "0.001")]
    [InlineData(0.1f, "0.1")]
    [InlineData(1e-5f, "1.0E-5")]
    [InlineData(1234567f, "1234567.0")]
    [InlineData(12345678f, "1.2345678E7")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void Float_PrintsAsJava(float value, string expected)
    {
        Assert.Equal(expected, JavaNumberText.Float(value));
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(100.0, "100.0")]
    [InlineData(1e20, "1.0E20")]
    [InlineData(-0.00012, "-1.2E-4")]
    public void Double_PrintsAsJava(double value, string expected)
    {
        Assert.Equal(expected, JavaNumberText.Double(value));
    }
}
