using Rerank.Trainer.Data;

namespace Rerank.Trainer.Tests.Data;

public sealed class SeededRandomTests
{
    [Fact]
    public void NextUInt64_StateZero_SplitMix64ReferenceSequence()
    {
        var random = new SeededRandom(0);

        // Vigna's splitmix64.c seeded with 0.
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    [Theory]
    [InlineData("", 0xCBF29CE484222325UL)]
    [InlineData("a", 0xAF63DC4C8601EC8CUL)]
    [InlineData("foobar", 0x85944171F73967E8UL)]
    public void Fnv1a_AsciiText_MatchesThePublishedFnv1a64Vectors(string text, ulong expected)
    {
        Assert.Equal(expected, SeededRandom.Fnv1a(text));
    }

    [Fact]
    public void Shuffle_ManySeeds_APermutationAndRoughlyUniform()
    {
        var firstPosition = new int[4];
        for (var seed = 0; seed < 4000; seed++)
        {
            int[] items = [0, 1, 2, 3];
            SeededRandom.For(seed, "test").Shuffle(items);
            Assert.Equal([0, 1, 2, 3], items.Order());
            firstPosition[items[0]]++;
        }

        // 1000 expected each; 4 standard deviations is about 110.
        Assert.All(firstPosition, count => Assert.InRange(count, 880, 1120));
    }

    [Fact]
    public void For_SameSeedAndStream_SameSequence_OtherStreamOrIndexDiffers()
    {
        Assert.Equal(SeededRandom.For(3, "a").NextUInt64(), SeededRandom.For(3, "a").NextUInt64());
        Assert.NotEqual(SeededRandom.For(3, "a").NextUInt64(), SeededRandom.For(3, "b").NextUInt64());
        Assert.NotEqual(SeededRandom.For(3, "a", 0).NextUInt64(), SeededRandom.For(3, "a", 1).NextUInt64());
        Assert.NotEqual(SeededRandom.For(3, "a").NextUInt64(), SeededRandom.For(4, "a").NextUInt64());
    }
}
