using System.Security.Cryptography;
using System.Text;
using Rerank.Model.Bundle;

namespace Rerank.Trainer.Teacher;

/// <summary>The content hashes a teacher store header records (docs/training.md, "Teacher").</summary>
internal static class TeacherHashes
{
    /// <summary>SHA-256 over the UTF-8 lines <c>query id TAB passage id LF</c> of the plan's pairs, in order.</summary>
    public static string PlanPairs(IReadOnlyList<(string QueryId, string PassageId)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (queryId, passageId) in pairs)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(queryId + "\t" + passageId + "\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 over the lines <c>sha256(file) + "  " + name + LF</c> of every file directly in the directory, ordinal name order (sha256sum's format).</summary>
    public static string Directory(string directory)
    {
        var lines = new StringBuilder();
        foreach (var file in System.IO.Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            lines.Append(ModelBundle.HashFile(file)).Append("  ").Append(Path.GetFileName(file)).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    /// <summary>SHA-256 of one file.</summary>
    public static string File(string path) => ModelBundle.HashFile(path);
}
