using System.Runtime.InteropServices;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// Flushes a directory's entries to disk (<c>fsync</c> on the directory), so a file created or renamed into it survives
/// a power loss, not only a killed process. Linux and macOS; elsewhere nothing is done (NTFS journals its metadata).
/// </summary>
/// <remarks>
/// .NET opens no directory handles on Unix, and Lucene.Net 4.8 syncs files but never their directory (Lucene 5 added
/// it), so this calls the C library directly: <c>open(path, O_RDONLY)</c>, <c>fsync</c>, <c>close</c>.
/// </remarks>
internal static class DirectorySync
{
    private const int ReadOnly = 0;
    private const int Interrupted = 4; // EINTR, the same number on Linux and macOS

    /// <summary>Flushes <paramref name="path"/>'s entries; true when an fsync was done, false where the platform needs none.</summary>
    /// <exception cref="IOException">The directory could not be opened or synced; the message names it and the errno.</exception>
    public static bool Flush(string path)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return false;
        }

        var fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Cannot open the directory [{path}] to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            int result;
            do
            {
                result = Fsync(fd);
            }
            while (result != 0 && Marshal.GetLastPInvokeError() == Interrupted);

            if (result != 0)
            {
                throw new IOException($"Cannot sync the directory [{path}] (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }

        return true;
    }

    // DllImport rather than LibraryImport: the generated stubs need unsafe code, and these calls are rare (one per commit).
    [DllImport("libc", EntryPoint = "open", ExactSpelling = true, SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", ExactSpelling = true, SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", ExactSpelling = true, SetLastError = true)]
    private static extern int Close(int fd);
}
