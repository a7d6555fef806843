using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Store.Aliases;
using Rerank.LuceneBaseline.Scoring;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// An index's metadata as <c>meta.json</c> in its folder keeps it: name, uuid, creation date, the settings as given and
/// the mapping. Replaced whole on every change: written to a temporary file, flushed to disk, then renamed over the old
/// file, so a crash leaves the old or the new metadata, never a torn one.
/// </summary>
/// <remarks>
/// Formats: 3 adds the index's <c>aliases</c>; 2 records the BM25 arithmetic the index's norms were written for
/// (<c>scoring</c>) and is read with no aliases; 1, written before that existed, is read as Lucene 4.8's
/// (<see cref="Bm25Scoring.Lucene"/>), and such an index keeps scoring that way. An engine that knows only format 2
/// refuses a format-3 file rather than dropping its aliases.
/// </remarks>
internal sealed record IndexMetadata(IndexSettings Settings, IndexMapping Mapping)
{
    public const string FileName = "meta.json";
    private const string TempFileName = "meta.json.tmp";
    private const int Format = 3;
    private const int FormatBeforeAliases = 2;
    private const int FormatBeforeScoring = 1;

    /// <summary>The index's aliases by name (empty for none).</summary>
    public IReadOnlyDictionary<string, AliasMetadata> Aliases { get; init; } = new Dictionary<string, AliasMetadata>(StringComparer.Ordinal);

    public string Name => Settings.ProvidedName ?? throw new InvalidOperationException("The settings carry no index name.");

    public string Uuid => Settings.Uuid ?? throw new InvalidOperationException("The settings carry no index uuid.");

    public DateTimeOffset CreationDate => Settings.CreationDate ?? throw new InvalidOperationException("The settings carry no creation date.");

    /// <summary>Reads <c>meta.json</c> of an index folder.</summary>
    /// <exception cref="InvalidDataException">The file is not metadata this engine wrote.</exception>
    public static IndexMetadata Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        try
        {
            var root = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new InvalidDataException("not a JSON object");
            var format = Required(root, "format").GetValue<int>();
            if (format is not (Format or FormatBeforeAliases or FormatBeforeScoring))
            {
                throw new InvalidDataException($"unknown format [{format}]");
            }

            var scoring = Bm25Scoring.Lucene;
            if (format != FormatBeforeScoring)
            {
                var scoringName = Required(root, "scoring").GetValue<string>();
                if (!Bm25Similarities.TryParse(scoringName, out scoring))
                {
                    throw new InvalidDataException($"unknown scoring [{scoringName}]");
                }
            }

            var name = Required(root, "name").GetValue<string>();
            var given = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in Required(root, "settings").AsObject())
            {
                given[key] = value?.GetValue<string>() ?? throw new InvalidDataException($"setting [{key}] is null");
            }

            var parsed = IndexSettingsParser.FromFlat(given);
            var settings = parsed with
            {
                Similarity = parsed.Similarity with { Scoring = scoring },
                ProvidedName = name,
                Uuid = Required(root, "uuid").GetValue<string>(),
                CreationDate = DateTimeOffset.FromUnixTimeMilliseconds(Required(root, "creation_date").GetValue<long>()),
            };
            var mapping = MappingParser.Parse(Required(root, "mappings").AsObject(), name);
            var aliases = new Dictionary<string, AliasMetadata>(StringComparer.Ordinal);
            if (format == Format)
            {
                foreach (var (alias, value) in Required(root, "aliases").AsObject())
                {
                    aliases[alias] = AliasMetadata.FromJson(value?.AsObject() ?? throw new InvalidDataException($"alias [{alias}] is null"));
                }
            }

            return new IndexMetadata(settings, mapping) { Aliases = aliases };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or EngineException)
        {
            throw new InvalidDataException($"The index metadata [{path}] cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Writes <c>meta.json</c> into <paramref name="folder"/> atomically and durably (see the type's remarks).</summary>
    public void Write(string folder)
    {
        var settings = new JsonObject();
        foreach (var (key, value) in Settings.Given.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            settings[key] = value;
        }

        var root = new JsonObject
        {
            ["format"] = Format,
            ["name"] = Name,
            ["uuid"] = Uuid,
            ["creation_date"] = CreationDate.ToUnixTimeMilliseconds(),
            ["scoring"] = Bm25Similarities.Name(Settings.Similarity.Scoring),
            ["settings"] = settings,
            ["mappings"] = MappingParser.ToJson(Mapping),
            ["aliases"] = new JsonObject(Aliases.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value.ToJson()))),
        };
        var bytes = Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var temp = Path.Combine(folder, TempFileName);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, Path.Combine(folder, FileName), overwrite: true);
        DirectorySync.Flush(folder);
    }

    /// <summary>Removes a temporary file a crash during <see cref="Write"/> left behind.</summary>
    public static void DeleteLeftovers(string folder) => File.Delete(Path.Combine(folder, TempFileName));

    private static JsonNode Required(JsonObject root, string key) =>
        root[key] ?? throw new InvalidDataException($"[{key}] is missing");
}
