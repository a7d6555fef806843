using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// Parses the <c>settings</c> of <c>PUT /&lt;index&gt;</c> as Elasticsearch does: nested objects and dotted keys are
/// flattened (<c>{"index": {"number_of_shards": 1}}</c>, <c>"index.number_of_shards"</c> and <c>"number_of_shards"</c>
/// are the same setting), values become strings, and each setting is checked in key order, the first failure reported.
/// </summary>
internal static class IndexSettingsParser
{
    public const string Prefix = "index.";
    public const string NumberOfShards = "index.number_of_shards";
    public const string NumberOfReplicas = "index.number_of_replicas";
    public const string MaxResultWindow = "index.max_result_window";
    public const string RefreshInterval = "index.refresh_interval";
    public const string HighlightMaxAnalyzedOffset = "index.highlight.max_analyzed_offset";

    /// <summary>Elasticsearch's limit on <c>index.number_of_shards</c> (<c>es.index.max_number_of_shards</c>).</summary>
    private const int MaxShards = 1024;

    /// <summary>Parses a <c>settings</c> value; null (absent) gives the defaults.</summary>
    /// <exception cref="EngineException"><c>parse_exception</c> when not an object; <c>illegal_argument_exception</c> for an unknown setting or a bad value.</exception>
    public static IndexSettings Parse(JsonNode? settings)
    {
        if (settings is null)
        {
            return new IndexSettings();
        }

        if (settings is not JsonObject settingsObject)
        {
            throw StoreErrors.Parse("key [settings] must be an object");
        }

        var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Flatten(settingsObject, "", flat);
        return FromFlat(flat);
    }

    /// <summary>Builds settings from flat <c>index.*</c> keys and string values (as <c>meta.json</c> keeps them).</summary>
    public static IndexSettings FromFlat(IReadOnlyDictionary<string, string> flat)
    {
        var settings = new IndexSettings();
        foreach (var (key, value) in flat.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (key.StartsWith(SimilaritySettings.Prefix, StringComparison.Ordinal))
            {
                // A group setting, checked as a whole below, as Elasticsearch checks it when it builds the index's similarities.
                continue;
            }

            settings = key switch
            {
                NumberOfShards => settings with { NumberOfShards = ParseInt(key, value, 1, MaxShards) },
                NumberOfReplicas => settings with { NumberOfReplicas = ParseInt(key, value, 0, int.MaxValue) },
                MaxResultWindow => settings with { MaxResultWindow = ParseInt(key, value, 1, int.MaxValue) },
                RefreshInterval => settings with { RefreshInterval = ParseTime(key, value) },
                HighlightMaxAnalyzedOffset => settings with { HighlightMaxAnalyzedOffset = ParseInt(key, value, 1, int.MaxValue) },
                Mapping.MappingLimits.TotalFieldsSetting => settings with { MappingLimits = settings.MappingLimits with { TotalFields = ParseInt(key, value, 0, int.MaxValue) } },
                Mapping.MappingLimits.DepthSetting => settings with { MappingLimits = settings.MappingLimits with { Depth = ParseInt(key, value, 1, int.MaxValue) } },
                _ => throw StoreErrors.UnknownSetting(key),
            };
        }

        return settings with
        {
            Similarity = SimilaritySettings.Parse(flat),
            Given = flat.ToFrozenDictionary(StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// Elasticsearch's <c>TimeValue.parseTimeValue</c> for a setting: an integer with a unit (<c>nanos</c>, <c>micros</c>,
    /// <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>), or <c>-1</c> (returned as <see cref="Timeout.InfiniteTimeSpan"/>)
    /// or <c>0</c> without one; the setting's minimum is <c>-1</c>.
    /// </summary>
    public static TimeSpan ParseTime(string key, string value)
    {
        var normalized = value.ToLowerInvariant().Trim();
        (string Suffix, long TicksPerUnit)[] units =
        [
            ("nanos", 0), ("micros", 10), ("ms", TimeSpan.TicksPerMillisecond), ("s", TimeSpan.TicksPerSecond),
            ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour), ("d", TimeSpan.TicksPerDay),
        ];
        foreach (var (suffix, ticksPerUnit) in units)
        {
            if (!normalized.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            var amount = ParseTimeAmount(key, value, normalized[..^suffix.Length].Trim());
            if (amount == -1)
            {
                // -1 is the magic "off" only as a bare number or in the smallest units; -1s is below the minimum.
                if (ticksPerUnit > TimeSpan.TicksPerMillisecond)
                {
                    throw EngineException.IllegalArgument($"failed to parse value [{value}] for setting [{key}], must be >= [-1]");
                }

                return Timeout.InfiniteTimeSpan;
            }

            return suffix == "nanos" ? TimeSpan.FromTicks(amount / 100) : TimeSpan.FromTicks(SaturatingMultiply(amount, ticksPerUnit));
        }

        if (IsAll(normalized, '0'))
        {
            return TimeSpan.Zero;
        }

        // Elasticsearch's "-0*1".
        if (normalized.Length >= 2 && normalized[0] == '-' && normalized[^1] == '1' && (normalized.Length == 2 || IsAll(normalized[1..^1], '0')))
        {
            return Timeout.InfiniteTimeSpan;
        }

        throw EngineException.IllegalArgument(
            $"failed to parse setting [{key}] with value [{value}] as a time value: unit is missing or unrecognized");
    }

    private static long ParseTimeAmount(string key, string original, string number)
    {
        if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            if (amount < -1)
            {
                throw EngineException.IllegalArgument(
                    $"failed to parse setting [{key}] with value [{original}] as a time value: negative durations are not supported");
            }

            return amount;
        }

        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw EngineException.IllegalArgument($"failed to parse [{original}], fractional time values are not supported");
        }

        throw EngineException.IllegalArgument($"failed to parse [{original}]");
    }

    private static int ParseInt(string key, string value, int min, int max)
    {
        // Java's Integer.parseInt: an optional sign and decimal digits, nothing else.
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            throw EngineException.IllegalArgument($"Failed to parse value [{value}] for setting [{key}]");
        }

        if (parsed < min)
        {
            throw EngineException.IllegalArgument($"Failed to parse value [{value}] for setting [{key}] must be >= {min}");
        }

        if (parsed > max)
        {
            throw EngineException.IllegalArgument($"Failed to parse value [{value}] for setting [{key}] must be <= {max}");
        }

        return parsed;
    }

    private static void Flatten(JsonObject node, string prefix, SortedDictionary<string, string> flat)
    {
        foreach (var (name, value) in node)
        {
            var path = prefix + name;
            switch (value)
            {
                case null:
                    // A null setting means "the default", as in Elasticsearch.
                    break;
                case JsonObject child:
                    Flatten(child, path + ".", flat);
                    break;
                default:
                    var key = path.StartsWith(Prefix, StringComparison.Ordinal) ? path : Prefix + path;
                    flat[key] = ValueText(value);
                    break;
            }
        }
    }

    private static string ValueText(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    private static bool IsAll(string text, char c)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var ch in text)
        {
            if (ch != c)
            {
                return false;
            }
        }

        return true;
    }

    private static long SaturatingMultiply(long amount, long factor) =>
        amount > TimeSpan.MaxValue.Ticks / factor ? TimeSpan.MaxValue.Ticks : amount * factor;
}
