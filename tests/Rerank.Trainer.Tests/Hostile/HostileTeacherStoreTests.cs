using Rerank.TestUtilities;
using Rerank.Trainer.Teacher;
using Rerank.Trainer.Tests.Teacher;

namespace Rerank.Trainer.Tests.Hostile;

/// <summary>Teacher store headers (<c>teacher/*.json</c>) edited or torn by hand.</summary>
public sealed class HostileTeacherStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_FieldGivenTwice_IsRefusedNamingTheFile()
    {
        var path = Path.Combine(_temp.Path, "scores.json");
        TeacherStoreTests.Header(4).Write(path);
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.Insert(text.IndexOf('{', StringComparison.Ordinal) + 1, "\"count\": 999, "));

        var error = Assert.Throws<InvalidDataException>(() => TeacherStoreHeader.Read(path));

        Assert.StartsWith($"{path}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TornHeader_IsRefusedNamingTheFile()
    {
        var path = Path.Combine(_temp.Path, "scores.json");
        TeacherStoreTests.Header(4).Write(path);
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..(text.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => TeacherStoreHeader.Read(path));

        Assert.StartsWith($"{path}: not valid JSON", error.Message, StringComparison.Ordinal);
    }
}
