using System.CommandLine;

namespace Rerank.Trainer.Cli;

/// <summary>Integer options with range checks that report the option's name.</summary>
internal static class Options
{
    public static Option<int> PositiveInt(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError($"{name} must be at least 1.");
            }
        });
        return option;
    }

    /// <summary>An optional size: 0 (the default) means "derived from the other options"; a negative value is an error.</summary>
    public static Option<int> NonNegativeInt(string name, string description)
    {
        var option = new Option<int>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError($"{name} must not be negative.");
            }
        });
        return option;
    }
}
