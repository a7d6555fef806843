using System.Buffers;
using System.IO.Pipelines;

namespace Rerank.IngestPipeline.Bulk;

/// <summary>Reads an NDJSON body line by line, each line with its terminator, never more than one line ahead.</summary>
internal sealed class BulkLineReader(Stream input, int maxLineBytes)
{
    private readonly PipeReader _reader = PipeReader.Create(input, new StreamPipeReaderOptions(leaveOpen: true));

    /// <summary>Set when <see cref="ReadLineAsync"/> stopped at a line longer than the limit.</summary>
    public bool LineTooLong { get; private set; }

    /// <summary>
    /// The next line including its <c>\n</c> (the last line may have none); null at the end of the body, or when a
    /// line is longer than the limit (<see cref="LineTooLong"/>; the reader is then left before that line for
    /// <see cref="CopyRestAsync"/>).
    /// </summary>
    public async ValueTask<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
    {
        long scanned = 0;
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var newline = buffer.Slice(scanned).PositionOf((byte)'\n');
            if (newline is not null)
            {
                var line = buffer.Slice(0, buffer.GetPosition(1, newline.Value));
                var bytes = line.ToArray();
                _reader.AdvanceTo(line.End);
                return bytes;
            }

            if (buffer.Length > maxLineBytes)
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
                LineTooLong = true;
                return null;
            }

            if (result.IsCompleted)
            {
                var bytes = buffer.IsEmpty ? null : buffer.ToArray();
                _reader.AdvanceTo(buffer.End);
                return bytes;
            }

            scanned = buffer.Length;
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Copies what is left of the body, unread buffered bytes first, unchanged.</summary>
    public Task CopyRestAsync(Stream output, CancellationToken cancellationToken) =>
        _reader.CopyToAsync(output, cancellationToken);

    public ValueTask CompleteAsync() => _reader.CompleteAsync();
}
