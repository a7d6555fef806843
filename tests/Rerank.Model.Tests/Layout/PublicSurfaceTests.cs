using Rerank.Model.Bundle;

namespace Rerank.Model.Tests.Layout;

/// <summary>
/// Rerank.Model's public surface is the runtime a host uses, as docs/model-runtime.md ("Public surface") lists it;
/// authoring (ONNX, graphs, weights, writers, random bundles) is internal. A new public type must be added there too.
/// </summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void ExportedTypes_AreTheDocumentedRuntimeSurface()
    {
        string[] documented =
        [
            "Rerank.Model.Architecture.BackboneArchitecture",
            "Rerank.Model.Architecture.BackboneConfig",
            "Rerank.Model.Architecture.EmbeddingPooling",
            "Rerank.Model.Architecture.StudentHeadsConfig",
            "Rerank.Model.Bundle.BundleFiles",
            "Rerank.Model.Bundle.ManifestJson",
            "Rerank.Model.Bundle.ModelBundle",
            "Rerank.Model.Bundle.ModelBundleException",
            "Rerank.Model.Bundle.ModelManifest",
            "Rerank.Model.Bundle.ModelProvenance",
            "Rerank.Model.Bundle.TextLimits",
            "Rerank.Model.Runtime.ExecutionProviderKind",
            "Rerank.Model.Runtime.PassageEncoding",
            "Rerank.Model.Runtime.StudentBranch",
            "Rerank.Model.Runtime.StudentBranchNames",
            "Rerank.Model.Runtime.StudentModel",
            "Rerank.Model.Runtime.StudentModelOptions",
            "Rerank.Model.Tokenization.PreTokenizerSplitBehavior",
            "Rerank.Model.Tokenization.TextNormalization",
            "Rerank.Model.Tokenization.TextTokenizer",
            "Rerank.Model.Tokenization.TokenizerDescriptor",
            "Rerank.Model.Tokenization.TokenizerKind",
        ];

        var exported = typeof(ModelBundle).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal);

        Assert.Equal(documented, exported);
    }

    [Fact]
    public void References_DoNotIncludeSystemCommandLine()
    {
        var references = typeof(ModelBundle).Assembly.GetReferencedAssemblies().Select(a => a.Name);

        Assert.DoesNotContain("System.CommandLine", references);
    }
}
