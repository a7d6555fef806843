namespace Rerank.Sidecar.Models;

/// <summary>One bundle directory as health shows it: the model it serves (if any) and the last load error (if any).</summary>
internal sealed record ModelStatus(string Directory, string? ModelId, string? Error);
