namespace Rerank.LuceneBaseline.Engine.Store.Aliases;

/// <summary>The actions of <c>POST /_aliases</c>.</summary>
internal enum AliasActionKind
{
    Add,
    Remove,
    RemoveIndex,
}
