using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Bundle;

namespace Rerank.CommandLine;

/// <summary>
/// Which exceptions are a user's mistake (a bad value, file or folder) and how they read: one line, <c>error: ...</c>,
/// exit code <see cref="CommandLineHost.UserErrorExitCode"/>. Everything else is a bug (<see cref="CommandLineHost"/>).
/// </summary>
/// <remarks>
/// User errors: a file or folder that is missing, unreadable or malformed (<see cref="IOException"/> and its kinds,
/// <see cref="UnauthorizedAccessException"/>, <see cref="InvalidDataException"/>, <see cref="FormatException"/>,
/// <see cref="BeirFormatException"/>, <see cref="ModelBundleException"/>, and what the executable adds: the trainer's
/// checkpoint errors), and a value the library rejects by name (<see cref="ArgumentException"/> itself,
/// as settings validation throws it). Not user errors: <see cref="ArgumentNullException"/>,
/// <see cref="ArgumentOutOfRangeException"/> (internals called wrongly), <see cref="InvalidOperationException"/>,
/// <see cref="NullReferenceException"/> and the rest: those are bugs.
/// </remarks>
internal static class UserErrors
{
    /// <summary>
    /// Whether <paramref name="exception"/> is a user error (see the remarks, or <paramref name="also"/> says so); if so,
    /// <paramref name="message"/> is its one line (without <c>error: </c>).
    /// </summary>
    public static bool TryDescribe(Exception exception, Func<Exception, bool>? also, out string message)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var isUserError = exception is IOException or UnauthorizedAccessException or InvalidDataException or FormatException
            or BeirFormatException or ModelBundleException
            || exception.GetType() == typeof(ArgumentException)
            || also?.Invoke(exception) == true;
        message = isUserError ? OneLine(exception) : "";
        return isUserError;
    }

    /// <summary>Writes <c>error: </c><paramref name="message"/> as one line.</summary>
    public static void Write(TextWriter error, string message)
    {
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine($"error: {message}");
    }

    /// <summary><paramref name="exception"/>'s message on one line: a list of problems joined with "; ", no parameter name.</summary>
    public static string OneLine(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // ArgumentException appends " (Parameter 'x')", which names our code, not the user's value.
        var message = exception is ArgumentException { ParamName: { } name }
            ? exception.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
            : exception.Message;

        // Bundle and checkpoint errors list one problem per indented line; keep them on one line, separated by "; ".
        var lines = message.Split(["\r\n", "\n"], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length <= 1 ? message.Trim() : lines[0].TrimEnd(':') + ": " + string.Join("; ", lines[1..]);
    }
}
