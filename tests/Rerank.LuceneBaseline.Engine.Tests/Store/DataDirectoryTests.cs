using System.Diagnostics;
using System.Runtime.Versioning;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

/// <summary>Start-up problems with the data directory are one clear error naming the path, not a misleading one or a stack trace.</summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly StoreTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Open_ReadOnlyDataDirectory_SaysNotWritableNamingThePath()
    {
        var data = Path.Combine(_context.DataDirectory, "read-only");
        using (new IndexCatalog(data, new EngineOptions(), _context.Time))
        {
            // A data directory an engine used before: node.lock and indices/ exist.
        }

        using var readOnly = ReadOnlyDirectory.Make(data);

        var error = Assert.Throws<IOException>(() => new IndexCatalog(data, new EngineOptions(), _context.Time));

        Assert.StartsWith($"The data directory [{data}] is not writable: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("in use", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Open_DirectoryHeldByAnotherCatalog_SaysInUse()
    {
        using var first = _context.OpenCatalog();

        var error = Assert.Throws<IOException>(() => _context.OpenCatalog());

        Assert.Equal(
            $"The data directory [{_context.DataDirectory}] is in use by another engine: [{Path.Combine(_context.DataDirectory, "node.lock")}] is locked.",
            error.Message);
    }

    [Fact]
    public void Open_DataDirectoryIsAFile_SaysItCannotBeCreated()
    {
        var file = Path.Combine(_context.DataDirectory, "a-file");
        File.WriteAllText(file, "not a directory");

        var error = Assert.Throws<IOException>(() => new IndexCatalog(file, new EngineOptions(), _context.Time));

        Assert.StartsWith($"The data directory [{file}] cannot be created: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_TruncatedMetaJson_OneErrorNamingTheFile()
    {
        string meta;
        using (var catalog = _context.OpenCatalog())
        {
            meta = Path.Combine(catalog.CreateIndex("books", null).Folder, "meta.json");
        }

        var bytes = await File.ReadAllBytesAsync(meta, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(meta, bytes[..(bytes.Length / 2)], TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => EngineHost.StartAsync(
            new EngineHostOptions { DataDirectory = _context.DataDirectory, Urls = ["http://127.0.0.1:0"] },
            cancellationToken: TestContext.Current.CancellationToken));

        Assert.StartsWith($"The index metadata [{meta}] cannot be read: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);

        // The failed start released the directory: a fixed meta.json opens.
        await File.WriteAllBytesAsync(meta, bytes, TestContext.Current.CancellationToken);
        using var reopened = _context.OpenCatalog();
        Assert.Equal(["books"], reopened.Indices.Select(index => index.Name));
    }

    /// <summary>
    /// Makes a directory unwritable for this process: mode 0555, and for root (whom modes do not stop) the immutable
    /// attribute; skips the test where neither takes.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private sealed class ReadOnlyDirectory : IDisposable
    {
        private readonly string _path;
        private readonly UnixFileMode _mode;
        private bool _immutable;

        private ReadOnlyDirectory(string path)
        {
            _path = path;
            _mode = File.GetUnixFileMode(path);
        }

        public static ReadOnlyDirectory Make(string path)
        {
            var made = new ReadOnlyDirectory(path);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            if (IsWritable(path))
            {
                made._immutable = Chattr("+i", path);
            }

            if (IsWritable(path))
            {
                made.Dispose();
                Assert.Skip("This process can write to a mode-0555 directory and cannot set the immutable attribute.");
            }

            return made;
        }

        public void Dispose()
        {
            if (_immutable)
            {
                Chattr("-i", _path);
            }

            File.SetUnixFileMode(_path, _mode);
        }

        private static bool IsWritable(string path)
        {
            try
            {
                File.WriteAllText(Path.Combine(path, "probe"), "");
                File.Delete(Path.Combine(path, "probe"));
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static bool Chattr(string change, string path)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo("chattr", [change, path]) { RedirectStandardError = true })!;
                process.WaitForExit();
                return process.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false; // no chattr
            }
        }
    }
}
