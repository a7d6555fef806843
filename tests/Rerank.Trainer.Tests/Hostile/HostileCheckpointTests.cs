using Rerank.TestUtilities;
using Rerank.Trainer.Training;

namespace Rerank.Trainer.Tests.Hostile;

/// <summary><c>train/checkpoint/state.json</c> damaged or edited by hand: resuming must refuse it by name, not crash.</summary>
public sealed class HostileCheckpointTests : IDisposable
{
    private const string Valid = """{"step": 3, "optimizer_steps": 3, "evaluations_without_improvement": 0, "initial": {"step": 0, "pooled_spearman": 0.1, "mean_query_spearman": null, "mrr": 0.5, "pairs": 4, "queries": 2}, "best": null, "last": null, "settings": {"plan": "abc"}}""";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReadSettings_ValidState_ReadsTheSettings()
    {
        var directory = Checkpoint(Valid);

        Assert.Equal("abc", TrainingCheckpoint.ReadSettings(directory)["plan"]);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{\"step\": 3, \"optimizer_ste", "not valid JSON")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("""{"step": 3, "step": 4, "optimizer_steps": 3, "evaluations_without_improvement": 0, "settings": {}}""", "not valid JSON")]
    [InlineData("""{"step": "3", "optimizer_steps": 3, "evaluations_without_improvement": 0, "settings": {}}""", "field 'step' is missing or not an integer")]
    [InlineData("""{"step": 3, "evaluations_without_improvement": 0, "settings": {}}""", "field 'optimizer_steps' is missing or not an integer")]
    [InlineData("""{"step": 3, "optimizer_steps": 3, "evaluations_without_improvement": 0, "best": {"step": 1}, "settings": {}}""", "field 'best' is not held-out metrics")]
    [InlineData("""{"step": 3, "optimizer_steps": 3, "evaluations_without_improvement": 0, "settings": {"plan": 5}}""", "field 'settings' is missing or not an object of strings")]
    [InlineData("""{"step": 3, "optimizer_steps": 3, "evaluations_without_improvement": 0}""", "field 'settings' is missing or not an object of strings")]
    public void ReadSettings_DamagedState_IsRefusedNamingFileAndField(string content, string expected)
    {
        var directory = Checkpoint(content);

        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.ReadSettings(directory));

        Assert.StartsWith($"{Path.Combine(directory, "state.json")}: {expected}", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"delete {directory} (or train with --no-resume) to start over.", error.Message, StringComparison.Ordinal);
    }

    private string Checkpoint(string state)
    {
        var directory = Path.Combine(_temp.Path, "train", TrainingCheckpoint.DirectoryName);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "state.json"), state);
        return directory;
    }
}
