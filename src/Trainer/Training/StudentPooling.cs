namespace Rerank.Trainer.Training;

/// <summary>How a text's final hidden states become one vector (D2LLM.md section 3, the PMA ablations).</summary>
internal enum StudentPooling
{
    /// <summary>PMA (the student's, and the only one a bundle serves).</summary>
    Pma = 0,

    /// <summary>The ablation "PMA -> mean": the mean of the real tokens' states.</summary>
    Mean = 1,

    /// <summary>The ablation "PMA -> last token": the state of the last real token (right padding).</summary>
    LastToken = 2,
}
