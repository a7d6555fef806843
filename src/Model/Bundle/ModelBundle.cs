using System.Security.Cryptography;
using System.Text.Json;

namespace Rerank.Model.Bundle;

/// <summary>A model bundle on disk whose manifest and files have been checked. Immutable; safe to share.</summary>
public sealed class ModelBundle
{
    /// <summary>Hex digits of SHA-256 kept in a model id: 96 bits, far past any chance collision between models.</summary>
    private const int ModelIdHexDigits = 24;

    private ModelBundle(string directory, ModelManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    public string Directory { get; }

    public ModelManifest Manifest { get; }

    public string ModelId => Manifest.ModelId;

    public string EncoderPath => Resolve(Manifest.Files.Encoder);

    public string PassageProjectionPath => Resolve(Manifest.Files.PassageProjection);

    public string ScorerPath => Resolve(Manifest.Files.Scorer);

    public string TokenizerPath => Resolve(Manifest.TokenizerDirectory);

    /// <summary>
    /// Reads and checks <c>manifest.json</c> in <paramref name="directory"/>: format version, shapes, tokenizer,
    /// branches, that every file exists and has the hash the manifest gives, and that the model id is the hash of the
    /// manifest. Every problem is reported at once.
    /// </summary>
    /// <exception cref="ModelBundleException">The bundle is missing or not valid; the message names each file and field.</exception>
    public static ModelBundle Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        var manifestPath = Path.Combine(full, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelBundleException(full, [System.IO.Directory.Exists(full) ? $"{ModelManifest.FileName}: missing" : "the directory does not exist"]);
        }

        ModelManifest manifest;
        try
        {
            manifest = ManifestJson.Deserialize(File.ReadAllBytes(manifestPath));
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $"line {line + 1}: " : "";
            var field = string.IsNullOrEmpty(exception.Path) ? "" : $"{exception.Path.TrimStart('$', '.')}: ";
            throw new ModelBundleException(full, [$"{ModelManifest.FileName}: {where}{field}{exception.Message}"]);
        }

        var problems = new List<string>();
        ValidateManifest(manifest, problems);
        if (problems.Count == 0)
        {
            ValidateFiles(full, manifest, problems);
        }

        if (problems.Count > 0)
        {
            throw new ModelBundleException(full, problems);
        }

        return new ModelBundle(full, manifest);
    }

    /// <summary>
    /// The model id: SHA-256 over the manifest's JSON with an empty id. The manifest holds every file's hash, so the id
    /// changes with any weight, tokenizer file or setting, and with nothing else.
    /// </summary>
    public static string ComputeModelId(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var hash = SHA256.HashData(ManifestJson.Serialize(manifest with { ModelId = "" }));
        return Convert.ToHexStringLower(hash)[..ModelIdHexDigits];
    }

    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private string Resolve(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));

    private static void ValidateManifest(ModelManifest manifest, List<string> problems)
    {
        void Add(string field, string message) => problems.Add($"{ModelManifest.FileName}: {field}: {message}");

        if (manifest.FormatVersion is < ModelManifest.OldestFormatVersion or > ModelManifest.CurrentFormatVersion)
        {
            Add("formatVersion", $"{manifest.FormatVersion} is not supported (this build reads {ModelManifest.OldestFormatVersion} to {ModelManifest.CurrentFormatVersion})");
        }
        else if (ModelManifest.RequiredFormatVersion(manifest) is var (required, reason) && manifest.FormatVersion < required)
        {
            Add("formatVersion", $"{manifest.FormatVersion} cannot hold {reason}; it needs format version {required}");
        }

        foreach (var error in manifest.Backbone.Validate())
        {
            Add("backbone", error);
        }

        foreach (var error in manifest.Heads.Validate())
        {
            Add("heads", error);
        }

        if (manifest.Heads.Dim != manifest.Backbone.HiddenSize)
        {
            Add("heads.dim", $"{manifest.Heads.Dim} differs from backbone.hiddenSize {manifest.Backbone.HiddenSize}; PMA pools the backbone's hidden states");
        }

        foreach (var error in manifest.Tokenizer.Validate())
        {
            problems.Add($"{ModelManifest.FileName}: {error}");
        }

        foreach (var (name, limits) in (ReadOnlySpan<(string, TextLimits)>)[("query", manifest.Query), ("passage", manifest.Passage)])
        {
            if (limits.MaxTokens < 1)
            {
                Add($"{name}.maxTokens", $"must be at least 1 (is {limits.MaxTokens})");
            }
            else if (limits.MaxTokens > manifest.Backbone.MaxPositionEmbeddings)
            {
                Add($"{name}.maxTokens", $"{limits.MaxTokens} exceeds backbone.maxPositionEmbeddings {manifest.Backbone.MaxPositionEmbeddings}");
            }

            if (limits.MaxChars < 0)
            {
                Add($"{name}.maxChars", $"must be 0 (no cut) or positive (is {limits.MaxChars})");
            }
        }

        if (!manifest.Branches.SequenceEqual(ModelManifest.DefaultBranches, StringComparer.Ordinal))
        {
            Add("branches", $"[{string.Join(", ", manifest.Branches)}] must be [{string.Join(", ", ModelManifest.DefaultBranches)}]");
        }
    }

    private static void ValidateFiles(string directory, ModelManifest manifest, List<string> problems)
    {
        var required = new List<(string Field, string Path)>
        {
            ("files.encoder", manifest.Files.Encoder),
            ("files.passageProjection", manifest.Files.PassageProjection),
            ("files.scorer", manifest.Files.Scorer),
        };
        required.AddRange(manifest.Tokenizer.Files.Select(f => ("tokenizer.files", $"{manifest.TokenizerDirectory}/{f}")));
        foreach (var (field, path) in required)
        {
            if (!manifest.FileHashes.ContainsKey(path))
            {
                problems.Add($"{ModelManifest.FileName}: {field}: '{path}' has no entry in fileHashes");
            }
        }

        foreach (var (path, expected) in manifest.FileHashes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (path.Length == 0 || Path.IsPathRooted(path) || path.Split('/').Any(part => part is ".." or "." or ""))
            {
                problems.Add($"{ModelManifest.FileName}: fileHashes: '{path}' is not a plain relative path inside the bundle");
                continue;
            }

            var full = Path.Combine(directory, path.Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(full))
            {
                problems.Add($"{path}: missing (listed in {ModelManifest.FileName} fileHashes)");
            }
            else if (!string.Equals(HashFile(full), expected, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{path}: content differs from its SHA-256 in {ModelManifest.FileName} fileHashes (the file was changed or damaged)");
            }
        }

        var id = ComputeModelId(manifest);
        if (!string.Equals(manifest.ModelId, id, StringComparison.Ordinal))
        {
            problems.Add($"{ModelManifest.FileName}: modelId: '{manifest.ModelId}' is not the manifest's content hash '{id}'");
        }
    }
}
