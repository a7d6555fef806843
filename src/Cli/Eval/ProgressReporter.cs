using System.Diagnostics;
using System.Globalization;

namespace Rerank.Cli.Eval;

/// <summary>Prints a long step's progress as lines (<c>encoding passages: 1,024/4,631 (22%), 3.1 s</c>), about every tenth of it.</summary>
internal sealed class ProgressReporter(TextWriter output, string step, int total)
{
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private int _nextTenth = 1;

    /// <summary>Reports that <paramref name="done"/> of the step's items are done; prints when a tenth more is done, and at the end.</summary>
    public void Report(int done)
    {
        if (total <= 0 || done < total * _nextTenth / 10)
        {
            return;
        }

        while (_nextTenth <= 10 && done >= total * _nextTenth / 10)
        {
            _nextTenth++;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{step}: {done:N0}/{total:N0} ({100.0 * done / total:F0}%), {_stopwatch.Elapsed.TotalSeconds:F1} s"));
    }
}
