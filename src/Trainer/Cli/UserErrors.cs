using Rerank.LuceneBaseline.Beir;

namespace Rerank.Trainer.Cli;

/// <summary>Turns the errors a user can fix (bad checkpoints, missing files, bad options) into <c>error: ...</c> and exit code 1.</summary>
internal static class UserErrors
{
    public static int Run(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception exception) when (exception is BeirFormatException or FormatException or FileNotFoundException or DirectoryNotFoundException
            or ArgumentException or InvalidDataException or UnauthorizedAccessException or Checkpoints.CheckpointException)
        {
            // ArgumentException appends " (Parameter 'x')", which names our code, not the user's option.
            var message = exception is ArgumentException { ParamName: { } name }
                ? exception.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
                : exception.Message;
            error.WriteLine($"error: {message}");
            return 1;
        }
    }
}
