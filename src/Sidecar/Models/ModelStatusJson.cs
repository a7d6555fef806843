using System.Text.Json;

namespace Rerank.Sidecar.Models;

/// <summary>The bundle list as health and the admin reload answer it: <c>[{"directory","model_id","loaded","error"?}]</c>.</summary>
internal static class ModelStatusJson
{
    public static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<ModelStatus> models)
    {
        json.WriteStartArray(name);
        foreach (var model in models)
        {
            json.WriteStartObject();
            json.WriteString("directory", model.Directory);
            json.WriteString("model_id", model.ModelId);
            json.WriteBoolean("loaded", model.ModelId is not null);
            if (model.Error is not null)
            {
                json.WriteString("error", model.Error);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
