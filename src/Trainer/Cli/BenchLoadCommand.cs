using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Native;
using static TorchSharp.torch;

namespace Rerank.Trainer.Cli;

/// <summary>
/// <c>rerank-train bench-load</c>: loads every tensor of a checkpoint into TorchSharp and reports the peak resident
/// memory (Linux <c>VmHWM</c>) against the checkpoint's size (docs/trainer.md, "Memory while loading").
/// </summary>
internal static class BenchLoadCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "The model directory." };
        var command = new Command("bench-load", "Load every tensor of a checkpoint (in its stored dtype) and print the peak resident memory against its size. Linux only.") { directory };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            TorchNative.Initialize();
            using (var warm = ones(1))
            {
                // Touch libtorch so its own start-up memory is in the baseline, not the load.
            }

            var before = ReadStatus("VmHWM");
            var clock = Stopwatch.StartNew();
            using var checkpoint = HfCheckpoint.Open(parse.GetRequiredValue(directory).FullName);
            var loaded = new List<Tensor>();
            try
            {
                foreach (var (name, _) in checkpoint.Parameters)
                {
                    loaded.Add(checkpoint.ReadTensor(name));
                }

                var seconds = clock.Elapsed.TotalSeconds;
                var peak = ReadStatus("VmHWM");
                var size = checkpoint.TotalBytes;
                var tensorBytes = loaded.Sum(t => t.NumberOfElements * t.ElementSize);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"checkpoint bytes    {size}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded tensor bytes {tensorBytes} in {loaded.Count} tensors, {seconds:F2} s"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VmHWM before load   {before}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VmHWM after load    {peak}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak / size         {(double)peak / size:F3}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(peak - before) / size {(double)(peak - before) / size:F3}"));
            }
            finally
            {
                foreach (var tensor in loaded)
                {
                    tensor.Dispose();
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>A <c>/proc/self/status</c> field in bytes (the kernel reports kB).</summary>
    private static long ReadStatus(string field)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            ?? throw new InvalidDataException($"/proc/self/status has no {field} (Linux only)");
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
