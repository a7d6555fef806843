using Rerank.Model.Bundle;
using Rerank.Model.Runtime;
using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.IngestPipeline.Tests.Writes;

/// <summary>A tiny random student bundle on disk, loaded once per test class (a class fixture).</summary>
public sealed class TinyModel : IDisposable
{
    private readonly TempDirectory _temp = new();

    public TinyModel()
    {
        var directory = Path.Combine(_temp.Path, "bundle");
        RandomBundle.Write(directory, new RandomBundleSettings
        {
            Layers = 2,
            Hidden = 32,
            Heads = 4,
            KeyValueHeads = 2,
            IemHidden = 24,
            Seed = 11,
            Query = new TextLimits { MaxTokens = 40, MaxChars = 200 },
            Passage = new TextLimits { MaxTokens = 60, MaxChars = 400 },
        });
        Model = StudentModel.Load(directory, new StudentModelOptions { PreferGpu = false });
    }

    public StudentModel Model { get; }

    public void Dispose()
    {
        Model.Dispose();
        _temp.Dispose();
    }
}
