using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Tests.Errors;

public sealed class EngineExceptionTests
{
    // Elasticsearch's ValidationException: "Validation Failed: " then "N: message;" per problem, numbered from 1.
    [Fact]
    public void Validation_TwoProblems_NumbersEachAndEndsEachWithASemicolon()
    {
        var error = EngineException.Validation(["index is missing", "id is missing"]);

        Assert.Equal(400, error.Status);
        Assert.Equal("action_request_validation_exception", error.Type);
        Assert.Equal("Validation Failed: 1: index is missing;2: id is missing;", error.Reason);
    }
}
