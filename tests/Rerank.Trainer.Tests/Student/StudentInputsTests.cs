using Rerank.Model.Heads;
using Rerank.Trainer.Student;

namespace Rerank.Trainer.Tests.Student;

public sealed class StudentInputsTests
{
    [Fact]
    public void Open_RandomHeadSizesWithAStudentDirectory_NamesTheValuesNotCommandLineFlags()
    {
        var source = new StudentSource { Checkpoint = "/models/base", Student = "/models/heads", PmaHeads = 4 };

        var error = Assert.Throws<ArgumentException>(() => StudentInputs.Open(source));

        Assert.Equal(
            "PMA heads 4 and IEM width (default) size random heads, but the student directory /models/heads was given: its student_config.json sets the sizes. (Parameter 'source')",
            error.Message);
        Assert.DoesNotContain("--", error.Message, StringComparison.Ordinal);
    }
}
