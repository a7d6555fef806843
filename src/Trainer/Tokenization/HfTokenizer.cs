using Rerank.Model.Tokenization;

namespace Rerank.Trainer.Tokenization;

/// <summary>A model directory's tokenizer, as <see cref="HfTokenizerLoader"/> loaded it.</summary>
/// <param name="Descriptor">What a bundle's manifest would record.</param>
/// <param name="Directory">Where <see cref="TokenizerDescriptor.Files"/> are: the model directory, or the staging directory for converted files.</param>
/// <param name="Tokenizer">src/Model's tokenizer, the one serving runs.</param>
/// <param name="PadId">The id to pad batches with: <c>config.json</c>'s <c>pad_token_id</c>, else the tokenizer's <see cref="TextTokenizer.PadId"/>.</param>
internal sealed record HfTokenizer(TokenizerDescriptor Descriptor, string Directory, TextTokenizer Tokenizer, int PadId);
