using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// Checks <see cref="EngineHostOptions"/> and its <see cref="EngineOptions"/> before the host starts, and reports every
/// problem at once, each naming the property and the value.
/// </summary>
internal sealed class EngineHostOptionsValidator : IValidateOptions<EngineHostOptions>
{
    /// <summary>The longest refresh interval a timer can hold (<see cref="ITimer"/> periods stop at 2^32 - 2 ms).</summary>
    internal static readonly TimeSpan MaxRefreshInterval = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    /// <summary>Throws when <paramref name="options"/> has any problem.</summary>
    /// <exception cref="OptionsValidationException">Every problem; <see cref="OptionsValidationException.Failures"/> lists them one each.</exception>
    public static void ThrowIfInvalid(EngineHostOptions options)
    {
        var result = new EngineHostOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(nameof(EngineHostOptions), typeof(EngineHostOptions), result.Failures);
        }
    }

    public ValidateOptionsResult Validate(string? name, EngineHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("DataDirectory is required");
        }
        else if (options.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"DataDirectory [{options.DataDirectory}] is not a valid path");
        }

        if (options.Urls is null || options.Urls.Count == 0)
        {
            failures.Add("Urls must name at least one URL to listen on");
        }
        else
        {
            for (var i = 0; i < options.Urls.Count; i++)
            {
                CheckUrl(options.Urls[i], $"Urls[{i.ToString(CultureInfo.InvariantCulture)}]", failures);
            }
        }

        if (options.MaxContentLength <= 0)
        {
            failures.Add($"MaxContentLength must be at least 1 byte, was [{options.MaxContentLength.ToString(CultureInfo.InvariantCulture)}]");
        }

        if (options.NodeName is not null && string.IsNullOrWhiteSpace(options.NodeName))
        {
            // Null takes the name derived from the data directory; a given name must say something.
            failures.Add("NodeName must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterName))
        {
            failures.Add("ClusterName must not be empty");
        }

        if (options.Engine is null)
        {
            failures.Add("Engine is required");
        }
        else
        {
            CheckEngine(options.Engine, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(string? url, string property, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            failures.Add($"{property} is empty");
            return;
        }

        BindingAddress address;
        try
        {
            // Kestrel's own parser, so what passes here binds as written (it accepts the * and + hosts Uri refuses).
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            failures.Add($"{property} [{url}] is not an absolute http URL such as http://127.0.0.1:9200");
            return;
        }

        if (address.IsUnixPipe || address.IsNamedPipe)
        {
            failures.Add($"{property} [{url}] is a pipe: the embedded engine listens on TCP only (an http://host:port URL)");
        }
        else if (string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{property} [{url}]: https is not supported by the embedded engine (it has no certificate): use http, behind a TLS proxy if needed");
        }
        else if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{property} [{url}] is not an absolute http URL such as http://127.0.0.1:9200");
        }
        else if (address.Host.Length == 0)
        {
            failures.Add($"{property} [{url}] names no host");
        }
        else if (address.Port is < 0 or > 65535)
        {
            failures.Add($"{property} [{url}] has port [{address.Port.ToString(CultureInfo.InvariantCulture)}], but a port is 0 to 65535 (0 picks a free one)");
        }
        else if (address.PathBase.Length > 0)
        {
            failures.Add($"{property} [{url}] has a path: the engine answers at the root of its address");
        }
    }

    private static void CheckEngine(EngineOptions engine, List<string> failures)
    {
        var interval = engine.DefaultRefreshInterval;
        if (interval < TimeSpan.Zero && interval != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"Engine.DefaultRefreshInterval must be zero or positive (zero or Timeout.InfiniteTimeSpan turns the schedule off), was [{interval}]");
        }
        else if (interval > MaxRefreshInterval)
        {
            failures.Add($"Engine.DefaultRefreshInterval must be at most [{MaxRefreshInterval}], was [{interval}]");
        }

        if (engine.PendingSourceLimitBytes < 0)
        {
            failures.Add($"Engine.PendingSourceLimitBytes must be zero or positive, was [{engine.PendingSourceLimitBytes.ToString(CultureInfo.InvariantCulture)}]");
        }
    }
}
