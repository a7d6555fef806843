using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.QueryDsl;
using Elastic.Transport;
using Elastic.Transport.Products.Elasticsearch;

namespace Rerank.LuceneBaseline.Engine.FunctionalTests;

/// <summary>
/// A realistic session of the official typed .NET client (Elastic.Clients.Elasticsearch 9.5.3) against the embedded
/// engine over HTTP: index creation with mappings and <c>_meta</c>, <c>BulkAll</c> of SciFact, count, optimistic
/// concurrency, the common searches, kNN and hybrid, point in time with <c>search_after</c>, and typed errors.
/// Expected values come from the corpus file (read by <see cref="SciFactSession"/>), never from the engine.
/// </summary>
public sealed partial class OfficialClientSessionTests(SciFactSession session) : IClassFixture<SciFactSession>
{
    private const string Index = SciFactSession.Index;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ElasticsearchClient Client => session.Client;

    [Fact]
    public async Task Info_ParsesWithTheClient()
    {
        session.RequireCorpus();
        var info = await Client.InfoAsync(Ct);

        Assert.True(info.IsValidResponse, info.DebugInformation);
        Assert.Equal("8.17.0", info.Version.Number);
        Assert.Equal(new DateTimeOffset(2024, 12, 12, 0, 0, 0, TimeSpan.Zero), info.Version.BuildDate);
        Assert.DoesNotContain(Environment.MachineName, info.Name, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BulkAll_IndexedTheWholeCorpus_CountEqualsItsLines()
    {
        session.RequireCorpus();
        var count = await Client.CountAsync<Paper>(c => c.Indices(Index), Ct);

        Assert.True(count.IsValidResponse, count.DebugInformation);
        Assert.Equal(session.CorpusLines, count.Count);
        // 1000 documents a page.
        Assert.Equal((session.CorpusLines + 999) / 1000, session.BulkAllPages);
    }

    [Fact]
    public async Task Mapping_KeepsTheMeta()
    {
        session.RequireCorpus();
        var mapping = await Client.Indices.GetMappingAsync(new Elastic.Clients.Elasticsearch.IndexManagement.GetMappingRequest(Index), Ct);

        Assert.True(mapping.IsValidResponse, mapping.DebugInformation);
        var meta = mapping.Mappings[Index].Mappings.Meta!;
        Assert.Equal("scifact", meta["corpus"]?.ToString());
        Assert.Equal("beir", meta["layout"]?.ToString());
    }

    [Fact]
    public async Task IndexManagement_PingHealthExistsRefreshMgetAndDelete()
    {
        session.RequireCorpus();
        const string scratch = "scratch";
        var ping = await Client.PingAsync(Ct);
        var created = await Client.Indices.CreateAsync(scratch, Ct);
        var exists = await Client.Indices.ExistsAsync(scratch, Ct);
        var put = await Client.Indices.PutMappingAsync<Paper>(scratch, m => m.Properties(p => p.Keyword(d => d.Group)), Ct);
        await Client.IndexAsync(session.Corpus[2] with { DocId = "s1" }, i => i.Index(scratch), Ct);
        await Client.IndexAsync(session.Corpus[3] with { DocId = "s2" }, i => i.Index(scratch), Ct);
        var refresh = await Client.Indices.RefreshAsync(scratch, Ct);
        var health = await Client.Cluster.HealthAsync(scratch, Ct);
        var docExists = await Client.ExistsAsync(scratch, "s1", Ct);
        var mget = await Client.MultiGetAsync<Paper>(m => m.Index(scratch).Ids(new Ids(["s1", "s2", "nope"])), Ct);
        var deleted = await Client.Indices.DeleteAsync(scratch, Ct);
        var gone = await Client.Indices.ExistsAsync(scratch, Ct);

        Assert.True(ping.IsValidResponse, ping.DebugInformation);
        Assert.True(created.Acknowledged, created.DebugInformation);
        Assert.True(exists.Exists);
        Assert.True(put.Acknowledged, put.DebugInformation);
        Assert.True(refresh.IsValidResponse, refresh.DebugInformation);
        Assert.True(health.IsValidResponse, health.DebugInformation);
        // Created with Elasticsearch's default of one replica, which a single node cannot place: yellow.
        Assert.Equal(Elastic.Clients.Elasticsearch.HealthStatus.Yellow, health.Status);
        Assert.True(docExists.Exists);
        Assert.True(mget.IsValidResponse, mget.DebugInformation);
        Assert.Equal(
            [true, true, false],
            mget.Docs!.Select(d => d!.Match(found => found!.Found, failure => false)));
        Assert.Equal(session.Corpus[2].Title, mget.Docs!.First()!.Match(found => found!.Source!.Title, _ => null));
        Assert.True(deleted.Acknowledged, deleted.DebugInformation);
        Assert.False(gone.Exists);
    }

    [Fact]
    public async Task Get_ReturnsTheCorpusDocument()
    {
        session.RequireCorpus();
        var expected = session.Corpus[0];

        var got = await Client.GetAsync<Paper>(Index, expected.DocId!, Ct);

        Assert.True(got.Found);
        Assert.Equal(expected.Title, got.Source!.Title);
        Assert.Equal(expected.Text, got.Source.Text);
        Assert.Equal(expected.Vector, got.Source.Vector);
    }

    [Fact]
    public async Task UpdateAndDelete_WithSeqNoAndPrimaryTerm_AStalePairIsA409()
    {
        session.RequireCorpus();
        const string writes = "writes";
        var paper = session.Corpus[1] with { DocId = "w1" };
        var indexed = await Client.IndexAsync(paper, i => i.Index(writes).Refresh(Refresh.True), Ct);
        Assert.True(indexed.IsValidResponse, indexed.DebugInformation);
        var got = await Client.GetAsync<Paper>(writes, "w1", Ct);
        Assert.Equal((indexed.SeqNo, indexed.PrimaryTerm), (got.SeqNo, got.PrimaryTerm));

        var updated = await Client.UpdateAsync<Paper, object>(writes, "w1", u => u
            .Doc(new { title = "renamed" }).IfSeqNo(got.SeqNo!.Value).IfPrimaryTerm(got.PrimaryTerm!.Value), Ct);
        var stale = await Client.UpdateAsync<Paper, object>(writes, "w1", u => u
            .Doc(new { title = "lost" }).IfSeqNo(got.SeqNo!.Value).IfPrimaryTerm(got.PrimaryTerm!.Value), Ct);
        var staleDelete = await Client.DeleteAsync(new DeleteRequest(writes, "w1") { IfSeqNo = got.SeqNo, IfPrimaryTerm = got.PrimaryTerm }, Ct);
        var current = await Client.GetAsync<Paper>(writes, "w1", Ct);
        var deleted = await Client.DeleteAsync(new DeleteRequest(writes, "w1") { IfSeqNo = current.SeqNo, IfPrimaryTerm = current.PrimaryTerm }, Ct);
        var gone = await Client.GetAsync<Paper>(writes, "w1", Ct);

        Assert.True(updated.IsValidResponse, updated.DebugInformation);
        Assert.Equal(Result.Updated, updated.Result);
        foreach (var conflict in new ElasticsearchResponse[] { stale, staleDelete })
        {
            Assert.False(conflict.IsValidResponse);
            Assert.Equal(409, conflict.ApiCallDetails.HttpStatusCode);
            Assert.Equal("version_conflict_engine_exception", conflict.ElasticsearchServerError!.Error!.Type);
        }

        Assert.Equal("renamed", current.Source!.Title);
        Assert.Equal(Result.Deleted, deleted.Result);
        Assert.False(gone.Found);
    }

    [Fact]
    public async Task Match_CountsTheTitlesHoldingTheWord()
    {
        session.RequireCorpus();
        var response = await Client.SearchAsync<Paper>(s => s
            .Indices(Index).Size(3).TrackTotalHits(new TrackHits(true))
            .Query(q => q.Match(m => m.Field(f => f.Title).Query("mice"))), Ct);

        Assert.True(response.IsValidResponse, response.DebugInformation);
        Assert.Equal(session.Corpus.Count(p => HasWord(p.Title, "mice")), response.Total);
        Assert.All(response.Hits, h => Assert.True(HasWord(h.Source!.Title, "mice")));
    }

    [Fact]
    public async Task MultiMatch_CountsTitlesOrTexts()
    {
        session.RequireCorpus();
        var response = await Client.SearchAsync<Paper>(s => s
            .Indices(Index).Size(0).TrackTotalHits(new TrackHits(true))
            .Query(q => q.MultiMatch(m => m.Fields(Fields.FromStrings(["title", "text"])).Query("mice"))), Ct);

        Assert.Equal(session.Corpus.Count(p => HasWord(p.Title, "mice") || HasWord(p.Text, "mice")), response.Total);
    }

    [Fact]
    public async Task Bool_MustFilterMustNot_CountsTheIntersection()
    {
        session.RequireCorpus();
        var response = await Client.SearchAsync<Paper>(s => s
            .Indices(Index).Size(0).TrackTotalHits(new TrackHits(true))
            .Query(q => q.Bool(b => b
                .Must(m => m.Match(x => x.Field(f => f.Text).Query("mice")))
                .Filter(f => f.Term(t => t.Field(p => p.Group).Value("g2")))
                .MustNot(n => n.Range(r => r.Number(x => x.Field(p => p.Words).Lt(200)))))), Ct);

        Assert.Equal(session.Corpus.Count(p => HasWord(p.Text, "mice") && p.Group == "g2" && p.Words >= 200), response.Total);
    }

    [Fact]
    public async Task TermAndRange_CountKeywordAndNumbers()
    {
        session.RequireCorpus();
        var term = await Client.CountAsync<Paper>(c => c.Indices(Index).Query(q => q.Term(t => t.Field(p => p.Group).Value("g3"))), Ct);
        var range = await Client.CountAsync<Paper>(c => c.Indices(Index).Query(q => q.Range(r => r.Number(x => x.Field(p => p.Words).Gte(100).Lt(150)))), Ct);

        Assert.Equal(session.Corpus.Count(p => p.Group == "g3"), term.Count);
        Assert.Equal(session.Corpus.Count(p => p.Words is >= 100 and < 150), range.Count);
    }

    [Fact]
    public async Task Ids_SourceFilteringAndFields()
    {
        session.RequireCorpus();
        var wanted = session.Corpus.Take(3).Select(p => p.DocId!).ToArray();

        var response = await Client.SearchAsync<Paper>(s => s
            .Indices(Index)
            .Query(q => q.Ids(i => i.Values(new Ids(wanted))))
            .Source(new SourceConfig(new SourceFilter { Includes = Fields.FromString("title") }))
            .Fields(new FieldAndFormat { Field = "group" }), Ct);

        Assert.True(response.IsValidResponse, response.DebugInformation);
        Assert.Equal(wanted.Order(), response.Hits.Select(h => h.Id).Order());
        foreach (var hit in response.Hits)
        {
            var paper = session.Corpus.First(p => p.DocId == hit.Id);
            Assert.Equal(paper.Title, hit.Source!.Title);
            Assert.Null(hit.Source.Text);
            Assert.Equal(paper.Group, hit.Fields!["group"].ToString()!.Trim('[', ']', '"', ' ', '\n', '\r'));
        }
    }

    [Fact]
    public async Task Sort_ByWordsThenId_FollowsTheCorpus()
    {
        session.RequireCorpus();
        var response = await Client.SearchAsync<Paper>(s => s
            .Indices(Index).Size(5)
            .Sort(so => so.Field(f => f.Words, d => d.Order(SortOrder.Desc)), so => so.Field(f => f.DocId, d => d.Order(SortOrder.Asc))), Ct);

        var expected = session.Corpus.OrderByDescending(p => p.Words).ThenBy(p => p.DocId, StringComparer.Ordinal).Take(5).Select(p => p.DocId);
        Assert.Equal(expected, response.Hits.Select(h => h.Id));
    }

    [Fact]
    public async Task Aggregations_TermsAndStats_MatchTheCorpus()
    {
        session.RequireCorpus();
        var response = await Client.SearchAsync<Paper>(s => s
            .Indices(Index).Size(0)
            .Aggregations(a => a
                .Add("groups", g => g.Terms(t => t.Field(p => p.Group).Size(10)))
                .Add("longest", g => g.Max(m => m.Field(p => p.Words)))
                .Add("mean", g => g.Avg(m => m.Field(p => p.Words)))), Ct);

        Assert.True(response.IsValidResponse, response.DebugInformation);
        var buckets = response.Aggregations!.GetStringTerms("groups")!.Buckets.ToDictionary(b => b.Key.ToString()!, b => b.DocCount);
        var expected = session.Corpus.GroupBy(p => p.Group!).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expected.OrderBy(e => e.Key), buckets.OrderBy(e => e.Key));
        Assert.Equal(session.Corpus.Max(p => p.Words), response.Aggregations.GetMax("longest")!.Value);
        Assert.Equal(session.Corpus.Average(p => p.Words), response.Aggregations.GetAverage("mean")!.Value!.Value, 6);
    }

    [Fact]
    public async Task Explain_GivesEachHitItsScore()
    {
        session.RequireCorpus();
        var response = await Client.SearchAsync<Paper>(s => s
            .Indices(Index).Size(2).Explain(true)
            .Query(q => q.Match(m => m.Field(f => f.Title).Query("mice"))), Ct);

        Assert.All(response.Hits, h => Assert.Equal(h.Score!.Value, h.Explanation!.Value, 4));
    }

    [Fact]
    public async Task Knn_FindsTheNearestVectors()
    {
        session.RequireCorpus();
        var target = session.Corpus[42];

        var response = await Client.SearchAsync<Paper>(s => s
            .Indices(Index).Size(10)
            .Knn(k => k.Field(f => f.Vector).QueryVector(target.Vector!).K(10).NumCandidates(100)), Ct);

        Assert.True(response.IsValidResponse, response.DebugInformation);
        Assert.Equal(target.DocId, response.Hits.First().Id);
        // Elasticsearch's cosine score (1 + cos) / 2 is 1 for the vector itself.
        Assert.Equal(1.0, response.Hits.First().Score!.Value, 4);
        var best = session.Corpus.Select(p => (p.DocId, Cos: Cosine(p.Vector, target.Vector))).OrderByDescending(p => p.Cos).ToList();
        var tenth = best[9].Cos;
        Assert.All(response.Hits, h => Assert.True(Cosine(session.Corpus.First(p => p.DocId == h.Id).Vector, target.Vector) >= tenth - 1e-6));
    }

    [Fact]
    public async Task Hybrid_MatchPlusKnn_UnitesBothSets()
    {
        session.RequireCorpus();
        var target = session.Corpus[7];
        var knnIds = session.Corpus.OrderByDescending(p => Cosine(p.Vector, target.Vector)).Take(5).Select(p => p.DocId).ToHashSet();
        var matchIds = session.Corpus.Where(p => HasWord(p.Title, "mice")).Select(p => p.DocId).ToHashSet();

        var response = await Client.SearchAsync<Paper>(s => s
            .Indices(Index).Size(0).TrackTotalHits(new TrackHits(true))
            .Query(q => q.Match(m => m.Field(f => f.Title).Query("mice")))
            .Knn(k => k.Field(f => f.Vector).QueryVector(target.Vector!).K(5).NumCandidates(50)), Ct);

        Assert.Equal(knnIds.Union(matchIds).Count(), response.Total);
    }

    [Fact]
    public async Task PointInTime_SearchAfter_SeesEveryDocumentOnce_AndIgnoresLaterWrites()
    {
        session.RequireCorpus();
        var pit = await Client.OpenPointInTimeAsync(Index, p => p.KeepAlive("2m"), Ct);
        Assert.True(pit.IsValidResponse, pit.DebugInformation);
        // A write after opening: the point in time must not see it.
        await Client.IndexAsync(session.Corpus[0] with { DocId = "late" }, i => i.Index(Index).Refresh(Refresh.True), Ct);
        var seen = new List<string>();
        ICollection<FieldValue>? after = null;
        try
        {
            while (true)
            {
                var page = await Client.SearchAsync<Paper>(s =>
                {
                    s.Size(1000).Pit(p => p.Id(pit.Id).KeepAlive("2m"))
                        .Source(new SourceConfig(false))
                        .Sort(so => so.Field(f => f.Words, d => d.Order(SortOrder.Asc)));
                    if (after is not null)
                    {
                        s.SearchAfter(after);
                    }
                }, Ct);
                Assert.True(page.IsValidResponse, page.DebugInformation);
                Assert.Equal(pit.Id, page.PitId);
                if (page.Hits.Count == 0)
                {
                    break;
                }

                seen.AddRange(page.Hits.Select(h => h.Id!));
                after = [.. page.Hits.Last().Sort!];
                // The implicit _shard_doc tiebreak follows the words.
                Assert.Equal(2, after.Count);
            }
        }
        finally
        {
            var closed = await Client.ClosePointInTimeAsync(c => c.Id(pit.Id), Ct);
            Assert.True(closed.Succeeded);
            Assert.Equal(1, closed.NumFreed);
            await Client.DeleteAsync(new DeleteRequest(Index, "late") { Refresh = Refresh.True }, Ct);
        }

        Assert.Equal(session.CorpusLines, seen.Count);
        Assert.Equal(session.Corpus.Select(p => p.DocId).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PointInTime_Slices_PartitionTheCorpus()
    {
        session.RequireCorpus();
        var pit = await Client.OpenPointInTimeAsync(Index, p => p.KeepAlive("1m"), Ct);
        var seen = new List<string>();
        try
        {
            for (var slice = 0; slice < 4; slice++)
            {
                var id = slice;
                var page = await Client.SearchAsync<Paper>(s => s
                    .Size(5000).Pit(p => p.Id(pit.Id)).Source(new SourceConfig(false))
                    .Slice(sl => sl.Id(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Max(4)), Ct);
                Assert.True(page.IsValidResponse, page.DebugInformation);
                Assert.InRange(page.Hits.Count, 1, session.CorpusLines - 1);
                seen.AddRange(page.Hits.Select(h => h.Id!));
            }
        }
        finally
        {
            await Client.ClosePointInTimeAsync(c => c.Id(pit.Id), Ct);
        }

        Assert.Equal(session.Corpus.Select(p => p.DocId).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Highlight_WholeTitles_WrapEveryOccurrenceOfTheWord()
    {
        session.RequireCorpus();
        var expected = session.Corpus.Where(p => HasWord(p.Title, "mice"))
            .ToDictionary(p => p.DocId!, p => MarkWord(p.Title!, "mice", "<b>", "</b>"), StringComparer.Ordinal);

        var response = await Client.SearchAsync<Paper>(s => s
            .Indices(Index).Size(expected.Count + 10)
            .Query(q => q.Match(m => m.Field(f => f.Title).Query("mice")))
            .Highlight(h => h
                .PreTags(["<b>"]).PostTags(["</b>"])
                .Fields(new Dictionary<Field, HighlightField> { [new Field("title")] = new HighlightField { NumberOfFragments = 0 } })), Ct);

        Assert.True(response.IsValidResponse, response.DebugInformation);
        Assert.Equal(expected.Count, response.Hits.Count);
        Assert.All(response.Hits, hit => Assert.Equal([expected[hit.Id!]], hit.Highlight!["title"]));
    }

    [Fact]
    public async Task Highlight_Fragments_AreBoundedAndEachHoldsTheWord()
    {
        session.RequireCorpus();
        var response = await Client.SearchAsync<Paper>(s => s
            .Indices(Index).Size(20)
            .Query(q => q.Match(m => m.Field(f => f.Text).Query("mice")))
            .Highlight(h => h
                .Fields(new Dictionary<Field, HighlightField> { [new Field("text")] = new HighlightField { FragmentSize = 60, NumberOfFragments = 2 } })), Ct);

        Assert.True(response.IsValidResponse, response.DebugInformation);
        Assert.NotEmpty(response.Hits);
        foreach (var hit in response.Hits)
        {
            var fragments = hit.Highlight!["text"];
            Assert.InRange(fragments.Count, 1, 2);
            foreach (var fragment in fragments)
            {
                // Each fragment is a piece of the abstract with the tags added, and holds the word, tagged.
                Assert.Contains("<em>", fragment, StringComparison.Ordinal);
                Assert.Matches(@"(?i)<em>mice</em>", fragment);
                Assert.Contains(fragment.Replace("<em>", "", StringComparison.Ordinal).Replace("</em>", "", StringComparison.Ordinal).Trim(), hit.Source!.Text!, StringComparison.Ordinal);
                // The plain fragmenter cuts near fragment_size; a fragment never spans a whole long abstract.
                Assert.True(fragment.Length < 60 * 3, $"{fragment.Length} characters: {fragment}");
            }
        }
    }

    [Fact]
    public async Task Alias_SearchAndCountThroughIt_SeeTheIndex()
    {
        session.RequireCorpus();
        const string alias = "papers";
        var put = await Client.Indices.PutAliasAsync(Index, alias, Ct);
        try
        {
            var count = await Client.CountAsync<Paper>(c => c.Indices(alias), Ct);
            var search = await Client.SearchAsync<Paper>(s => s.Indices(alias).Size(1).Query(q => q.Ids(i => i.Values(new Ids([session.Corpus[0].DocId!])))), Ct);
            var aliases = await Client.Indices.GetAliasAsync(new Elastic.Clients.Elasticsearch.IndexManagement.GetAliasRequest(Names.Parse(alias)), Ct);

            Assert.True(put.Acknowledged, put.DebugInformation);
            Assert.Equal(session.CorpusLines, count.Count);
            Assert.Equal(Index, search.Hits.Single().Index);
            Assert.True(aliases.IsValidResponse, aliases.DebugInformation);
            Assert.Contains(alias, aliases.Aliases?[Index].Aliases?.Keys ?? []);
        }
        finally
        {
            await Client.Indices.DeleteAliasAsync(Index, alias, Ct);
        }
    }

    [Fact]
    public async Task MissingIndex_IsATyped404()
    {
        session.RequireCorpus();
        var error = await Assert.ThrowsAsync<TransportException>(() => session.ThrowingClient.SearchAsync<Paper>(s => s.Indices("no-such-index"), Ct));

        Assert.Equal(404, error.ApiCallDetails!.HttpStatusCode);
        Assert.Equal("index_not_found_exception", ((ElasticsearchServerError)error.ApiCallDetails!.ProductError!).Error!.Type);
    }

    [Fact]
    public async Task BadRequest_IsATyped400()
    {
        session.RequireCorpus();
        var error = await Assert.ThrowsAsync<TransportException>(() => session.ThrowingClient.SearchAsync<Paper>(s => s.Indices(Index).Size(-1), Ct));

        Assert.Equal(400, error.ApiCallDetails!.HttpStatusCode);
        var server = (ElasticsearchServerError)error.ApiCallDetails!.ProductError!;
        Assert.Equal(("illegal_argument_exception", "[size] parameter cannot be negative, found [-1]"), (server.Error!.Type, server.Error.Reason));
    }

    [Fact]
    public async Task ExpiredOrClosedPit_IsATyped404()
    {
        session.RequireCorpus();
        var pit = await Client.OpenPointInTimeAsync(Index, p => p.KeepAlive("1m"), Ct);
        await Client.ClosePointInTimeAsync(c => c.Id(pit.Id), Ct);

        var error = await Assert.ThrowsAsync<TransportException>(() => session.ThrowingClient.SearchAsync<Paper>(s => s.Pit(p => p.Id(pit.Id)), Ct));

        Assert.Equal(404, error.ApiCallDetails!.HttpStatusCode);
        var server = (ElasticsearchServerError)error.ApiCallDetails!.ProductError!;
        Assert.Equal("search_phase_execution_exception", server.Error!.Type);
        Assert.Equal("search_context_missing_exception", server.Error.RootCause!.Single().Type);
    }

    /// <summary>Whether <paramref name="text"/> holds <paramref name="word"/> as a whole word, case-insensitively (the standard analyzer's view of a plain word).</summary>
    private static bool HasWord(string? text, string word) => text is not null && System.Text.RegularExpressions.Regex.IsMatch(
        text, $@"\b{System.Text.RegularExpressions.Regex.Escape(word)}\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The text with each whole-word, case-insensitive occurrence of the word wrapped in the tags.</summary>
    private static string MarkWord(string text, string word, string pre, string post) => System.Text.RegularExpressions.Regex.Replace(
        text, $@"\b{System.Text.RegularExpressions.Regex.Escape(word)}\b", m => pre + m.Value + post,
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static double Cosine(float[]? a, float[]? b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
