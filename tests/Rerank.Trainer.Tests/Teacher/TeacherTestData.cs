using Rerank.Model.Architecture;
using Rerank.Model.Runtime;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Tests.Teacher;

/// <summary>A tiny asymmetric corpus and plan (3 queries, bs 2, K 1, one held-out query) and a tiny LLaMA teacher.</summary>
internal static class TeacherTestData
{
    public static readonly RandomCheckpointSettings Llama = new()
    {
        Architecture = BackboneArchitecture.Llama, Layers = 2, Hidden = 32, Heads = 4, KeyValueHeads = 2, Intermediate = 48, MaxPositionEmbeddings = 256, Seed = 41, VocabularyTexts = VocabularyTexts(),
    };

    public static readonly RandomCheckpointSettings Qwen2 = new()
    {
        Architecture = BackboneArchitecture.Qwen2, Layers = 2, Hidden = 32, Heads = 4, KeyValueHeads = 1, Intermediate = 48, MaxPositionEmbeddings = 256, TieWordEmbeddings = true, Seed = 42, VocabularyTexts = VocabularyTexts(),
    };

    /// <summary>The English prompts and the corpus, so their words are whole tokens (prompts stay short).</summary>
    public static string[] VocabularyTexts() =>
        [TeacherPrompts.English.Asymmetric.Template, TeacherPrompts.English.Symmetric.Template, .. Corpus().Queries.Values, .. Corpus().Passages.Values];

    public static TrainingCorpus Corpus() => new()
    {
        Name = "tiny",
        Source = "/data/tiny",
        Branch = StudentBranch.Asymmetric,
        Queries = new Dictionary<string, string>
        {
            ["q1"] = "what do cats eat",
            ["q2"] = "how tall is the tower",
            ["q3"] = "who wrote the letter",
            ["q4"] = "when does the train leave",
        },
        Passages = new Dictionary<string, string>
        {
            ["p1"] = "Cats eat fish and meat.",
            ["p2"] = "The tower is 300 metres tall.",
            ["p3"] = "The letter was written by Anna.",
            ["p4"] = "Trains leave every hour.",
            ["n1"] = "Dogs like bones.",
            ["n2"] = "The bridge is long and old, and it crosses a wide river near the town.",
            ["n3"] = "A poem about the sea.",
            ["n4"] = "Buses are slow.",
        },
        Train = [new TrainingQuery("q1", ["p1"], []), new TrainingQuery("q2", ["p2"], []), new TrainingQuery("q3", ["p3"], [])],
        HeldOut = [new TrainingQuery("q4", ["p4"], [])],
        HeldOutDescription = "test",
    };

    public static TrainingPlan Plan() => new()
    {
        Branch = StudentBranch.Asymmetric,
        BatchSize = 2,
        HardNegatives = 1,
        Seed = 1,
        BatchesPerGrouping = 2,
        Batches =
        [
            new PlannedBatch([new PlannedQuery("q1", "p1", ["n1"]), new PlannedQuery("q2", "p2", ["n2"])]),
            new PlannedBatch([new PlannedQuery("q3", "p3", ["n3"]), new PlannedQuery("q1", "p1", ["n2"])]),
        ],
        HeldOut = [new PlannedQuery("q4", "p4", ["n4"])],
    };

    /// <summary>
    /// The plan's pairs, worked out by hand: batch 1 gives (q1 p1) (q1 n1) (q1 p2) (q2 p2) (q2 n2) (q2 p1); batch 2 adds
    /// (q3 p3) (q3 n3) (q3 p1) (q1 n2) (q1 p3); held out (q4 p4) (q4 n4); sorted by query then passage id.
    /// </summary>
    public static readonly (string, string)[] Pairs =
    [
        ("q1", "n1"), ("q1", "n2"), ("q1", "p1"), ("q1", "p2"), ("q1", "p3"),
        ("q2", "n2"), ("q2", "p1"), ("q2", "p2"),
        ("q3", "n3"), ("q3", "p1"), ("q3", "p3"),
        ("q4", "n4"), ("q4", "p4"),
    ];
}
