using Rerank.Model.Onnx;

namespace Rerank.Model.Bundle;

/// <summary>Writes a model bundle directory. The same contents always give byte-identical files and the same model id.</summary>
internal static class ModelBundleWriter
{
    /// <summary>
    /// Writes <paramref name="contents"/> to <paramref name="directory"/> (created if needed; bundle files already there
    /// are replaced) and returns the manifest written.
    /// </summary>
    /// <remarks>
    /// 1. Any old manifest is deleted first, so an interrupted write never leaves a bundle that looks valid.
    /// 2. The graphs are saved (the encoder with external data when large), the tokenizer files copied.
    /// 3. Every file is hashed; the manifest gets the hashes and the model id, and is written last.
    /// </remarks>
    public static ModelManifest Write(string directory, BundleContents contents)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(contents);
        var files = new BundleFiles();
        var tokenizerDirectory = "tokenizer";

        // Step 1.
        Directory.CreateDirectory(directory);
        var manifestPath = Path.Combine(directory, ModelManifest.FileName);
        File.Delete(manifestPath);

        // Step 2.
        var written = new List<string>();
        var encoderData = OnnxModelFile.Save(contents.Encoder.Clone(), Path.Combine(directory, files.Encoder), contents.EncoderExternalData);
        written.Add(files.Encoder);
        var staleData = Path.Combine(directory, files.Encoder + ".data");
        if (encoderData is not null)
        {
            written.Add(Path.GetFileName(encoderData));
        }
        else
        {
            File.Delete(staleData);
        }

        OnnxModelFile.Save(contents.PassageProjection.Clone(), Path.Combine(directory, files.PassageProjection), externalData: false);
        written.Add(files.PassageProjection);
        OnnxModelFile.Save(contents.Scorer.Clone(), Path.Combine(directory, files.Scorer), externalData: false);
        written.Add(files.Scorer);

        Directory.CreateDirectory(Path.Combine(directory, tokenizerDirectory));
        foreach (var file in contents.Tokenizer.Files)
        {
            var source = Path.Combine(contents.TokenizerSourceDirectory, file);
            if (!File.Exists(source))
            {
                throw new FileNotFoundException($"Tokenizer file {source} does not exist.", source);
            }

            File.Copy(source, Path.Combine(directory, tokenizerDirectory, file), overwrite: true);
            written.Add($"{tokenizerDirectory}/{file}");
        }

        // Step 3.
        var hashes = written.ToDictionary(
            path => path,
            path => ModelBundle.HashFile(Path.Combine(directory, path.Replace('/', Path.DirectorySeparatorChar))),
            StringComparer.Ordinal);
        var manifest = new ModelManifest
        {
            FormatVersion = 0, // set below: the lowest version that holds what the bundle uses
            Backbone = contents.Backbone,
            Heads = contents.Heads,
            Tokenizer = contents.Tokenizer,
            TokenizerDirectory = tokenizerDirectory,
            Query = contents.Query,
            Passage = contents.Passage,
            Files = files,
            FileHashes = hashes,
            Provenance = contents.Provenance,
        };
        manifest = manifest with { FormatVersion = ModelManifest.RequiredFormatVersion(manifest).Version };
        manifest = manifest with { ModelId = ModelBundle.ComputeModelId(manifest) };
        var temporary = manifestPath + ".tmp";
        File.WriteAllBytes(temporary, ManifestJson.Serialize(manifest));
        File.Move(temporary, manifestPath, overwrite: true);
        return manifest;
    }
}
