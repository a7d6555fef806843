using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Rerank.Sidecar.Hosting;

/// <summary>Checks <see cref="SidecarOptions"/> before the host starts and reports every problem at once.</summary>
internal sealed class SidecarOptionsValidator : IValidateOptions<SidecarOptions>
{
    /// <exception cref="OptionsValidationException">Every problem, one per entry of <see cref="OptionsValidationException.Failures"/>.</exception>
    public static void ThrowIfInvalid(SidecarOptions options)
    {
        var result = new SidecarOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(nameof(SidecarOptions), typeof(SidecarOptions), result.Failures);
        }
    }

    public ValidateOptionsResult Validate(string? name, SidecarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Upstream is null)
        {
            failures.Add("Upstream is required");
        }
        else if (!options.Upstream.IsAbsoluteUri || (options.Upstream.Scheme != Uri.UriSchemeHttp && options.Upstream.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"Upstream [{options.Upstream}] is not an absolute http or https URL such as http://127.0.0.1:9200");
        }
        else if (!string.IsNullOrEmpty(options.Upstream.Query) || !string.IsNullOrEmpty(options.Upstream.Fragment))
        {
            failures.Add($"Upstream [{options.Upstream}] must not have a query or fragment");
        }
        else if (!string.IsNullOrEmpty(options.Upstream.UserInfo))
        {
            // The sidecar never adds credentials of its own: the caller's Authorization header is forwarded as is.
            failures.Add($"Upstream must not carry credentials (user info); clients send their own Authorization header");
        }

        if (options.Encoding is null)
        {
            failures.Add("Encoding must not be null");
        }
        else
        {
            try
            {
                options.Encoding.Validate();
            }
            catch (ArgumentException exception)
            {
                failures.Add($"Encoding: {exception.Message}");
            }
        }

        if (options.Search is null)
        {
            failures.Add("Search must not be null");
        }
        else
        {
            failures.AddRange(options.Search.Problems());
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

        if (options.ModelsDirectory is not null && string.IsNullOrWhiteSpace(options.ModelsDirectory))
        {
            failures.Add("ModelsDirectory must not be empty (null serves no models)");
        }
        else if (options.ModelsDirectory is not null && !Directory.Exists(options.ModelsDirectory))
        {
            failures.Add($"ModelsDirectory [{options.ModelsDirectory}] does not exist");
        }

        Positive(options.ModelPollInterval, nameof(SidecarOptions.ModelPollInterval), failures);
        Positive(options.UpstreamConnectTimeout, nameof(SidecarOptions.UpstreamConnectTimeout), failures);
        Positive(options.UpstreamActivityTimeout, nameof(SidecarOptions.UpstreamActivityTimeout), failures);
        Positive(options.UpstreamRequestTimeout, nameof(SidecarOptions.UpstreamRequestTimeout), failures);
        Positive(options.HealthTimeout, nameof(SidecarOptions.HealthTimeout), failures);
        if (options.IndexConfigTtl < TimeSpan.Zero)
        {
            failures.Add($"IndexConfigTtl must be zero (no cache) or positive, was [{options.IndexConfigTtl}]");
        }

        if (options.MaxValidatedBodyBytes <= 0)
        {
            failures.Add($"MaxValidatedBodyBytes must be at least 1, was [{options.MaxValidatedBodyBytes.ToString(CultureInfo.InvariantCulture)}]");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(TimeSpan value, string property, List<string> failures)
    {
        // Timers and CancelAfter take at most 2^32 - 2 ms.
        if (value <= TimeSpan.Zero || value > TimeSpan.FromMilliseconds(uint.MaxValue - 1.0))
        {
            failures.Add($"{property} must be positive and at most 49 days, was [{value}]");
        }
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
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            failures.Add($"{property} [{url}] is not an absolute http URL such as http://127.0.0.1:9201");
            return;
        }

        if (address.IsUnixPipe || address.IsNamedPipe)
        {
            failures.Add($"{property} [{url}] is a pipe: the sidecar listens on TCP only (an http://host:port URL)");
        }
        else if (string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{property} [{url}]: https is not supported by the sidecar (it has no certificate): use http, behind a TLS proxy if needed");
        }
        else if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{property} [{url}] is not an absolute http URL such as http://127.0.0.1:9201");
        }
        else if (address.Port is < 0 or > 65535)
        {
            failures.Add($"{property} [{url}] has port [{address.Port.ToString(CultureInfo.InvariantCulture)}], but a port is 0 to 65535 (0 picks a free one)");
        }
        else if (address.PathBase.Length > 0)
        {
            failures.Add($"{property} [{url}] has a path: the sidecar answers at the root of its address");
        }
    }
}
