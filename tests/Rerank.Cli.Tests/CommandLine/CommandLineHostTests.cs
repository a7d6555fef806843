using System.CommandLine;
using Rerank.Cli.Engine;
using Rerank.CommandLine;
using Rerank.Model.Bundle;

namespace Rerank.Cli.Tests.CommandLine;

/// <summary>How <c>rerank</c> reports a user's mistake (one <c>error:</c> line, exit 1) and a bug (stack trace, exit 70).</summary>
public sealed class CommandLineHostTests
{
    private static readonly Type[] Numeric = [typeof(int), typeof(long), typeof(float), typeof(double)];

    [Theory]
    [InlineData("engine", "--max-content-length")]
    [InlineData("eval bm25", "--top-k")]
    [InlineData("model init", "--layers")]
    public void Invoke_NumberOptionGivenText_IsOneErrorLineNamingOptionAndValue(string command, string option)
    {
        var result = CliRunner.Run([.. command.Split(' '), option, "abc"]);

        Assert.Equal(1, result.ExitCode);
        AssertOnlyErrorLines(result.Error);
        Assert.Contains(Lines(result.Error), l => l.Contains("'abc'", StringComparison.Ordinal) && l.Contains(option, StringComparison.Ordinal));
    }

    [Fact]
    public void Invoke_EveryNumberOptionOfEveryCommandGivenText_IsAnErrorLineNotACrash()
    {
        var checkedOptions = 0;
        foreach (var (path, option) in NumberOptions(RerankCommand.Create()))
        {
            var result = CliRunner.Run([.. path, option.Name, "abc"]);

            Assert.True(result.ExitCode == 1, $"{string.Join(' ', path)} {option.Name} abc: exit {result.ExitCode}, {result.Error}");
            AssertOnlyErrorLines(result.Error);
            Assert.Contains(Lines(result.Error), l => l.Contains("'abc'", StringComparison.Ordinal) && l.Contains(option.Name, StringComparison.Ordinal));
            checkedOptions++;
        }

        // bench engine (3), engine (1), eval bm25 (4), model init (9): the walk must have found them all.
        Assert.True(checkedOptions >= 17, $"only {checkedOptions} number options found");
    }

    [Fact]
    public void Invoke_ValueBelowTheMinimum_NamesOptionAndValue()
    {
        var result = CliRunner.Run("engine", "--max-content-length", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: --max-content-length must be at least 1 (is 0)." + Environment.NewLine, result.Error);
    }

    [Fact]
    public void Invoke_ActionThrowsAUserError_IsOneLineWithoutStackTrace()
    {
        var problems = new[] { "encoder.onnx: missing", "manifest.json: modelId: does not match the files" };
        var result = Run(_ => throw new ModelBundleException("/models/m1", problems));

        Assert.Equal(CommandLineHost.UserErrorExitCode, result.ExitCode);
        Assert.Equal("error: Model bundle /models/m1 is not valid: encoder.onnx: missing; manifest.json: modelId: does not match the files" + Environment.NewLine, result.Error);
    }

    [Theory]
    [InlineData(typeof(ArgumentNullException))]
    [InlineData(typeof(ArgumentOutOfRangeException))]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(NullReferenceException))]
    public void Invoke_ActionThrowsABug_PrintsTheStackTraceAndExits70(Type type)
    {
        var result = Run(_ => throw (Exception)Activator.CreateInstance(type)!);

        Assert.Equal(70, result.ExitCode);
        Assert.StartsWith("error: internal error", result.Error, StringComparison.Ordinal);
        Assert.Contains(type.FullName!, result.Error, StringComparison.Ordinal);
        Assert.Contains("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_ValidatorThrowsWhileParsing_IsABugNotAnAbort()
    {
        var root = new RootCommand();
        var option = new Option<int>("--n");
        option.Validators.Add(_ => throw new InvalidOperationException("validator bug"));
        root.Options.Add(option);
        root.SetAction(_ => 0);
        var (output, error) = (new StringWriter(), new StringWriter());

        var exitCode = CommandLineHost.Invoke(root, ["--n", "1"], output, error);

        Assert.Equal(70, exitCode);
        Assert.Contains("validator bug", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("   at ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_GroupWithoutSubcommand_SaysSoAndPrintsItsHelp()
    {
        var result = CliRunner.Run("model");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: Required command was not provided." + Environment.NewLine, result.Error);
        Assert.Contains(" model [command] [options]", result.Output, StringComparison.Ordinal); // the root is named after the executable
    }

    [Theory]
    [InlineData("notaurl", "'notaurl' is not an address")]
    [InlineData("http://256.1.1.1:1", "'256.1.1.1' is not an IP address")]
    [InlineData("http://127.0.0.1:65536", "'65536' is not a port")]
    [InlineData("http://127.0.0.1", "has no port")]
    [InlineData("https://127.0.0.1:0", "https is not supported")]
    [InlineData(";", "no address given")]
    public void Engine_BadUrls_IsOneErrorLineNamingTheAddress(string urls, string problem)
    {
        var result = CliRunner.Run("engine", "--urls", urls, "--data-dir", Path.Combine(Path.GetTempPath(), "rerank-never-created"));

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(Lines(result.Error));
        Assert.StartsWith("error: --urls: ", line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://[::1]:9200/")]
    [InlineData("http://localhost:9200")]
    [InlineData("http://*:9200")]
    [InlineData("http://0.0.0.0:80")]
    public void ListenAddresses_WhatKestrelBinds_IsAccepted(string url) => Assert.Null(ListenAddresses.Check(url));

    private static CliResult Run(Func<ParseResult, int> action)
    {
        var root = new RootCommand();
        root.SetAction(action);
        var (output, error) = (new StringWriter(), new StringWriter());
        var exitCode = CommandLineHost.Invoke(root, [], output, error);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private static void AssertOnlyErrorLines(string error)
    {
        Assert.NotEmpty(Lines(error));
        Assert.All(Lines(error), l => Assert.StartsWith("error: ", l, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Every option of a number type (or its nullable) on every command that runs something, with the command's path.</summary>
    private static IEnumerable<(string[] Path, Option Option)> NumberOptions(Command command, string[]? path = null)
    {
        path ??= [];
        if (command.Action is not null)
        {
            foreach (var option in command.Options)
            {
                var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
                if (Numeric.Contains(type))
                {
                    yield return (path, option);
                }
            }
        }

        foreach (var sub in command.Subcommands)
        {
            foreach (var found in NumberOptions(sub, [.. path, sub.Name]))
            {
                yield return found;
            }
        }
    }
}
