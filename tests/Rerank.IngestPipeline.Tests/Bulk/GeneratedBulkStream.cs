namespace Rerank.IngestPipeline.Tests.Bulk;

/// <summary>A read-only stream that makes an NDJSON bulk body item by item as it is read (never held whole).</summary>
internal sealed class GeneratedBulkStream(int items, Func<int, string> item) : Stream
{
    private byte[] _current = [];
    private int _offset;
    private int _next;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_offset == _current.Length)
        {
            if (_next == items)
            {
                return 0;
            }

            _current = System.Text.Encoding.UTF8.GetBytes(item(_next++));
            _offset = 0;
        }

        var n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
