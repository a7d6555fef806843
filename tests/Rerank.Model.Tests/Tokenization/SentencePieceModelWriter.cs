using Google.Protobuf;

namespace Rerank.Model.Tests.Tokenization;

/// <summary>
/// Writes a tokenizer.model by hand from sentencepiece_model.proto's field numbers, so tests control every piece
/// and score: ModelProto {1: repeated SentencePiece {1: piece, 2: score, 3: type}, 2: TrainerSpec, 3: NormalizerSpec}.
/// </summary>
internal static class SentencePieceModelWriter
{
    public const int Normal = 1;
    public const int Unknown = 2;
    public const int Control = 3;

    public static byte[] Build(IReadOnlyList<(string Piece, float Score, int Type)> pieces, int unkId = 0, int bosId = 1, int eosId = 2)
    {
        var model = new MemoryStream();
        var output = new CodedOutputStream(model);
        foreach (var (piece, score, type) in pieces)
        {
            WriteMessage(output, 1, inner =>
            {
                inner.WriteTag(1, WireFormat.WireType.LengthDelimited);
                inner.WriteString(piece);
                inner.WriteTag(2, WireFormat.WireType.Fixed32);
                inner.WriteFloat(score);
                inner.WriteTag(3, WireFormat.WireType.Varint);
                inner.WriteInt32(type);
            });
        }

        WriteMessage(output, 2, trainer =>
        {
            WriteInt(trainer, 3, 2); // model_type = BPE
            WriteInt(trainer, 35, 0); // byte_fallback = false
            WriteInt(trainer, 40, unkId);
            WriteInt(trainer, 41, bosId);
            WriteInt(trainer, 42, eosId);
            WriteInt(trainer, 43, -1); // pad_id: none
        });
        WriteMessage(output, 3, normalizer =>
        {
            normalizer.WriteTag(1, WireFormat.WireType.LengthDelimited);
            normalizer.WriteString("identity");
            WriteInt(normalizer, 3, 1); // add_dummy_prefix
            WriteInt(normalizer, 4, 0); // remove_extra_whitespaces = false
            WriteInt(normalizer, 5, 1); // escape_whitespaces
        });
        output.Flush();
        return model.ToArray();
    }

    private static void WriteInt(CodedOutputStream output, int field, int value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt32(value);
    }

    private static void WriteMessage(CodedOutputStream output, int field, Action<CodedOutputStream> write)
    {
        var buffer = new MemoryStream();
        var inner = new CodedOutputStream(buffer);
        write(inner);
        inner.Flush();
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(buffer.ToArray()));
    }
}
