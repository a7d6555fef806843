using System.Runtime.InteropServices;

namespace Rerank.Trainer.Native;

/// <summary>
/// Gets TorchSharp's native library ready to load: on Linux, where the build found the system libstdc++ older than
/// the one libLibTorchSharp.so was built against, it loads the build's <c>librerank-glibcxx-shim.so</c> into the
/// global symbol scope first (docs/trainer.md, "TorchSharp on older libstdc++").
/// </summary>
/// <remarks>
/// Call <see cref="Initialize"/> before the first use of <c>TorchSharp.torch</c>; every trainer entry point that
/// touches TorchSharp does. It is cheap after the first call and thread-safe. Where the build shipped no shim (a
/// system with GCC 13's libstdc++ or newer, Windows, macOS) it does nothing.
/// </remarks>
internal static class TorchNative
{
    /// <summary>The shim's file name, as build/TorchSharp/TorchSharpNativeFix.targets writes it.</summary>
    public const string ShimFileName = "librerank-glibcxx-shim.so";

    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    private static readonly Lazy<string?> Loaded = new(LoadShim, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shim's path once loaded, or null when this build has none.</summary>
    public static string? ShimPath => Loaded.Value;

    /// <summary>Loads the shim when the build shipped one. Idempotent.</summary>
    /// <exception cref="DllNotFoundException">The shim exists but the dynamic loader refused it; the message has its reason.</exception>
    public static void Initialize() => _ = Loaded.Value;

    private static string? LoadShim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // Beside libLibTorchSharp.so: runtimes/linux-x64/native/ in a portable build, the output root in a RID-specific one.
        var baseDirectory = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", ShimFileName),
            Path.Combine(baseDirectory, ShimFileName),
        ];
        var path = candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return null;
        }

        // RTLD_GLOBAL: libLibTorchSharp.so, loaded later, must see the shim's symbol. NativeLibrary.Load would open it
        // RTLD_LOCAL, where later libraries cannot bind to it. The handle is never closed: the process needs it to the end.
        if (DlOpen(path, RtldNow | RtldGlobal) == IntPtr.Zero)
        {
            var reason = Marshal.PtrToStringUTF8(DlError()) ?? "unknown error";
            throw new DllNotFoundException($"{path}: cannot load the libstdc++ shim TorchSharp needs on this system: {reason}");
        }

        return path;
    }

    // libdl.so.2 exists on every glibc (since 2.34 its functions live in libc.so.6 and libdl.so.2 forwards to them).
    // DllImport rather than LibraryImport: the generated stubs need unsafe code, and these two calls run once.
    [DllImport("libdl.so.2", EntryPoint = "dlopen", ExactSpelling = true)]
    private static extern IntPtr DlOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);

    [DllImport("libdl.so.2", EntryPoint = "dlerror", ExactSpelling = true)]
    private static extern IntPtr DlError();
}
