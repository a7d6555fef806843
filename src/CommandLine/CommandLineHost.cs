using System.CommandLine;
using System.CommandLine.Parsing;

namespace Rerank.CommandLine;

/// <summary>
/// Runs <c>rerank</c> or <c>rerank-train</c>: parses, reports, invokes. Both executables (and their in-process tests)
/// go through here, so a mistake reads the same in both and no exception escapes as an abort.
/// </summary>
/// <remarks>
/// 1. Parse errors (an unknown option, <c>--top-k abc</c>, a value out of range) are user errors: each is written as
///    <c>error: ...</c> on its own line, exit code <see cref="UserErrorExitCode"/>, and nothing runs. A command that
///    needs a subcommand and got none prints its help as well.
/// 2. An exception from a command that <see cref="UserErrors.TryDescribe"/> accepts (or the executable's own predicate) is one <c>error: ...</c> line and
///    exit code <see cref="UserErrorExitCode"/>, without a stack trace.
/// 3. Any other exception, in parsing or in a command, is a bug: <c>error: internal error: </c> with the exception and its
///    stack trace, exit code <see cref="InternalErrorExitCode"/>.
/// </remarks>
internal static class CommandLineHost
{
    /// <summary>The exit code of a user error (bad value, file or folder).</summary>
    public const int UserErrorExitCode = 1;

    /// <summary>The exit code of a bug: EX_SOFTWARE of BSD's sysexits.h.</summary>
    public const int InternalErrorExitCode = 70;

    /// <summary>Parses <paramref name="args"/> against <paramref name="root"/> and runs the command (see the remarks).</summary>
    /// <param name="root">The executable's command tree.</param>
    /// <param name="args">The command line, without the executable.</param>
    /// <param name="configuration">Where output and errors go.</param>
    /// <param name="isUserError">The executable's own user errors beyond <see cref="UserErrors"/>' (reported by their message).</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public static async Task<int> InvokeAsync(
        RootCommand root, IReadOnlyList<string> args, InvocationConfiguration configuration, Func<Exception, bool>? isUserError = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        var error = configuration.Error;
        configuration.EnableDefaultExceptionHandler = false;
        ParseResult parse;
        try
        {
            parse = root.Parse(args);
        }
        catch (Exception exception)
        {
            // Step 3: a validator or converter that throws is a bug, never an abort.
            return ReportBug(error, exception);
        }

        // Step 1.
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                UserErrors.Write(error, parseError.Message);
            }

            if (parse.CommandResult.Command is { Action: null, Subcommands.Count: > 0 })
            {
                var help = new InvocationConfiguration { Output = configuration.Output, Error = error };
                await root.Parse([.. CommandPath(parse), "--help"]).InvokeAsync(help, cancellationToken).ConfigureAwait(false);
            }

            return UserErrorExitCode;
        }

        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (UserErrors.TryDescribe(exception, isUserError, out var message))
        {
            // Step 2.
            UserErrors.Write(error, message);
            return UserErrorExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return UserErrorExitCode;
        }
        catch (Exception exception)
        {
            return ReportBug(error, exception);
        }
    }

    /// <summary><see cref="InvokeAsync"/>, waited for: for tests that run a command in-process.</summary>
    public static int Invoke(RootCommand root, IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<Exception, bool>? isUserError = null) =>
        InvokeAsync(root, args, new InvocationConfiguration { Output = output, Error = error }, isUserError).GetAwaiter().GetResult();

    /// <summary>The subcommand names from the root down to the parsed command.</summary>
    private static List<string> CommandPath(ParseResult parse)
    {
        var path = new List<string>();
        var result = parse.CommandResult;
        while (result.Parent is CommandResult parent)
        {
            path.Insert(0, result.Command.Name);
            result = parent;
        }

        return path;
    }

    private static int ReportBug(TextWriter error, Exception exception)
    {
        error.WriteLine($"error: internal error (a bug, please report it with what follows): {exception}");
        return InternalErrorExitCode;
    }
}
