using Rerank.IngestPipeline.Encoding;
using Rerank.IngestPipeline.Writes;

namespace Rerank.IngestPipeline.Tests.Writes;

internal sealed class FakeEncoderSource(params IPassageEncoder[] encoders) : IEncoderSource
{
    public IPassageEncoder? Find(string modelId) => encoders.FirstOrDefault(e => e.ModelId == modelId);
}
