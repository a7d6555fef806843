namespace Rerank.Trainer.Teacher.Fusion;

/// <summary>A bi-encoder the fusion teacher reads cosines from: L2-normalised vectors, so a dot product is the cosine.</summary>
internal interface ITextEmbedder
{
    /// <summary>The name in feature lists and reports (<c>minilm</c>).</summary>
    string Name { get; }

    /// <summary>One normalised vector per text, input order; queries get the encoder's query prefix.</summary>
    float[][] Encode(IReadOnlyList<string> texts, bool queries, CancellationToken cancellationToken);
}
