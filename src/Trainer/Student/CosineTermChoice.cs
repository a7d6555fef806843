namespace Rerank.Trainer.Student;

/// <summary>
/// <c>--cosine-pooling</c>: whether random starting heads get the cosine term (<c>StudentHeadsConfig.CosinePooling</c>,
/// docs/training.md) and which pooling its normalised embedding uses.
/// </summary>
internal enum CosineTermChoice
{
    /// <summary>The paper's IEM alone.</summary>
    None = 0,

    /// <summary>The mean of the real tokens' states (sentence-transformers' mean pooling).</summary>
    Mean = 1,

    /// <summary>The first token's state ([CLS]).</summary>
    Cls = 2,

    /// <summary>The checkpoint's sentence-transformers pooling when it is a BERT checkpoint with those files, else none.</summary>
    Auto = 3,
}
