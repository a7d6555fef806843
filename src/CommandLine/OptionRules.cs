using System.CommandLine;
using System.CommandLine.Parsing;
using System.Numerics;

namespace Rerank.CommandLine;

/// <summary>
/// Range rules for numeric options, safe against a value that does not parse: <c>--top-k abc</c> is reported by the parser
/// as a parse error, where a validator that reads the value itself would throw from inside parsing.
/// </summary>
internal static class OptionRules
{
    /// <summary>Adds the rule "at least <paramref name="minimum"/>" (the error names the option and the value).</summary>
    public static Option<T> AtLeast<T>(this Option<T> option, T minimum)
        where T : struct, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out T value) && value < minimum)
            {
                result.AddError($"{option.Name} must be at least {minimum} (is {value}).");
            }
        });
        return option;
    }

    /// <summary>Adds the rule "at least <paramref name="minimum"/>" to an option that may be left out.</summary>
    public static Option<T?> AtLeast<T>(this Option<T?> option, T minimum)
        where T : struct, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out T? value) && value is { } given && given < minimum)
            {
                result.AddError($"{option.Name} must be at least {minimum} (is {given}).");
            }
        });
        return option;
    }

    /// <summary>Adds the rule "not an existing file" to a folder option, an <c>Option&lt;DirectoryInfo&gt;</c> (a folder that is not there yet is fine).</summary>
    public static void NotAFile(this Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result => CheckNotAFile(result, option.Name));
    }

    /// <summary>
    /// Adds the rules of an output file, an <c>Option&lt;FileInfo?&gt;</c>, checked before the command runs rather than
    /// after its work: not an existing folder, and in a folder that exists.
    /// </summary>
    public static void OutputFile(this Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out FileInfo? file) || file is null)
            {
                return;
            }

            if (Directory.Exists(file.FullName))
            {
                result.AddError($"{option.Name}: {file.FullName} is a directory, not a file.");
            }
            else if (file.DirectoryName is { } folder && !Directory.Exists(folder))
            {
                result.AddError($"{option.Name}: the folder {folder} does not exist.");
            }
        });
    }

    private static void CheckNotAFile(OptionResult result, string name)
    {
        if (TryGetValue(result, out DirectoryInfo? directory) && directory is not null && File.Exists(directory.FullName))
        {
            result.AddError($"{name}: {directory.FullName} is a file, not a directory.");
        }
    }

    /// <summary>The option's value, or false where the text does not convert (the parser reports that itself).</summary>
    private static bool TryGetValue<T>(OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            // System.CommandLine 2.0 throws here for "abc" as an int; the same conversion error is added to the parse
            // errors after the validators run, so there is nothing to add.
            value = default;
            return false;
        }
    }
}
