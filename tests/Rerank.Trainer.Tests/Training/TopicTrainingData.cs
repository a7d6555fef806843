using Rerank.Model.Runtime;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Tests.Training;

/// <summary>
/// A tiny, learnable distillation task: 4 topics of 8 words, 8 passages of 5 topic words per topic, queriesPerPassage queries of
/// 3 words of each passage (their positive). The synthetic teacher's logit is 1.5 * (shared words) + (same topic ? 1 : -2) - 2, so it
/// depends only on what the texts say; its features are a small description of the pair. Queries of passages 0-5 of a
/// topic train (bs 4, K 3: two same-topic passages and one of another topic), those of passages 6-7 are held out.
/// </summary>
internal sealed class TopicTrainingData
{
    private static readonly string[][] Topics =
    [
        ["river", "boat", "water", "fish", "bridge", "shore", "rain", "lake"],
        ["engine", "wheel", "road", "truck", "fuel", "brake", "motor", "garage"],
        ["violin", "piano", "song", "choir", "drum", "melody", "concert", "tune"],
        ["planet", "star", "orbit", "comet", "moon", "galaxy", "rocket", "sky"],
    ];

    public TopicTrainingData(int queriesPerPassage = 1, int batchSize = 4, int hardNegatives = 3)
    {
        var random = new Random(17);
        var passages = new Dictionary<string, string>(StringComparer.Ordinal);
        var passageWords = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        var queryWords = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var topicOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var t = 0; t < Topics.Length; t++)
        {
            for (var j = 0; j < 8; j++)
            {
                var words = Topics[t].OrderBy(_ => random.Next()).Take(5).ToArray();
                var pid = $"p{t}-{j}";
                passages[pid] = string.Join(' ', words);
                passageWords[pid] = words;
                topicOf[pid] = t;
                for (var r = 0; r < queriesPerPassage; r++)
                {
                    var query = words.OrderBy(_ => random.Next()).Take(3).ToArray();
                    var qid = $"q{t}-{j}-{r}";
                    queries[qid] = string.Join(' ', query);
                    queryWords[qid] = query;
                    topicOf[qid] = t;
                }
            }
        }

        Outputs = [];
        foreach (var (qid, qw) in queryWords)
        {
            foreach (var (pid, pw) in passageWords)
            {
                var shared = qw.Intersect(pw).Count();
                var same = topicOf[qid] == topicOf[pid];
                var logit = (1.5f * shared) + (same ? 1f : -2f) - 2f;
                float[] features = [shared / 3f, same ? 1f : 0f, topicOf[qid] / 3f, topicOf[pid] / 3f, 1f, (shared % 2) - 0.5f];
                Outputs[(qid, pid)] = new TeacherOutput(logit, features);
            }
        }

        PlannedQuery Planned(int t, int j, int r)
        {
            var negatives = new List<string>();
            var others = Enumerable.Range(0, 8).Where(o => o != j).OrderBy(_ => random.Next()).Take(hardNegatives - 1);
            negatives.AddRange(others.Select(o => $"p{t}-{o}"));
            negatives.Add($"p{(t + 1 + random.Next(3)) % 4}-{random.Next(8)}");
            return new PlannedQuery($"q{t}-{j}-{r}", $"p{t}-{j}", negatives);
        }

        // Round r holds query r of every training passage in a seeded order, so no batch holds one passage twice.
        var train = Enumerable.Range(0, queriesPerPassage)
            .SelectMany(r => Enumerable.Range(0, 4).SelectMany(t => Enumerable.Range(0, 6).Select(j => Planned(t, j, r))).OrderBy(_ => random.Next()).ToList())
            .ToList();
        var heldOut = Enumerable.Range(0, queriesPerPassage).SelectMany(r => Enumerable.Range(0, 4).SelectMany(t => Enumerable.Range(6, 2).Select(j => Planned(t, j, r)))).ToList();
        Plan = new TrainingPlan
        {
            Branch = StudentBranch.Asymmetric,
            BatchSize = batchSize,
            HardNegatives = hardNegatives,
            Seed = 17,
            Batches = [.. train.Chunk(batchSize).Select(c => new PlannedBatch(c))],
            BatchesPerGrouping = train.Count / batchSize,
            HeldOut = heldOut,
        };
        Corpus = new TrainingCorpus
        {
            Name = "topics",
            Source = "/tests/topics",
            Branch = StudentBranch.Asymmetric,
            Queries = queries,
            Passages = passages,
            Train = [.. train.Select(q => new TrainingQuery(q.QueryId, [q.Positive], []))],
            HeldOut = [.. heldOut.Select(q => new TrainingQuery(q.QueryId, [q.Positive], []))],
            HeldOutDescription = "passages 6-7 of each topic",
        };
    }

    public TrainingCorpus Corpus { get; }

    public TrainingPlan Plan { get; }

    /// <summary>The teacher's output for every (query, passage) pair of the corpus.</summary>
    public Dictionary<(string, string), TeacherOutput> Outputs { get; }

    public InMemoryTeacherScores Teacher(bool features = true) =>
        features ? new(Outputs, 6) : new(Outputs.ToDictionary(o => o.Key, o => o.Value with { Features = null }), null);

    /// <summary>A 2-layer LLaMA of width 32 (4 heads, 2 KV heads) over these texts' vocabulary in <paramref name="directory"/>.</summary>
    public string WriteCheckpoint(string directory)
    {
        RandomCheckpoint.Write(directory, new RandomCheckpointSettings
        {
            Layers = 2,
            Hidden = 32,
            Heads = 4,
            KeyValueHeads = 2,
            MaxPositionEmbeddings = 64,
            VocabularyTexts = [.. Corpus.Queries.Values, .. Corpus.Passages.Values],
            Seed = 5,
        });
        return directory;
    }
}
