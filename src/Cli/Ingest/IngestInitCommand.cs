using System.CommandLine;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.MappingBootstrap;
using Rerank.Model.Bundle;

namespace Rerank.Cli.Ingest;

/// <summary><c>rerank ingest init</c>: writes an index's <c>_meta.rerank</c> and the stored fields' mappings (docs/ingest.md).</summary>
internal static class IngestInitCommand
{
    public static Command Create()
    {
        var cluster = IngestOptions.Cluster();
        var index = IngestOptions.Index();
        var model = new Option<DirectoryInfo>("--model") { Description = "The model bundle whose id and dimensions the index is set up for.", Required = true };
        var fields = new Option<string>("--fields") { Description = "Comma-separated source fields whose values make the passage text, in order (e.g. title,text).", Required = true };
        var separator = new Option<string>("--separator") { Description = "Joins the text fields' values.", DefaultValueFactory = _ => RerankIndexConfig.DefaultSeparator };
        var encoding = new Option<string>("--projection-encoding") { Description = "How the passage projection is stored: float16 or int8 (a binary field), float32 (a dense_vector).", DefaultValueFactory = _ => ProjectionEncodingNames.Float16 };
        encoding.AcceptOnlyFromAmong([.. ProjectionEncodingNames.All]);
        var embedding = new Option<bool>("--embedding") { Description = $"Also store the pooled passage embedding ({RerankStoredFields.DefaultEmbedding}, an indexed cosine dense_vector) for kNN candidates." };

        var command = new Command("init", "Create the index if needed, check its mapping, and install _meta.rerank and the vector fields (dimensions from the bundle). Safe to run again; with another bundle it switches the index's model.")
        {
            cluster, index, model, fields, separator, encoding, embedding,
        };
        command.SetAction((parse, cancellationToken) => IngestErrors.RunAsync(parse, async () =>
        {
            var output = parse.InvocationConfiguration.Output;
            var bundle = ModelBundle.Load(parse.GetRequiredValue(model).FullName);
            var heads = bundle.Manifest.Heads;
            ProjectionEncodingNames.TryParse(parse.GetValue(encoding), out var projectionEncoding);
            var config = new RerankIndexConfig
            {
                ModelId = bundle.ModelId,
                TextFields = [.. parse.GetRequiredValue(fields).Split(',', StringSplitOptions.TrimEntries)],
                Separator = parse.GetValue(separator) ?? RerankIndexConfig.DefaultSeparator,
                ProjectionEncoding = projectionEncoding,
                Fields = new RerankStoredFields { Embedding = parse.GetValue(embedding) ? RerankStoredFields.DefaultEmbedding : null },
            };

            // The reader's checks (field names, overlaps) apply to what init writes, with the same messages.
            var name = parse.GetRequiredValue(index);
            using (var written = System.Text.Json.JsonDocument.Parse(RerankIndexConfigReader.ToJson(config).ToJsonString()))
            {
                try
                {
                    RerankIndexConfigReader.Read(name, written.RootElement);
                }
                catch (RerankConfigException exception)
                {
                    throw new ArgumentException(string.Join("; ", exception.Errors));
                }
            }

            var client = ClusterClient.Create(parse.GetRequiredValue(cluster));
            var result = await IndexInitializer.InitAsync(client, name, config, heads.Dim, heads.IemHidden, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"index [{name}] {(result.Created ? "created and " : "")}set up for model {config.ModelId}: text fields {string.Join(", ", config.TextFields)}; projection {ProjectionEncodingNames.ToName(config.ProjectionEncoding)} ({heads.IemHidden} values) in {config.Fields.Projection}{(config.Fields.Embedding is null ? "" : $"; embedding ({heads.Dim} values) in {config.Fields.Embedding}")}");
            if (result.PreviousModel is { } previous && previous != config.ModelId)
            {
                output.WriteLine($"the index was set up for model {previous}: run `rerank ingest backfill` to re-encode its documents");
            }

            return 0;
        }));
        return command;
    }
}
