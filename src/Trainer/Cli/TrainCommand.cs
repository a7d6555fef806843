using System.CommandLine;
using Rerank.Model.Checkpoints;

namespace Rerank.Trainer.Cli;

/// <summary>The <c>rerank-train</c> executable's command tree.</summary>
internal static class TrainCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("rerank-train: D2LLM distillation in TorchSharp (checkpoints, teacher scoring, student training, export).");
        root.Subcommands.Add(InitCheckpointCommand.Create());
        root.Subcommands.Add(InspectCheckpointCommand.Create());
        root.Subcommands.Add(BenchLoadCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(MineCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(TeacherCommand.Create(new PipelineTeacherInputs()));
        root.Subcommands.Add(BenchRuntimeCommand.CreateGroup());
        root.Subcommands.Add(TrainStudentCommand.Create(new PipelineTrainingInputs()));
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(PretrainedImportCommand.CreateGroup());
        return root;
    }

    /// <summary>The trainer's own user errors, beyond those every command line shares (<c>UserErrors</c>): a checkpoint that cannot be loaded.</summary>
    public static bool IsUserError(Exception exception) => exception is CheckpointException;
}
