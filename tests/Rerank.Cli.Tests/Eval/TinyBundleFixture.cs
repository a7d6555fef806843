using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Eval;

/// <summary>A tiny random student bundle written once per test class by <c>rerank model init</c>.</summary>
public sealed class TinyBundleFixture : IDisposable
{
    private readonly TempDirectory _temp = new();

    public TinyBundleFixture()
    {
        Directory = Path.Combine(_temp.Path, "bundle");
        var result = CliRunner.Run("model", "init", "--out", Directory, "--seed", "7", "--layers", "1", "--hidden", "16", "--heads", "2", "--kv-heads", "1", "--iem-hidden", "8");
        Assert.True(result.ExitCode == 0, result.Error);
    }

    public string Directory { get; }

    public void Dispose() => _temp.Dispose();
}
