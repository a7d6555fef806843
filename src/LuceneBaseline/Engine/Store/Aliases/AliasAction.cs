namespace Rerank.LuceneBaseline.Engine.Store.Aliases;

/// <summary>One action of <c>POST /_aliases</c> (or the single action of <c>PUT</c>/<c>DELETE /{index}/_alias/{name}</c>).</summary>
/// <param name="Kind">add, remove or remove_index.</param>
/// <param name="Indices">Index names or patterns.</param>
/// <param name="Aliases">Alias names (patterns too for remove); empty for remove_index.</param>
/// <param name="Alias">What an add sets.</param>
/// <param name="MustExist">remove: whether a missing alias is an error (default true).</param>
internal sealed record AliasAction(AliasActionKind Kind, IReadOnlyList<string> Indices, IReadOnlyList<string> Aliases, AliasMetadata Alias, bool MustExist = true);
