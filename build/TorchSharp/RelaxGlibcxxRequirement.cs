// The MSBuild task behind build/TorchSharp/TorchSharpNativeFix.targets (compiled by RoslynCodeTaskFactory, so it
// targets netstandard2.0 and uses no newer API). See docs/trainer.md, "TorchSharp on older libstdc++".
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks the libstdc++ version requirements of a native library weak where the system's libstdc++ lacks them, so
/// that the dynamic loader accepts the older library; reports whether the shim that supplies the missing symbols is
/// needed.
/// </summary>
/// <remarks>
/// 1. Find the libstdc++.so.6 the loader would use (<c>ldconfig -p</c>, then the usual directories) and read the
///    version names it defines (ELF <c>.gnu.version_d</c>).
/// 2. Read the library's requirements on libstdc++.so.6 (<c>.gnu.version_r</c>). Those the system defines are fine.
/// 3. Every symbol bound to a missing version must be one the shim supplies (<see cref="SuppliedSymbols"/>);
///    otherwise a weak requirement would only move the failure to the first call, so the build fails instead.
/// 4. Set <c>VER_FLG_WEAK</c> on each missing requirement, writing a new file and moving it over the old one (the
///    build output's copy may be a hard link into the NuGet cache, which must stay untouched), and keep the file's
///    size and timestamp so MSBuild's incremental copy sees it as up to date.
/// Running it again finds the flags set and writes nothing.
/// </remarks>
public sealed class RelaxGlibcxxRequirement : Task
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const uint ShtDynsym = 11;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>The native library to patch, in the build or publish output.</summary>
    [Required]
    public string Library { get; set; }

    /// <summary><c>auto</c> (patch what the system lacks), <c>always</c> (treat GLIBCXX_3.4.32 as missing) or <c>never</c>.</summary>
    public string Mode { get; set; }

    /// <summary>Semicolon-separated symbols the shim defines.</summary>
    [Required]
    public string SuppliedSymbols { get; set; }

    /// <summary>The libstdc++.so.6 to compare with; empty to look it up as the loader would.</summary>
    public string SystemLibrary { get; set; }

    /// <summary>True when the library has requirements the system cannot meet: the shim must be built and shipped.</summary>
    [Output]
    public bool NeedsShim { get; set; }

    /// <summary>The missing versions, semicolon-separated (for messages).</summary>
    [Output]
    public string MissingVersions { get; set; }

    public override bool Execute()
    {
        var mode = string.IsNullOrEmpty(Mode) ? "auto" : Mode.ToLowerInvariant();
        if (mode == "never")
        {
            Log.LogMessage(MessageImportance.Normal, "RerankGlibcxxShim=never: {0} left as shipped.", Library);
            return true;
        }

        if (mode != "auto" && mode != "always")
        {
            Log.LogError("RerankGlibcxxShim must be auto, always or never (is '{0}').", Mode);
            return false;
        }

        if (!File.Exists(Library))
        {
            Log.LogError("{0}: not found; cannot check its libstdc++ requirements.", Library);
            return false;
        }

        try
        {
            return Run(mode);
        }
        catch (InvalidDataException ex)
        {
            Log.LogError(ex.Message);
            return false;
        }
    }

    private bool Run(string mode)
    {
        var bytes = File.ReadAllBytes(Library);
        var elf = new Elf(Library, bytes);
        var needs = elf.VersionNeeds().Where(n => n.File == "libstdc++.so.6").ToList();

        // Step 1.
        HashSet<string> defined;
        if (mode == "always")
        {
            defined = new HashSet<string>(needs.Select(n => n.Name).Where(n => n != "GLIBCXX_3.4.32"), StringComparer.Ordinal);
        }
        else
        {
            var system = string.IsNullOrEmpty(SystemLibrary) ? FindSystemLibStdCxx() : SystemLibrary;
            if (system == null)
            {
                Log.LogWarning("Cannot find the system's libstdc++.so.6 (ldconfig -p and the usual directories); {0} left as shipped. Set RerankGlibcxxShim=always if TorchSharp then fails with 'GLIBCXX_3.4.32 not found'.", Library);
                return true;
            }

            var systemBytes = File.ReadAllBytes(system);
            defined = new HashSet<string>(new Elf(system, systemBytes).VersionDefinitions(), StringComparer.Ordinal);
            Log.LogMessage(MessageImportance.Low, "System libstdc++: {0} ({1} version names).", system, defined.Count);
        }

        // Step 2.
        var missing = needs.Where(n => !defined.Contains(n.Name)).ToList();
        MissingVersions = string.Join(";", missing.Select(n => n.Name));
        NeedsShim = missing.Count > 0;
        if (missing.Count == 0)
        {
            Log.LogMessage(MessageImportance.Normal, "{0}: the system libstdc++ has every version it needs; nothing to patch.", Library);
            return true;
        }

        // Step 3.
        var supplied = new HashSet<string>(SuppliedSymbols.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        var ok = true;
        foreach (var need in missing)
        {
            var unsupplied = elf.UndefinedSymbolsOfVersion(need.Index).Where(s => !supplied.Contains(s)).ToList();
            if (unsupplied.Count > 0)
            {
                Log.LogError(
                    "{0} needs {1} from libstdc++.so.6, which this system's libstdc++ lacks, for symbols the shim does not supply: {2}. Install a newer libstdc++ (GCC 13 or later) or build with a TorchSharp release made for this system.",
                    Library, need.Name, string.Join(", ", unsupplied));
                ok = false;
            }
        }

        if (!ok)
        {
            return false;
        }

        // Step 4.
        var toPatch = missing.Where(n => (n.Flags & VerFlgWeak) == 0).ToList();
        if (toPatch.Count == 0)
        {
            Log.LogMessage(MessageImportance.Normal, "{0}: {1} already weak.", Library, MissingVersions);
            return true;
        }

        foreach (var need in toPatch)
        {
            Elf.WriteUInt16(bytes, need.FlagsOffset, (ushort)(need.Flags | VerFlgWeak));
        }

        var info = new FileInfo(Library);
        var lastWrite = info.LastWriteTimeUtc;
        var temporary = Library + ".rerank-patch";
        File.WriteAllBytes(temporary, bytes);
        File.SetLastWriteTimeUtc(temporary, lastWrite);
        File.Delete(Library);
        File.Move(temporary, Library);
        Log.LogMessage(MessageImportance.High, "{0}: marked {1} weak (the system libstdc++ lacks it; the shim supplies its symbols).", Library, string.Join(", ", toPatch.Select(n => n.Name)));
        return true;
    }

    private static string FindSystemLibStdCxx()
    {
        foreach (var ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig" })
        {
            try
            {
                var start = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false, CreateNoWindow = true };
                using (var process = Process.Start(start))
                {
                    var output = process.StandardOutput.ReadToEnd();
                    process.WaitForExit();
                    // "	libstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6"
                    foreach (var line in output.Split('\n'))
                    {
                        var trimmed = line.Trim();
                        var arrow = trimmed.IndexOf("=> ", StringComparison.Ordinal);
                        if (trimmed.StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && trimmed.Contains("x86-64") && arrow > 0)
                        {
                            var path = trimmed.Substring(arrow + 3).Trim();
                            if (File.Exists(path))
                            {
                                return path;
                            }
                        }
                    }
                }

                break;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not at this path; try the next.
            }
        }

        foreach (var directory in new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib" })
        {
            var path = Path.Combine(directory, "libstdc++.so.6");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private sealed class VersionNeed
    {
        public string File;
        public string Name;
        public ushort Flags;
        public ushort Index;
        public int FlagsOffset;
    }

    /// <summary>Just enough of ELF64 little-endian (the System V gABI and the LSB's symbol versioning) for this task.</summary>
    private sealed class Elf
    {
        private readonly string _path;
        private readonly byte[] _bytes;
        private readonly List<Section> _sections = new List<Section>();

        public Elf(string path, byte[] bytes)
        {
            _path = path;
            _bytes = bytes;
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            {
                throw new InvalidDataException(path + ": not an ELF file.");
            }

            if (bytes[4] != 2 || bytes[5] != 1)
            {
                throw new InvalidDataException(path + ": not a 64-bit little-endian ELF file.");
            }

            var sectionTable = checked((int)ReadUInt64(0x28));
            var entrySize = ReadUInt16(0x3A);
            var count = ReadUInt16(0x3C);
            if (sectionTable == 0 || count == 0 || entrySize < 64 || sectionTable + ((long)count * entrySize) > bytes.Length)
            {
                throw new InvalidDataException(path + ": no usable section header table.");
            }

            for (var i = 0; i < count; i++)
            {
                var at = sectionTable + (i * entrySize);
                _sections.Add(new Section
                {
                    Type = ReadUInt32(at + 4),
                    Offset = checked((int)ReadUInt64(at + 0x18)),
                    Size = checked((int)ReadUInt64(at + 0x20)),
                    Link = (int)ReadUInt32(at + 0x28),
                    Info = (int)ReadUInt32(at + 0x2C),
                });
            }
        }

        public IEnumerable<string> VersionDefinitions()
        {
            var section = _sections.FirstOrDefault(s => s.Type == ShtGnuVerdef);
            if (section == null)
            {
                yield break;
            }

            // Elf64_Verdef: vd_version, vd_flags, vd_ndx, vd_cnt (2 bytes each), vd_hash, vd_aux, vd_next (4 each).
            var at = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                var aux = at + (int)ReadUInt32(at + 12);
                // Elf64_Verdaux: vda_name, vda_next. The first name is the version's own; the rest are its parents.
                yield return StringAt(section.Link, ReadUInt32(aux));
                var next = ReadUInt32(at + 16);
                if (next == 0)
                {
                    break;
                }

                at += (int)next;
            }
        }

        public List<VersionNeed> VersionNeeds()
        {
            var result = new List<VersionNeed>();
            var section = _sections.FirstOrDefault(s => s.Type == ShtGnuVerneed);
            if (section == null)
            {
                return result;
            }

            // Elf64_Verneed: vn_version, vn_cnt (2 bytes each), vn_file, vn_aux, vn_next (4 each).
            var at = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                var file = StringAt(section.Link, ReadUInt32(at + 4));
                var count = ReadUInt16(at + 2);
                var aux = at + (int)ReadUInt32(at + 8);
                for (var j = 0; j < count; j++)
                {
                    // Elf64_Vernaux: vna_hash (4), vna_flags (2), vna_other (2), vna_name (4), vna_next (4).
                    result.Add(new VersionNeed
                    {
                        File = file,
                        Flags = ReadUInt16(aux + 4),
                        FlagsOffset = aux + 4,
                        Index = ReadUInt16(aux + 6),
                        Name = StringAt(section.Link, ReadUInt32(aux + 8)),
                    });
                    var nextAux = ReadUInt32(aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += (int)nextAux;
                }

                var next = ReadUInt32(at + 12);
                if (next == 0)
                {
                    break;
                }

                at += (int)next;
            }

            return result;
        }

        public IEnumerable<string> UndefinedSymbolsOfVersion(ushort index)
        {
            var symbols = _sections.FirstOrDefault(s => s.Type == ShtDynsym);
            var versions = _sections.FirstOrDefault(s => s.Type == ShtGnuVersym);
            if (symbols == null || versions == null)
            {
                throw new InvalidDataException(_path + ": no dynamic symbol table or symbol versions.");
            }

            // Elf64_Sym (24 bytes): st_name (4), st_info, st_other, st_shndx (2), st_value, st_size (8 each).
            var count = symbols.Size / 24;
            for (var i = 0; i < count; i++)
            {
                var at = symbols.Offset + (i * 24);
                var version = ReadUInt16(versions.Offset + (2 * i)) & 0x7fff;
                if (version == index && ReadUInt16(at + 6) == 0)
                {
                    yield return StringAt(symbols.Link, ReadUInt32(at));
                }
            }
        }

        public static void WriteUInt16(byte[] bytes, int at, ushort value)
        {
            bytes[at] = (byte)value;
            bytes[at + 1] = (byte)(value >> 8);
        }

        private string StringAt(int stringSection, uint offset)
        {
            var start = _sections[stringSection].Offset + (int)offset;
            var end = start;
            while (end < _bytes.Length && _bytes[end] != 0)
            {
                end++;
            }

            return Encoding.UTF8.GetString(_bytes, start, end - start);
        }

        private ushort ReadUInt16(int at)
        {
            Check(at, 2);
            return (ushort)(_bytes[at] | (_bytes[at + 1] << 8));
        }

        private uint ReadUInt32(int at)
        {
            Check(at, 4);
            return (uint)(_bytes[at] | (_bytes[at + 1] << 8) | (_bytes[at + 2] << 16) | (_bytes[at + 3] << 24));
        }

        private ulong ReadUInt64(int at) => ReadUInt32(at) | ((ulong)ReadUInt32(at + 4) << 32);

        private void Check(int at, int size)
        {
            if (at < 0 || at + size > _bytes.Length)
            {
                throw new InvalidDataException(_path + ": truncated ELF structure at offset " + at + ".");
            }
        }

        private sealed class Section
        {
            public uint Type;
            public int Offset;
            public int Size;
            public int Link;
            public int Info;
        }
    }
}
