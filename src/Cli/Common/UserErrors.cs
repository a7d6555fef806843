using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Bundle;

namespace Rerank.Cli.Common;

/// <summary>Turns the errors a user can fix (bad input files, missing folders, bad options) into one clear line.</summary>
internal static class UserErrors
{
    public static bool TryDescribe(Exception exception, out string message)
    {
        message = exception switch
        {
            BeirFormatException or ModelBundleException or FormatException or FileNotFoundException or DirectoryNotFoundException
                or ArgumentException or InvalidDataException or UnauthorizedAccessException => exception.Message,
            _ => "",
        };
        return message.Length > 0;
    }

    /// <summary>Runs <paramref name="action"/>; a user error is written as <c>error: ...</c> and gives exit code 1.</summary>
    public static int Run(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception exception) when (TryDescribe(exception, out var message))
        {
            error.WriteLine($"error: {message}");
            return 1;
        }
    }
}
