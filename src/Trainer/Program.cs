using System.CommandLine;
using Rerank.CommandLine;
using Rerank.Trainer.Cli;

return await CommandLineHost.InvokeAsync(TrainCommand.Create(), args, new InvocationConfiguration()).ConfigureAwait(false);
