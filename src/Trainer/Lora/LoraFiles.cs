namespace Rerank.Trainer.Lora;

/// <summary>File names and key layout of a PEFT adapter directory.</summary>
internal static class LoraFiles
{
    public const string Config = "adapter_config.json";

    public const string Weights = "adapter_model.safetensors";

    /// <summary>
    /// PEFT's prefix for a <c>PeftModel</c> around a <c>*ForCausalLM</c>: <c>base_model</c> is the <c>LoraModel</c>,
    /// <c>.model</c> the wrapped transformer, whose own names (<c>model.layers.0...</c>) follow.
    /// </summary>
    public const string KeyPrefix = "base_model.model.";

    /// <summary><c>base_model.model.{module}.lora_A.weight</c>.</summary>
    public static string LoraAKey(string module) => KeyPrefix + module + ".lora_A.weight";

    /// <summary><c>base_model.model.{module}.lora_B.weight</c>.</summary>
    public static string LoraBKey(string module) => KeyPrefix + module + ".lora_B.weight";
}
