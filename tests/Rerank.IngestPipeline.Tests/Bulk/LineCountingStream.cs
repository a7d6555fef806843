namespace Rerank.IngestPipeline.Tests.Bulk;

/// <summary>A write-only sink that keeps only counts: bytes, lines, and lines containing a marker.</summary>
internal sealed class LineCountingStream(byte[] marker) : Stream
{
    private readonly List<byte> _line = [];

    public long Bytes { get; private set; }

    public int Lines { get; private set; }

    public int MarkedLines { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Bytes += buffer.Length;
        foreach (var b in buffer)
        {
            _line.Add(b);
            if (b == (byte)'\n')
            {
                Lines++;
                if (_line.ToArray().AsSpan().IndexOf(marker) >= 0)
                {
                    MarkedLines++;
                }

                _line.Clear();
            }
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
