using System.CommandLine;
using Rerank.CommandLine;
using Rerank.Trainer.Cli;

return await CommandLineHost.InvokeAsync(TrainCommand.Create(), args, new InvocationConfiguration(), TrainCommand.IsUserError).ConfigureAwait(false);
