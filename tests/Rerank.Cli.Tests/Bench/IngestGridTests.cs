using Rerank.Cli.Bench;

namespace Rerank.Cli.Tests.Bench;

public sealed class IngestGridTests
{
    [Fact]
    public void TryParse_BatchesByDelays_EveryPairBatchOuter()
    {
        Assert.True(IngestGrid.TryParse("16,64 x 0,5", out var grid, out _));

        Assert.Equal(
            [(16, TimeSpan.Zero), (16, TimeSpan.FromMilliseconds(5)), (64, TimeSpan.Zero), (64, TimeSpan.FromMilliseconds(5))],
            grid.Cells.ToArray());
    }

    [Fact]
    public void TryParse_Default_NineCells()
    {
        Assert.True(IngestGrid.TryParse(IngestGrid.Default, out var grid, out _));

        Assert.Equal([16, 64, 256], grid.MaxBatches);
        Assert.Equal([0, 5, 20], grid.MaxDelaysMs);
        Assert.Equal(9, grid.Cells.Count());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("NONE")]
    public void TryParse_None_NoCells(string text)
    {
        Assert.True(IngestGrid.TryParse(text, out var grid, out _));

        Assert.Empty(grid.Cells);
    }

    [Theory]
    [InlineData("")]
    [InlineData("16")]
    [InlineData("16x")]
    [InlineData("x5")]
    [InlineData("0x5")]
    [InlineData("16x-5")]
    [InlineData("16,,64x5")]
    [InlineData("1.5x5")]
    [InlineData("16x5x6")]
    public void TryParse_NotAGrid_FalseWithTheExpectedForm(string text)
    {
        Assert.False(IngestGrid.TryParse(text, out _, out var problem));

        Assert.Equal($"'{text}' is not <batch sizes>x<delays in ms> (each a comma-separated list, batch sizes at least 1, delays at least 0), e.g. 16,64,256x0,5,20, or none.", problem);
    }
}
