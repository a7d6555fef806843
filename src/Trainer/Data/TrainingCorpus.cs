using Rerank.Model.Runtime;

namespace Rerank.Trainer.Data;

/// <summary>
/// What every training stage reads: one single-task collection (D2LLM.md section 4: batches are all symmetric or all
/// asymmetric), its texts by id, and the queries split into training and held-out sets. Built by
/// <c>TrainingDataLoader</c> from a BEIR folder (asymmetric) or a sentence-pair file (symmetric); docs/training.md, "Data".
/// </summary>
/// <remarks>
/// Ids are the data's own where it has them (BEIR <c>_id</c>s); pair files get derived ids documented in docs/training.md.
/// Passage text for BEIR is <c>title + " " + text</c> (an empty part left out), the same text the ingest pipeline encodes for
/// an index configured with <c>fields: title,text</c> and the default separator, so the student trains on what it serves.
/// </remarks>
internal sealed record TrainingCorpus
{
    /// <summary>A short name for logs and provenance: the folder or file name.</summary>
    public required string Name { get; init; }

    /// <summary>Where it was read from (a BEIR folder or a pair file), full path, for provenance.</summary>
    public required string Source { get; init; }

    /// <summary>The task of every batch: <see cref="StudentBranch.Asymmetric"/> for BEIR, <see cref="StudentBranch.Symmetric"/> for pair files.</summary>
    public required StudentBranch Branch { get; init; }

    /// <summary>Query text by query id: every query of <see cref="Train"/> and <see cref="HeldOut"/>.</summary>
    public required IReadOnlyDictionary<string, string> Queries { get; init; }

    /// <summary>Passage text by passage id: the whole corpus (BM25 mines negatives from all of it).</summary>
    public required IReadOnlyDictionary<string, string> Passages { get; init; }

    /// <summary>Training queries, in a deterministic order (file order).</summary>
    public required IReadOnlyList<TrainingQuery> Train { get; init; }

    /// <summary>Held-out queries for evaluation and early stopping (a dev split, or a seeded slice of train), never trained on.</summary>
    public required IReadOnlyList<TrainingQuery> HeldOut { get; init; }

    /// <summary>How <see cref="HeldOut"/> was chosen, for the report (<c>"split dev"</c>, <c>"10% of train, seed 1"</c>).</summary>
    public required string HeldOutDescription { get; init; }

    /// <summary>
    /// What loading left out or decided, one line each, for the command's output and the report (queries without
    /// positives or text, repeated pair ids renamed, ...); empty when nothing was.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
