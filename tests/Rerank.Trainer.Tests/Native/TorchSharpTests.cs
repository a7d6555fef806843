using System.Diagnostics;
using System.Text;
using Rerank.Trainer.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Native;

public sealed class TorchSharpTests
{
    private const string LibTorchSharp = "libLibTorchSharp.so";

    [Fact]
    public void Backward_OfSumOfSquaresTimesWeights_IsTheHandDerivedGradient()
    {
        TorchNative.Initialize();

        // f(x) = sum(w * x^2) with w = [1, 2, 3], x = [1, -2, 0.5]: df/dx = 2 w x = [2, -8, 3].
        using var x = tensor(new[] { 1f, -2f, 0.5f }, requires_grad: true);
        using var w = tensor(new[] { 1f, 2f, 3f });
        using var square = x.pow(2);
        using var weighted = w * square;
        using var f = weighted.sum();
        f.backward();

        Assert.Equal(1f + 8f + 0.75f, f.item<float>());
        Assert.Equal([2f, -8f, 3f], x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Adam_OneStepOnAQuadratic_MovesEachWeightByTheLearningRateAgainstItsGradient()
    {
        TorchNative.Initialize();
        using var p = new TorchSharp.Modules.Parameter(tensor(new[] { 3f, -1f }));
        using var optimizer = optim.Adam([p], lr: 0.1);

        // Adam's first step is lr * m / (sqrt(v) + eps) with m = (1 - b1) g / (1 - b1) = g and v = g^2: lr * sign(g).
        using (var loss = (p * p).sum())
        {
            loss.backward();
        }

        optimizer.step();

        var values = p.data<float>().ToArray();
        Assert.Equal(2.9f, values[0], 5);
        Assert.Equal(-0.9f, values[1], 5);
    }

    [Fact]
    public void Build_OnASystemWithoutGlibcxx3432_MarksItWeakAndShipsTheShim_AndLeavesTheNuGetCacheAlone()
    {
        var system = SystemLibStdCxx();
        if (system is null || !OperatingSystem.IsLinux())
        {
            Assert.Skip("Linux with a findable libstdc++.so.6 only.");
        }

        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        var output = Path.Combine(native, LibTorchSharp);
        Assert.True(File.Exists(output), output);

        // Independent of the build task: the version string is in .gnu.version_d's string table when defined.
        var systemHasIt = Contains(File.ReadAllBytes(system), "GLIBCXX_3.4.32\0");
        var flags = VersionFlags(output, "GLIBCXX_3.4.32");
        if (systemHasIt)
        {
            Assert.Equal("none", flags);
            Assert.False(File.Exists(Path.Combine(native, TorchNative.ShimFileName)));
            return;
        }

        Assert.Equal("WEAK", flags);
        Assert.True(File.Exists(Path.Combine(native, TorchNative.ShimFileName)));
        TorchNative.Initialize();
        Assert.Equal(Path.Combine(native, TorchNative.ShimFileName), TorchNative.ShimPath);

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", LibTorchSharp);
        if (File.Exists(cached))
        {
            Assert.Equal("none", VersionFlags(cached, "GLIBCXX_3.4.32"));
        }
    }

    /// <summary>The flags readelf prints for a version requirement (<c>none</c>, <c>WEAK</c>).</summary>
    private static string VersionFlags(string library, string version)
    {
        string text;
        try
        {
            using var process = Process.Start(new ProcessStartInfo("readelf", ["-V", library]) { RedirectStandardOutput = true })!;
            text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Skip("readelf (binutils) is not installed.");
            throw;
        }

        // "  0x0140:   Name: GLIBCXX_3.4.32  Flags: WEAK  Version: 18"
        var line = text.Split('\n').Single(l => l.Contains("Name: " + version + " ", StringComparison.Ordinal));
        var flags = line[(line.IndexOf("Flags: ", StringComparison.Ordinal) + 7)..];
        return flags[..flags.IndexOf(' ', StringComparison.Ordinal)];
    }

    private static string? SystemLibStdCxx() =>
        new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.FirstOrDefault(File.Exists);

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;
}
