using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Checkpoints;
using Rerank.Model.Heads;
using Rerank.TestUtilities;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Student;

namespace Rerank.Trainer.Tests.Student;

public sealed class StudentDirectoryTests : IDisposable
{
    private static readonly StudentHeadsConfig Heads = new() { Dim = 16, PmaHeads = 2, IemHidden = 24, LayerNormEps = 1e-6 };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void WriteThenRead_GivesTheSameConfigLimitsAndValues()
    {
        var weights = StudentHeadWeights.CreateRandom(Heads, seed: 4);
        var query = new TextLimits { MaxTokens = 32, MaxChars = 100 };
        var passage = new TextLimits { MaxTokens = 200, MaxChars = 0 };

        StudentDirectory.Write(_temp.Path, Heads, weights, query, passage);
        var read = StudentDirectory.Read(_temp.Path);

        Assert.Equal(Heads, read.Config);
        Assert.Equal(query, read.Query);
        Assert.Equal(passage, read.Passage);
        Assert.All(weights.Tensors, t => Assert.Equal(t.Values, read.Weights.Get(t.Name, t.Shape).Values));
        using var file = SafetensorsFile.Open(Path.Combine(_temp.Path, "student_heads.safetensors"));
        Assert.Equal(StudentHeadWeights.ParameterShapes(Heads).Select(p => p.Name), file.Tensors.Select(t => t.Name));
        Assert.All(file.Tensors, t => Assert.Equal(SafetensorsDtype.F32, t.Dtype));
        Assert.Equal(
            "{\n  \"dim\": 16,\n  \"format_version\": 1,\n  \"iem_hidden\": 24,\n  \"layer_norm_eps\": 1E-06,\n  \"passage\": {\n    \"max_chars\": 0,\n    \"max_tokens\": 200\n  },\n  \"pma_heads\": 2,\n  \"query\": {\n    \"max_chars\": 100,\n    \"max_tokens\": 32\n  }\n}\n",
            File.ReadAllText(Path.Combine(_temp.Path, "student_config.json")));
    }

    [Fact]
    public void WriteThenRead_CosineTerm_RecordsThePoolingAndTheScaleTensor()
    {
        var heads = Heads with { CosinePooling = EmbeddingPooling.Cls };
        var weights = StudentHeadWeights.CreateRandom(heads, seed: 4);

        StudentDirectory.Write(_temp.Path, heads, weights);
        var read = StudentDirectory.Read(_temp.Path);

        Assert.Equal(heads, read.Config);
        Assert.Equal(weights.Get("iem.cosine_scale", 1).Values, read.Weights.Get("iem.cosine_scale", 1).Values);
        Assert.Contains("\n  \"cosine_pooling\": \"cls\",\n", File.ReadAllText(Path.Combine(_temp.Path, "student_config.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CosinePoolingMax_IsRefusedNamingFileAndField()
    {
        var heads = Heads with { CosinePooling = EmbeddingPooling.Mean };
        StudentDirectory.Write(_temp.Path, heads, StudentHeadWeights.CreateRandom(heads, 1));
        _temp.WriteFile("student_config.json", "{\"format_version\": 1, \"dim\": 16, \"pma_heads\": 2, \"cosine_pooling\": \"max\"}");

        var error = Assert.Throws<InvalidDataException>(() => StudentDirectory.Read(_temp.Path));

        Assert.Contains($"{Path.Combine(_temp.Path, "student_config.json")}: cosine_pooling must be \"mean\" or \"cls\" (is \"max\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ConfigWithoutLimits_HasNullLimitsAndDefaults()
    {
        StudentDirectory.Write(_temp.Path, Heads with { IemHidden = 512, LayerNormEps = 1e-5 }, StudentHeadWeights.CreateRandom(Heads with { IemHidden = 512 }, 1));
        _temp.WriteFile("student_config.json", "{\"format_version\": 1, \"dim\": 16, \"pma_heads\": 2}");

        var read = StudentDirectory.Read(_temp.Path);

        Assert.Equal(Heads with { IemHidden = 512, LayerNormEps = 1e-5 }, read.Config);
        Assert.Null(read.Query);
        Assert.Null(read.Passage);
    }

    [Fact]
    public void Read_TensorsOfAnotherShapeAndUnknownKey_ListsEachNamingFileAndTensor()
    {
        StudentDirectory.Write(_temp.Path, Heads, StudentHeadWeights.CreateRandom(Heads, 1));
        _temp.WriteFile("student_config.json", "{\"format_version\": 1, \"dim\": 16, \"pma_heads\": 2, \"iem_hidden\": 20, \"layer_norm_eps\": 1e-6}");
        var weights = Path.Combine(_temp.Path, "student_heads.safetensors");

        var error = Assert.Throws<InvalidDataException>(() => StudentDirectory.Read(_temp.Path));

        Assert.StartsWith("student heads cannot be loaded: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{weights}: tensor 'iem.fc1.weight' has shape [24, 32], student_config.json (dim 16, iem_hidden 20) expects [20, 32]", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{weights}: tensor 'iem.head.weight' has shape [1, 24]", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pma.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingAndForeignTensors_AreNamed()
    {
        var weights = Path.Combine(_temp.Path, "student_heads.safetensors");
        StudentDirectory.Write(_temp.Path, Heads, StudentHeadWeights.CreateRandom(Heads, 1));
        var entries = StudentHeadWeights.ParameterShapes(Heads).Where(p => p.Name != "pma.seed")
            .Select(p => SafetensorsWriteEntry.FromSingles(p.Name, SafetensorsDtype.F32, p.Shape, new float[p.Shape.Aggregate(1L, (a, x) => a * x)]))
            .Append(SafetensorsWriteEntry.FromSingles("pma.fc_z.weight", SafetensorsDtype.F32, [2], [1, 2]))
            .ToList();
        SafetensorsWriter.Write(weights, entries);

        var error = Assert.Throws<InvalidDataException>(() => StudentDirectory.Read(_temp.Path));

        Assert.Contains($"{weights}: tensor 'pma.seed' is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{weights}: tensor 'pma.fc_z.weight' is not a PMA or IEM parameter", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "student_config.json: not found")]
    [InlineData("{\"dim\": 16, \"pma_heads\": 3, \"format_version\": 1}", "student_config.json: pma heads 3 must be positive and divide dim 16.")]
    [InlineData("{\"dim\": \"x\", \"pma_heads\": 2, \"format_version\": 2, \"colour\": 1}", "student_config.json: format_version is 2; this trainer reads version 1; ")]
    [InlineData("{\"dim\": 16, \"pma_heads\": 2, \"format_version\": 1, \"query\": {\"max_chars\": 5}}", "student_config.json: query.max_tokens is missing")]
    [InlineData("[1]", "student_config.json: not a JSON object")]
    public void Read_BadConfig_NamesTheFileAndField(string? config, string expected)
    {
        StudentDirectory.Write(_temp.Path, Heads, StudentHeadWeights.CreateRandom(Heads, 1));
        var path = Path.Combine(_temp.Path, "student_config.json");
        if (config is null)
        {
            File.Delete(path);
        }
        else
        {
            _temp.WriteFile("student_config.json", config);
        }

        var error = Assert.Throws<InvalidDataException>(() => StudentDirectory.Read(_temp.Path));

        Assert.Contains(Path.Combine(_temp.Path, expected), error.Message, StringComparison.Ordinal);
        if (config?.Contains("colour", StringComparison.Ordinal) == true)
        {
            Assert.Contains($"{path}: colour is not a known key", error.Message, StringComparison.Ordinal);
            Assert.Contains($"{path}: dim must be an integer (is \"x\")", error.Message, StringComparison.Ordinal);
        }
    }
}
