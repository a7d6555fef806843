using System.CommandLine;

namespace Rerank.Cli.Model;

/// <summary><c>rerank model</c>: create, inspect and run student model bundles.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var model = new Command("model", "Create, inspect and run D2LLM student model bundles (docs/model-bundle.md).");
        model.Subcommands.Add(ModelInitCommand.Create());
        model.Subcommands.Add(ModelStarterCommand.Create());
        model.Subcommands.Add(ModelInspectCommand.Create());
        model.Subcommands.Add(ModelScoreCommand.Create());
        model.Subcommands.Add(ModelEncodeCommand.Create());
        return model;
    }
}
