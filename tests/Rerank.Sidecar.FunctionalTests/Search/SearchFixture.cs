namespace Rerank.Sidecar.FunctionalTests.Search;

/// <summary>
/// One stack shared by <see cref="SearchThroughSidecarTests"/>: <c>books</c> (window 10) written through the sidecar,
/// <c>novectors</c> (same mapping) written straight to the engine, <c>othermodel</c> configured for a model id that
/// is not loaded, and <c>plain</c> with no <c>_meta.rerank</c>.
/// </summary>
public sealed class SearchFixture : IAsyncLifetime
{
    public const int Documents = 30;

    internal SearchStack Stack { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Stack = await SearchStack.StartAsync(new Rerank.Sidecar.Search.SearchOptions { BreakerFailures = 1000 });
        await Stack.CreateAsync(Stack.Sidecar, "books", Stack.Mapping(",\"window\":10"), Documents);
        await Stack.CreateAsync(Stack.Engine, "novectors", Stack.Mapping(",\"window\":10"), Documents);
        await Stack.CreateAsync(Stack.Engine, "othermodel", Stack.Mapping(modelId: "not-a-loaded-model"), 5);
        await Stack.CreateAsync(Stack.Sidecar, "plain", """{"mappings":{"properties":{"title":{"type":"text"},"text":{"type":"text"},"genre":{"type":"keyword"}}}}""", 5);
    }

    public async ValueTask DisposeAsync() => await Stack.DisposeAsync();
}
