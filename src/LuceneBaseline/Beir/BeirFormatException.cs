namespace Rerank.LuceneBaseline.Beir;

/// <summary>A collection file that breaks the BEIR format; the message reads <c>path:line: problem</c>.</summary>
public sealed class BeirFormatException : Exception
{
    /// <summary>A problem on 1-based <paramref name="lineNumber"/> of <paramref name="filePath"/>.</summary>
    public BeirFormatException(string filePath, int lineNumber, string problem, Exception? innerException = null)
        : base($"{filePath}:{lineNumber}: {problem}", innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The file with the problem.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line of the problem.</summary>
    public int LineNumber { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
