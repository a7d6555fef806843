namespace Rerank.Trainer.Data;

/// <summary>How a sentence-pair file becomes queries and positives (docs/training.md, "Data").</summary>
internal enum PairMode
{
    /// <summary>NLI when any pair has a label, otherwise scores.</summary>
    Auto,

    /// <summary>Labels: entailments are positives, contradictions given negatives, neutral pairs unused.</summary>
    Nli,

    /// <summary>Scores: pairs scoring at least the minimum are positives.</summary>
    Score,
}
