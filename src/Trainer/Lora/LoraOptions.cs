using System.Text.RegularExpressions;
using Rerank.Model.Architecture;

namespace Rerank.Trainer.Lora;

/// <summary>
/// LoRA's settings (Hu et al., 2021) as PEFT's <c>LoraConfig</c> names them. Defaults are D2LLM's student: rank 8,
/// alpha 8, dropout 0.05, every linear layer of every block for a decoder (D2LLM.md section 2); for BERT, PEFT's own
/// default targets, <c>query</c> and <c>value</c>.
/// </summary>
internal sealed record LoraOptions
{
    /// <summary>q/k/v/o of the attention and gate/up/down of the MLP: every linear layer of every decoder block.</summary>
    public static readonly IReadOnlyList<string> DefaultTargetModules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>
    /// PEFT's default for BERT (<c>TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING["bert"]</c>): the self-attention's
    /// query and value. <c>key</c> and <c>dense</c> (attention output, intermediate, output) may be named too.
    /// </summary>
    public static readonly IReadOnlyList<string> BertDefaultTargetModules = ["query", "value"];

    /// <summary><c>r</c>: the rank of the update <c>B A</c>.</summary>
    public int Rank { get; init; } = 8;

    /// <summary><c>lora_alpha</c>: the update is scaled by <c>alpha / r</c>.</summary>
    public double Alpha { get; init; } = 8;

    /// <summary><c>lora_dropout</c>: dropout on the adapter's input (training only); 0 means none.</summary>
    public double Dropout { get; init; } = 0.05;

    /// <summary>
    /// <c>target_modules</c> as a list: a module is adapted when its full name equals an entry or ends with
    /// <c>"." + entry</c> (PEFT's rule). Every entry must match at least one module. Ignored when
    /// <see cref="TargetPattern"/> is set. Null (default) means the backbone's default (<see cref="DefaultTargets"/>),
    /// filled in by <see cref="ResolvedFor"/> when an adapter is attached.
    /// </summary>
    public IReadOnlyList<string>? TargetModules { get; init; }

    /// <summary>
    /// <c>target_modules</c> as one string: a regular expression the full module name must match entirely (PEFT's
    /// <c>re.fullmatch</c>), e.g. <c>model\.layers\.(0|1)\.self_attn\.(q|v)_proj</c>. Null (default) uses the list.
    /// </summary>
    public string? TargetPattern { get; init; }

    /// <summary><c>use_rslora</c>: scale by <c>alpha / sqrt(r)</c> instead of <c>alpha / r</c>.</summary>
    public bool UseRsLora { get; init; }

    /// <summary>Seed of the <c>lora_A</c> initialisation (one generator over the adapted modules in forward order).</summary>
    public long Seed { get; init; } = 1;

    /// <summary><c>base_model_name_or_path</c>, recorded in adapter_config.json (provenance only).</summary>
    public string? BaseModel { get; init; }

    /// <summary>The factor on <c>B A x</c>: <c>alpha / r</c>, or <c>alpha / sqrt(r)</c> with rsLoRA.</summary>
    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    /// <summary>The default targets of a backbone family: <see cref="BertDefaultTargetModules"/> for bert, else <see cref="DefaultTargetModules"/>.</summary>
    public static IReadOnlyList<string> DefaultTargets(BackboneArchitecture architecture) =>
        architecture == BackboneArchitecture.Bert ? BertDefaultTargetModules : DefaultTargetModules;

    /// <summary>These options with <see cref="TargetModules"/> filled in for <paramref name="architecture"/> when neither it nor a pattern is set.</summary>
    public LoraOptions ResolvedFor(BackboneArchitecture architecture) =>
        TargetModules is null && TargetPattern is null ? this with { TargetModules = DefaultTargets(architecture) } : this;

    /// <summary>Whether the module named <paramref name="moduleName"/> (<c>model.layers.0.self_attn.q_proj</c>) is a target.</summary>
    /// <exception cref="InvalidOperationException">Neither a list nor a pattern is set (<see cref="ResolvedFor"/> first).</exception>
    public bool IsTarget(string moduleName) => TargetPattern is { } pattern
        ? Regex.IsMatch(moduleName, $"^(?:{pattern})$", RegexOptions.CultureInvariant)
        : (TargetModules ?? throw new InvalidOperationException("The LoRA targets are not resolved for a backbone.")).Any(t => Matches(moduleName, t));

    /// <summary>PEFT's list rule: the name is the target or ends with <c>"." + target</c>.</summary>
    public static bool Matches(string moduleName, string target) =>
        moduleName == target || moduleName.EndsWith("." + target, StringComparison.Ordinal);

    /// <summary>Every problem with the settings, one message each (empty when usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Rank < 1)
        {
            errors.Add($"r must be at least 1 (is {Rank}).");
        }

        if (!(Alpha > 0) || double.IsInfinity(Alpha))
        {
            errors.Add($"lora_alpha must be positive (is {Alpha}).");
        }

        if (!(Dropout >= 0 && Dropout < 1))
        {
            errors.Add($"lora_dropout must be in [0, 1) (is {Dropout}).");
        }

        if (TargetPattern is { } pattern)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"target_modules '{pattern}' is not a valid regular expression: {ex.Message}");
            }
        }
        else if (TargetModules is { } targets && (targets.Count == 0 || targets.Any(string.IsNullOrWhiteSpace)))
        {
            errors.Add("target_modules must name at least one module, and no entry may be empty.");
        }

        return errors;
    }
}
