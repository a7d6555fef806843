namespace Rerank.Cli.Quickstart;

/// <summary>A quickstart step failed in a way the user can act on; the message is one line.</summary>
internal sealed class QuickstartException(string message) : Exception(message);
