using System.CommandLine;
using Rerank.CommandLine;
using Rerank.Trainer.Mining;

namespace Rerank.Trainer.Cli;

/// <summary><c>mine</c>'s own options (<c>--top --query-chars</c>); <c>run</c> takes them with the prefix <c>mine-</c>.</summary>
internal sealed class MineOptions(string prefix = "")
{
    public Option<int> Top { get; } = new Option<int>($"--{prefix}top") { Description = "Mined negatives per query, best BM25 first, positives removed.", DefaultValueFactory = _ => 10 }.AtLeast(1);

    public Option<int> QueryChars { get; } = new Option<int>($"--{prefix}query-chars") { Description = "Cut each query to this many characters before tokenising it for BM25.", DefaultValueFactory = _ => 1000 }.AtLeast(1);

    public IEnumerable<Option> All => [Top, QueryChars];

    public MiningSettings Read(ParseResult parse) => new() { Top = parse.GetValue(Top), QueryChars = parse.GetValue(QueryChars) };
}
