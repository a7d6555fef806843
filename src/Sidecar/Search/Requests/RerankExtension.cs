using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Rerank.Model.Runtime;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>A request's <c>ext.rerank</c> (docs/search.md "ext.rerank"); every key is optional.</summary>
internal sealed record RerankExtension
{
    public const string EnabledKey = "enabled";
    public const string WindowKey = "window";
    public const string ExplainKey = "explain";
    public const string BranchKey = "branch";
    public const string QueryKey = "query";

    /// <summary>A request without <c>ext.rerank</c>.</summary>
    public static readonly RerankExtension Default = new();

    private const string KnownKeys = "[enabled, window, explain, branch, query]";

    public bool Enabled { get; init; } = true;

    /// <summary>The requested window, or null for the index's.</summary>
    public int? Window { get; init; }

    public bool Explain { get; init; }

    public StudentBranch Branch { get; init; } = StudentBranch.Asymmetric;

    /// <summary>The text to encode instead of the query's, or null.</summary>
    public string? Query { get; init; }

    /// <summary>
    /// Reads <paramref name="value"/>, the value of <c>ext.rerank</c>. False with an Elasticsearch-style reason that names
    /// the key (<c>[ext.rerank.window] must be an integer from 1 to 1000, got [0]</c>) for an unknown key or a bad value.
    /// </summary>
    public static bool TryParse(JsonElement value, int maxWindow, [NotNullWhen(true)] out RerankExtension? extension, [NotNullWhen(false)] out string? error)
    {
        extension = null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            error = $"[ext.rerank] must be an object, got [{JsonBody.Describe(value)}]";
            return false;
        }

        var result = Default;
        foreach (var property in value.EnumerateObject())
        {
            var key = property.Name;
            var setting = property.Value;
            switch (key)
            {
                case EnabledKey when setting.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    result = result with { Enabled = setting.GetBoolean() };
                    break;
                case ExplainKey when setting.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    result = result with { Explain = setting.GetBoolean() };
                    break;
                case EnabledKey or ExplainKey:
                    error = $"[ext.rerank.{key}] must be a boolean, got [{JsonBody.Describe(setting)}]";
                    return false;
                case WindowKey when setting.ValueKind == JsonValueKind.Number && setting.TryGetInt32(out var window) && window >= 1 && window <= maxWindow:
                    result = result with { Window = window };
                    break;
                case WindowKey:
                    error = $"[ext.rerank.window] must be an integer from 1 to {maxWindow}, got [{JsonBody.Describe(setting)}]";
                    return false;
                case BranchKey when setting.ValueKind == JsonValueKind.String && StudentBranchNames.TryParse(setting.GetString(), out var branch):
                    result = result with { Branch = branch };
                    break;
                case BranchKey:
                    error = $"[ext.rerank.branch] must be one of [{StudentBranchNames.Asymmetric}, {StudentBranchNames.Symmetric}], got [{JsonBody.Describe(setting)}]";
                    return false;
                case QueryKey when setting.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(setting.GetString()):
                    result = result with { Query = setting.GetString() };
                    break;
                case QueryKey:
                    error = $"[ext.rerank.query] must be a non-empty string, got [{JsonBody.Describe(setting)}]";
                    return false;
                default:
                    error = $"[ext.rerank.{key}] is not a known key, expected one of {KnownKeys}";
                    return false;
            }
        }

        extension = result;
        error = null;
        return true;
    }
}
