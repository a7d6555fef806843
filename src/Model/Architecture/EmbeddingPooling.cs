namespace Rerank.Model.Architecture;

/// <summary>How a bi-encoder turns a text's last hidden states into one vector (before L2 normalisation).</summary>
public enum EmbeddingPooling
{
    /// <summary>The mean over real (unmasked) tokens: all-MiniLM-L6-v2.</summary>
    Mean,

    /// <summary>The first token's state ([CLS]): arctic-embed.</summary>
    Cls,
}
