using System.Reflection;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Indexing;
using Rerank.Model.Bundle;
using Rerank.Trainer.Cli;

namespace Rerank.Trainer.Tests.Layout;

/// <summary>
/// The trainer, the model runtime and the BM25 baseline run on the .NET runtime alone: ASP.NET Core belongs to the
/// embedded engine's assembly (docs/decisions.md), so <c>rerank-train</c> never needs the ASP.NET Core shared framework.
/// </summary>
public sealed class FrameworkDependencyTests
{
    public static TheoryData<string> Assemblies() => new()
    {
        typeof(TrainCommand).Assembly.GetName().Name!,
        typeof(Bm25Index).Assembly.GetName().Name!,
        typeof(ModelManifest).Assembly.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void ReferenceClosure_HasNoAspNetCoreAssembly(string root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<AssemblyName>([new AssemblyName(root)]);
        var aspNet = new List<string>();
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (!seen.Add(name.Name!))
            {
                continue;
            }

            if (name.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
            {
                aspNet.Add(name.Name);
                continue;
            }

            Assembly assembly;
            try
            {
                assembly = Assembly.Load(name);
            }
            catch (FileNotFoundException)
            {
                continue; // Facades the runtime does not ship, never loaded at run time either.
            }

            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                pending.Push(reference);
            }
        }

        Assert.True(seen.Count > 10, $"walked only {seen.Count} assemblies from {root}");
        Assert.Empty(aspNet);
    }

    [Fact]
    public void RerankTrainRuntimeConfig_NamesTheDotnetRuntimeAlone()
    {
        var path = Path.Combine(Path.GetDirectoryName(typeof(TrainCommand).Assembly.Location)!, "rerank-train.runtimeconfig.json");
        var options = JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]!;

        Assert.Null(options["frameworks"]);
        Assert.Equal("Microsoft.NETCore.App", (string?)options["framework"]!["name"]);
    }
}
