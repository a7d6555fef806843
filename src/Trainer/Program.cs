using Rerank.Trainer.Cli;

return await TrainCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
