namespace Rerank.Model.Runtime;

/// <summary>The IEM branch a score is computed with (D2LLM.md section 2); the values are the graphs' branch indices.</summary>
public enum StudentBranch
{
    /// <summary>NLI / STS: are the two texts about the same thing ("sym").</summary>
    Symmetric = 0,

    /// <summary>Retrieval: does the passage answer the query ("asym"), the default for search.</summary>
    Asymmetric = 1,
}
