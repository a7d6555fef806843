using System.CommandLine;

namespace Rerank.Cli.Eval;

/// <summary><c>rerank eval</c>: offline retrieval evaluation on BEIR-layout collections.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var eval = new Command("eval", "Evaluate rankers on a BEIR-layout collection (corpus.jsonl, queries.jsonl, qrels/<split>.tsv).");
        eval.Subcommands.Add(EvalBm25Command.Create());
        eval.Subcommands.Add(EvalRerankCommand.Create());
        eval.Subcommands.Add(EvalPairsCommand.Create());
        return eval;
    }
}
