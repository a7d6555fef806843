using Rerank.LuceneBaseline.Engine.Store;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

public sealed class DirectorySyncTests
{
    [Fact]
    public void Flush_ExistingDirectory_SyncsOnUnix()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "a.tmp"), "x");
        File.Move(Path.Combine(temp.Path, "a.tmp"), Path.Combine(temp.Path, "a"));

        var synced = DirectorySync.Flush(temp.Path);

        Assert.Equal(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), synced);
    }

    [Fact]
    public void Flush_MissingDirectory_IOExceptionNamingIt()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "directories are synced on Linux and macOS only");
        using var temp = new TempDirectory();
        var missing = Path.Combine(temp.Path, "gone");

        var error = Assert.Throws<IOException>(() => DirectorySync.Flush(missing));

        Assert.Contains($"[{missing}]", error.Message, StringComparison.Ordinal);
        Assert.Contains("errno 2", error.Message, StringComparison.Ordinal); // ENOENT
    }
}
