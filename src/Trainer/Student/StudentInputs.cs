using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Checkpoints;
using Rerank.Model.Heads;
using Rerank.Model.Pretrained;
using Rerank.Model.Weights;
using Rerank.Trainer.Backbones;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Lora;
using Rerank.Trainer.Tokenization;

namespace Rerank.Trainer.Student;

/// <summary>
/// A <see cref="StudentSource"/> opened and checked: the checkpoint, its tokenizer, the heads' config and weights, the
/// text limits and the provenance a bundle records. Export and scoring both start here, so they read the same values.
/// The owner disposes (it closes the checkpoint and deletes the tokenizer's staging directory).
/// </summary>
/// <remarks>
/// <see cref="Open"/>:
/// 1. opens the checkpoint (<see cref="HfCheckpoint.Open"/>: config and every tensor's presence and shape) and loads its
///    tokenizer (<see cref="HfTokenizerLoader"/>: the serving tokenizer, files staged where converted);
/// 2. heads: read from the student directory (its <c>dim</c> must be the backbone's hidden size), or created with
///    <see cref="StudentHeadWeights.CreateRandom"/> from the seed, with PMA heads = the backbone's attention heads and
///    IEM width 512 unless given; with the cosine term (<see cref="StudentSource.CosineTerm"/>; auto = the pooling of a
///    BERT checkpoint's sentence-transformers files, none without them) the IEM's output layer <c>iem.head</c> starts
///    at zero and <c>iem.cosine_scale</c> at 20, so the fresh student's logits are 20 * cosine: the encoder's ranking;
/// 3. text limits: the student's, else for a BERT checkpoint with sentence-transformers files their token limit and
///    query/passage prefixes, else 250 tokens (D2LLM's student; fewer when <c>max_position_embeddings</c> is smaller);
///    1,000 / 4,000 characters for queries / passages, as <c>rerank model init</c>;
/// 4. provenance: each input directory with a SHA-256 over its files.
/// The LoRA adapter is checked when the backbone is loaded (<see cref="BackboneWeights"/>, <see cref="CreateTorchStudent"/>).
/// </remarks>
internal sealed class StudentInputs : IDisposable
{
    private const int DefaultMaxTokens = 250;
    private readonly string _staging;
    private readonly TrainingProvenance? _training;

    private StudentInputs(StudentSource source, HfCheckpoint checkpoint, HfTokenizer tokenizer, string staging, StudentHeadsConfig heads, WeightSet headWeights, TextLimits query, TextLimits passage, TrainingProvenance? training)
    {
        _training = training;
        Source = source;
        Checkpoint = checkpoint;
        Tokenizer = tokenizer;
        _staging = staging;
        Heads = heads;
        HeadWeights = headWeights;
        Query = query;
        Passage = passage;
    }

    public StudentSource Source { get; }

    public HfCheckpoint Checkpoint { get; }

    public BackboneConfig Backbone => Checkpoint.Config.Decoder;

    public HfTokenizer Tokenizer { get; }

    public StudentHeadsConfig Heads { get; }

    public WeightSet HeadWeights { get; }

    public TextLimits Query { get; }

    public TextLimits Passage { get; }

    /// <summary>Opens and checks <paramref name="source"/> (see the remarks).</summary>
    /// <exception cref="CheckpointException">The checkpoint or its tokenizer cannot be loaded; every problem is listed.</exception>
    /// <exception cref="InvalidDataException">The student directory is invalid or does not fit the backbone; the message names the file and field or tensor.</exception>
    /// <exception cref="ArgumentException">The random heads' sizes are invalid, or given with a student directory; the message names the values.</exception>
    public static StudentInputs Open(StudentSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Student is not null && source.CosineTerm is { } term)
        {
            throw new ArgumentException($"--cosine-pooling {term.ToString().ToLowerInvariant()} sets the cosine term of random heads, but the student directory {source.Student} was given: its {StudentDirectory.Config} says whether the term is on (cosine_pooling).", nameof(source));
        }

        if (source.Student is not null && (source.PmaHeads is not null || source.IemHidden is not null))
        {
            throw new ArgumentException($"PMA heads {source.PmaHeads?.ToString(CultureInfo.InvariantCulture) ?? "(default)"} and IEM width {source.IemHidden?.ToString(CultureInfo.InvariantCulture) ?? "(default)"} size random heads, but the student directory {source.Student} was given: its {StudentDirectory.Config} sets the sizes.", nameof(source));
        }

        // Step 1.
        var checkpoint = HfCheckpoint.Open(source.Checkpoint);
        var staging = Path.Combine(Path.GetTempPath(), "rerank-export-tokenizer-" + Guid.NewGuid().ToString("N"));
        try
        {
            var tokenizer = HfTokenizerLoader.Load(checkpoint.Directory, checkpoint.Config, staging);
            var backbone = checkpoint.Config.Decoder;
            var sentenceTransformer = ReadSentenceTransformerSettings(checkpoint.Directory, backbone);

            // Step 2.
            StudentHeadsConfig heads;
            WeightSet weights;
            TextLimits? query = null, passage = null;
            if (source.Student is { } studentDirectory)
            {
                var student = StudentDirectory.Read(studentDirectory);
                var configPath = Path.Combine(student.Directory, StudentDirectory.Config);
                var problems = new List<string>();
                if (student.Config.Dim != backbone.HiddenSize)
                {
                    problems.Add($"{configPath}: dim is {student.Config.Dim} but the checkpoint's hidden_size is {backbone.HiddenSize}");
                }

                foreach (var (name, limits) in new[] { ("query", student.Query), ("passage", student.Passage) })
                {
                    if (limits?.MaxTokens > backbone.MaxPositionEmbeddings)
                    {
                        problems.Add($"{configPath}: {name}.max_tokens {limits.MaxTokens} exceeds the checkpoint's max_position_embeddings {backbone.MaxPositionEmbeddings}");
                    }
                }

                if (problems.Count > 0)
                {
                    throw new InvalidDataException("student heads cannot be loaded: " + string.Join("; ", problems));
                }

                (heads, weights, query, passage) = (student.Config, student.Weights, student.Query, student.Passage);
            }
            else
            {
                var cosinePooling = source.CosineTerm switch
                {
                    CosineTermChoice.Mean => EmbeddingPooling.Mean,
                    CosineTermChoice.Cls => EmbeddingPooling.Cls,
                    CosineTermChoice.Auto => sentenceTransformer?.Pooling,
                    _ => (EmbeddingPooling?)null,
                };
                heads = new StudentHeadsConfig { Dim = backbone.HiddenSize, PmaHeads = source.PmaHeads ?? backbone.NumHeads, IemHidden = source.IemHidden ?? 512, CosinePooling = cosinePooling };
                var errors = heads.Validate();
                if (errors.Count > 0)
                {
                    throw new ArgumentException("Invalid student heads: " + string.Join(" ", errors), nameof(source));
                }

                weights = StudentHeadWeights.CreateRandom(heads, source.Seed);
                if (cosinePooling is not null)
                {
                    weights = StartFromCosine(weights);
                }
            }

            // Step 3.
            var maxTokens = sentenceTransformer?.MaxTokens ?? Math.Min(DefaultMaxTokens, backbone.MaxPositionEmbeddings);
            query ??= new TextLimits { MaxTokens = maxTokens, MaxChars = 1000, Prefix = sentenceTransformer?.QueryPrefix };
            passage ??= new TextLimits { MaxTokens = maxTokens, MaxChars = 4000, Prefix = sentenceTransformer?.PassagePrefix };
            var training = source.Student is { } trained ? TrainingProvenance.Read(trained) : null;
            if (training is { IsServable: false })
            {
                throw new InvalidDataException($"{Path.Combine(Path.GetFullPath(source.Student!), TrainingProvenance.FileName)}: these heads were trained as an ablation (pooling {training.Pooling}, interaction {training.Interaction}); a bundle and the student encode with PMA and score with the IEM, so only the held-out metrics of training measure an ablation");
            }

            return new StudentInputs(source, checkpoint, tokenizer, staging, heads, weights, query, passage, training);
        }
        catch
        {
            checkpoint.Dispose();
            DeleteStaging(staging);
            throw;
        }
    }

    /// <summary>
    /// The backbone's weights as float32 under their checkpoint keys, LoRA merged when the source has an adapter: what the
    /// encoder graph is built from. F16 and BF16 checkpoint values widen to float32 exactly; the merge
    /// <c>W + (alpha / r) B A</c> is computed in float32 (<see cref="LoraAdapter.MergedWeights"/>), so a half-precision base
    /// is not rounded again after merging.
    /// </summary>
    /// <exception cref="CheckpointException">The LoRA adapter cannot be loaded (missing files, wrong shapes, ...); every problem is listed.</exception>
    public WeightSet BackboneWeights()
    {
        if (Source.Lora is null)
        {
            return Checkpoint.ReadWeightSet();
        }

        using var model = LoadBackbone(out var adapter);
        return adapter!.MergedWeights();
    }

    /// <summary>The student in TorchSharp: the float32 backbone (LoRA attached, not merged) and the heads, with this source's tokenizer and limits.</summary>
    /// <exception cref="CheckpointException">The LoRA adapter cannot be loaded; every problem is listed.</exception>
    public TorchStudent CreateTorchStudent()
    {
        var backbone = LoadBackbone(out _);
        try
        {
            var heads = StudentHeads.Create(Heads, HeadWeights);
            return new TorchStudent(backbone, heads, Tokenizer.Tokenizer, Query, Passage);
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What a bundle records about where it came from: every input directory with a hash of its files, the seed of random
    /// heads, and for trained heads the teacher, data, losses and held-out metrics of their <see cref="TrainingProvenance"/>.
    /// </summary>
    public ModelProvenance Provenance(string createdBy)
    {
        var backbone = Described(Checkpoint.Directory, CheckpointFileNames());
        if (Source.Lora is { } lora)
        {
            backbone += " + LoRA " + Described(Path.GetFullPath(lora), [LoraFiles.Config, LoraFiles.Weights]) + ", merged";
        }

        return Source.Student is { } student
            ? new ModelProvenance
            {
                CreatedBy = createdBy,
                Backbone = backbone,
                Teacher = _training?.Teacher,
                TrainingData = _training?.TrainingData,
                Losses = _training?.Losses,
                Metrics = _training?.Metrics,
                Notes = "PMA and IEM from " + Described(Path.GetFullPath(student), [StudentDirectory.Config, StudentDirectory.Weights]) + "."
                    + StudentDirectory.CosineTermNote(Heads)
                    + (_training?.Notes is { } notes ? " " + notes : ""),
            }
            : new ModelProvenance
            {
                CreatedBy = createdBy,
                Backbone = backbone,
                Seed = Source.Seed,
                Notes = "PMA and IEM: seeded random initialisation (untrained heads; the scores carry no relevance signal)." + StudentDirectory.CosineTermNote(Heads),
            };
    }

    /// <summary>A short description of the inputs for the <c>model</c> field of <c>rerank-train score --json</c>.</summary>
    public string Describe()
    {
        var text = new StringBuilder("checkpoint ").Append(Checkpoint.Directory);
        if (Source.Lora is { } lora)
        {
            text.Append(", lora ").Append(Path.GetFullPath(lora));
        }

        text.Append(Source.Student is { } student ? ", student " + Path.GetFullPath(student) : ", random heads seed " + Source.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return text.ToString();
    }

    public void Dispose()
    {
        Checkpoint.Dispose();
        DeleteStaging(_staging);
    }

    private BackboneModel LoadBackbone(out LoraAdapter? adapter)
    {
        var model = BackboneModel.Create(Backbone);
        try
        {
            model.LoadWeights(Checkpoint);
            adapter = Source.Lora is { } lora ? LoraAdapter.Load(model, lora) : null;
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private IEnumerable<string> CheckpointFileNames()
    {
        yield return CheckpointFiles.Config;
        if (File.Exists(Path.Combine(Checkpoint.Directory, CheckpointFiles.Index)))
        {
            yield return CheckpointFiles.Index;
        }

        foreach (var file in Checkpoint.Files)
        {
            yield return Path.GetFileName(file.Path);
        }
    }

    /// <summary><c>dir (sha256 hex)</c>: SHA-256 over the lines <c>sha256(file) + "  " + name + "\n"</c> of the files in ordinal name order (sha256sum's format).</summary>
    private static string Described(string directory, IEnumerable<string> files)
    {
        var lines = new StringBuilder();
        foreach (var file in files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            lines.Append(ModelBundle.HashFile(Path.Combine(directory, file))).Append("  ").Append(file).Append('\n');
        }

        return $"{directory} (sha256 {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())))})";
    }

    /// <summary>
    /// The settings of a BERT checkpoint's sentence-transformers files (token limit capped at 512 as BERT's, as the cosine
    /// baseline reads them), or null for a decoder or a checkpoint without any of those files.
    /// </summary>
    /// <exception cref="InvalidDataException">A sentence-transformers file is malformed or unsupported; the message names it.</exception>
    internal static SentenceTransformerSettings? ReadSentenceTransformerSettings(string directory, BackboneConfig backbone)
    {
        var files = new[]
        {
            SentenceTransformerSettings.ModulesFile,
            Path.Combine(SentenceTransformerSettings.PoolingDirectory, CheckpointFiles.Config),
            SentenceTransformerSettings.SentenceBertConfigFile,
            SentenceTransformerSettings.SentenceTransformersConfigFile,
        };
        return backbone.IsEncoder && files.Any(f => File.Exists(Path.Combine(directory, f)))
            ? SentenceTransformerSettings.Read(directory, Math.Min(512, backbone.MaxPositionEmbeddings))
            : null;
    }

    /// <summary>Random heads with the IEM's output layer zero and the cosine scale 20: the first logits are 20 * cosine.</summary>
    private static WeightSet StartFromCosine(WeightSet random) =>
        new(random.Tensors.Select(t => t.Name switch
        {
            StudentHeadNames.CosineScale => new WeightTensor(t.Name, t.Shape, [StudentHeadNames.CosineScaleStart]),
            _ when t.Name.StartsWith(StudentHeadNames.IemHead + ".", StringComparison.Ordinal) => new WeightTensor(t.Name, t.Shape, new float[t.Values.Length]),
            _ => t,
        }));

    private static void DeleteStaging(string staging)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
