using Rerank.Cli;

return await RerankCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
