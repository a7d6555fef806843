using System.CommandLine;
using Rerank.Cli;
using Rerank.CommandLine;

return await CommandLineHost.InvokeAsync(RerankCommand.Create(), args, new InvocationConfiguration()).ConfigureAwait(false);
