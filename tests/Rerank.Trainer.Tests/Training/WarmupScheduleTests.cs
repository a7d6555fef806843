using Rerank.Trainer.Training;

namespace Rerank.Trainer.Tests.Training;

public sealed class WarmupScheduleTests
{
    [Theory]
    [InlineData(1, 1000, 0.10032881506161208)] // ln 2 / ln 1001
    [InlineData(10, 1000, 0.34708067508455476)] // ln 11 / ln 1001
    [InlineData(999, 1000, 0.99985532843978250)] // ln 1000 / ln 1001
    [InlineData(1000, 1000, 1.0)]
    [InlineData(123456, 1000, 1.0)]
    [InlineData(1, 3, 0.5)] // ln 2 / ln 4
    [InlineData(2, 3, 0.79248125036057810)] // ln 3 / ln 4 = log2(3) / 2
    [InlineData(3, 3, 1.0)]
    [InlineData(1, 0, 1.0)]
    public void Factor_StepAndWarmup_IsTheLogShapedRampThenOne(long step, int warmup, double expected)
    {
        Assert.Equal(expected, WarmupSchedule.Factor(step, warmup), 1e-12);
    }

    [Fact]
    public void Factor_OverTheWarmUp_RisesStrictlyAndNeverJumps()
    {
        var previous = 0.0;
        for (var step = 1; step <= 1000; step++)
        {
            var factor = WarmupSchedule.Factor(step, 1000);
            Assert.True(factor > previous || (factor == 1.0 && previous > 0.9998), $"step {step}: {factor} after {previous}");
            Assert.True(factor - previous < 0.11, $"step {step} jumps by {factor - previous}");
            previous = factor;
        }
    }
}
