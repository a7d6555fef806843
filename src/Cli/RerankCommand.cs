using System.CommandLine;
using Rerank.Cli.Bench;
using Rerank.Cli.Engine;
using Rerank.Cli.Eval;
using Rerank.Cli.Ingest;
using Rerank.Cli.Model;
using Rerank.Cli.Quickstart;
using Rerank.Cli.Serve;

namespace Rerank.Cli;

/// <summary>The <c>rerank</c> executable's command tree.</summary>
internal static class RerankCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Rerank: D2LLM reranking for Elasticsearch, and the BM25 baseline it is measured against.");
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(EngineCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        return root;
    }
}
