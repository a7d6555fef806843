using System.CommandLine;
using System.Globalization;
using Rerank.Model.Bundle;

namespace Rerank.Cli.Model;

/// <summary><c>rerank model inspect</c>: checks a bundle and prints what it holds.</summary>
internal static class ModelInspectCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("bundle") { Description = "The model bundle directory." };
        var json = new Option<bool>("--json") { Description = "Print the checked manifest as JSON instead of a summary." };
        var command = new Command("inspect", "Check a model bundle (manifest, file hashes, model id) and print its architecture, sizes and provenance.") { directory, json };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var bundle = ModelBundle.Load(parse.GetRequiredValue(directory).FullName);
            if (parse.GetValue(json))
            {
                output.Write(System.Text.Encoding.UTF8.GetString(ManifestJson.Serialize(bundle.Manifest)));
                return Task.FromResult(0);
            }

            Write(output, bundle);
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Write(TextWriter output, ModelBundle bundle)
    {
        var m = bundle.Manifest;
        var b = m.Backbone;
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"model id      {m.ModelId} (format {m.FormatVersion}; all file hashes verified)"));
        output.WriteLine(string.Create(inv, $"backbone      {b.Architecture.ToString().ToLowerInvariant()}: {b.NumLayers} layers, hidden {b.HiddenSize}, heads {b.NumHeads}/{b.NumKeyValueHeads} kv, MLP {b.IntermediateSize}, vocabulary {b.VocabSize}, rope theta {b.RopeTheta}"));
        output.WriteLine(string.Create(inv, $"heads         PMA {m.Heads.PmaHeads} heads over d = {m.Heads.Dim}; IEM hidden {m.Heads.IemHidden}{(m.Heads.CosinePooling is { } cosine ? $"; plus a * cosine of {cosine.ToString().ToLowerInvariant()}-pooled states" : "")}; branches {string.Join(", ", m.Branches)}"));
        output.WriteLine(string.Create(inv, $"tokenizer     {m.Tokenizer.Kind} ({string.Join(", ", m.Tokenizer.Files)}){(m.Tokenizer.LowerCase ? ", lower-cased" : "")}"));
        output.WriteLine(string.Create(inv, $"limits        query {m.Query.MaxTokens} tokens / {m.Query.MaxChars} chars; passage {m.Passage.MaxTokens} tokens / {m.Passage.MaxChars} chars"));
        output.WriteLine(string.Create(inv, $"provenance    {m.Provenance.CreatedBy}{(m.Provenance.Seed is { } seed ? $", seed {seed}" : "")}{(m.Provenance.Teacher is { } teacher ? $", teacher {teacher}" : "")}"));
        if (m.Provenance.Notes is { } notes)
        {
            output.WriteLine($"notes         {notes}");
        }

        output.WriteLine("files");
        foreach (var (path, hash) in m.FileHashes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var size = new FileInfo(Path.Combine(bundle.Directory, path)).Length;
            output.WriteLine(string.Create(inv, $"  {path,-32} {size,12:N0} bytes  sha256 {hash[..16]}"));
        }
    }
}
