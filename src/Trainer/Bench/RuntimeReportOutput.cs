using System.Globalization;
using System.Text.Json;

namespace Rerank.Trainer.Bench;

/// <summary>Writes a <c>bench runtime</c> report as a table and as the JSON of <c>--json</c> (docs/training.md, "Runtime").</summary>
internal static class RuntimeReportOutput
{
    public static void WriteTable(TextWriter output, RuntimeReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"runtime on {report.Dataset} ({report.Split}): {report.Queries} queries, window {report.Window} (mean {report.MeanCandidates:F1} candidates)"));
        output.WriteLine($"teacher: {report.Teacher}");
        output.WriteLine(string.Create(inv, $"student and bi-encoder: bundle {report.Student} on {report.Device}; {report.PassagesEncoded:N0} passages encoded beforehand in {report.PassageEncodeTime.TotalSeconds:F1} s (not timed)"));
        output.WriteLine();
        output.WriteLine("per query".PadRight(14) + "p50 ms".PadLeft(12) + "mean ms".PadLeft(12));
        Row(output, "teacher", report.TeacherTimes);
        Row(output, "student", report.StudentTimes);
        Row(output, "bi-encoder", report.BiEncoderTimes);
        output.WriteLine();
        output.WriteLine("ratio".PadRight(22) + "p50".PadLeft(10) + "mean".PadLeft(10));
        output.WriteLine("teacher / student".PadRight(22) + report.TeacherOverStudentP50.ToString("F2", inv).PadLeft(10) + report.TeacherOverStudentMean.ToString("F2", inv).PadLeft(10));
        output.WriteLine("student / bi-encoder".PadRight(22) + report.StudentOverBiEncoderP50.ToString("F2", inv).PadLeft(10) + report.StudentOverBiEncoderMean.ToString("F2", inv).PadLeft(10));
    }

    /// <summary>
    /// <c>dataset</c>, <c>split</c>, <c>window</c>, <c>queries</c>, <c>mean_candidates</c>, <c>teacher</c>,
    /// <c>student</c>, <c>device</c>; per system (<c>teacher_ms</c>, <c>student_ms</c>, <c>bi_encoder_ms</c>) an object
    /// with <c>p50</c> and <c>mean</c>; <c>ratios</c> with <c>teacher_over_student</c> and <c>student_over_bi_encoder</c>,
    /// each with <c>p50</c> and <c>mean</c>; the passages encoded beforehand and their time.
    /// </summary>
    public static void WriteJson(string path, RuntimeReport report)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("dataset", report.Dataset);
        json.WriteString("split", report.Split);
        json.WriteNumber("window", report.Window);
        json.WriteNumber("queries", report.Queries);
        json.WriteNumber("mean_candidates", report.MeanCandidates);
        json.WriteString("teacher", report.Teacher);
        json.WriteString("student", report.Student);
        json.WriteString("device", report.Device);
        Stats(json, "teacher_ms", report.TeacherTimes.P50Ms, report.TeacherTimes.MeanMs);
        Stats(json, "student_ms", report.StudentTimes.P50Ms, report.StudentTimes.MeanMs);
        Stats(json, "bi_encoder_ms", report.BiEncoderTimes.P50Ms, report.BiEncoderTimes.MeanMs);
        json.WriteStartObject("ratios");
        Stats(json, "teacher_over_student", report.TeacherOverStudentP50, report.TeacherOverStudentMean);
        Stats(json, "student_over_bi_encoder", report.StudentOverBiEncoderP50, report.StudentOverBiEncoderMean);
        json.WriteEndObject();
        json.WriteNumber("passages_encoded", report.PassagesEncoded);
        json.WriteNumber("passage_encode_seconds", report.PassageEncodeTime.TotalSeconds);
        json.WriteEndObject();
    }

    private static void Row(TextWriter output, string name, RuntimeStats stats) =>
        output.WriteLine(name.PadRight(14) + stats.P50Ms.ToString("F3", CultureInfo.InvariantCulture).PadLeft(12) + stats.MeanMs.ToString("F3", CultureInfo.InvariantCulture).PadLeft(12));

    private static void Stats(Utf8JsonWriter json, string name, double p50, double mean)
    {
        json.WriteStartObject(name);
        json.WriteNumber("p50", p50);
        json.WriteNumber("mean", mean);
        json.WriteEndObject();
    }
}
