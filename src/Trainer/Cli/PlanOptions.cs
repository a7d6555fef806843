using System.CommandLine;
using Rerank.CommandLine;
using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Cli;

/// <summary><c>plan</c>'s options (<c>--batch-size --negatives --seed --groupings</c>); <c>run</c> names the seed <c>--plan-seed</c>, since its <c>--seed</c> is training's.</summary>
internal sealed class PlanOptions(string seedName = "--seed")
{
    public Option<int> BatchSize { get; } = new Option<int>("--batch-size") { Description = "Queries per batch (bs).", DefaultValueFactory = _ => 32 }.AtLeast(2);

    public Option<int> Negatives { get; } = new Option<int>("--negatives") { Description = "Hard negatives per query (K), sampled once per query.", DefaultValueFactory = _ => 8 }.AtLeast(1);

    public Option<int> Seed { get; } = new(seedName) { Description = "Seed of the negative samples and the batch order.", DefaultValueFactory = _ => 1 };

    public Option<int> Groupings { get; } = new Option<int>("--groupings") { Description = "Independent batch orders (passes over every training query and positive); the teacher scores each one's cross pairs.", DefaultValueFactory = _ => 1 }.AtLeast(1);

    public IEnumerable<Option> All => [BatchSize, Negatives, Seed, Groupings];

    public PlanSettings Read(ParseResult parse) => new()
    {
        BatchSize = parse.GetValue(BatchSize),
        HardNegatives = parse.GetValue(Negatives),
        Seed = parse.GetValue(Seed),
        Groupings = parse.GetValue(Groupings),
    };
}
