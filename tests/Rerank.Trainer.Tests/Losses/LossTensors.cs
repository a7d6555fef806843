using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Losses;

/// <summary>float64 tensors from plain arrays and back, and random small inputs, for the loss tests.</summary>
internal static class LossTensors
{
    public static Tensor Vector(params double[] values) => tensor(values, [values.Length], ScalarType.Float64);

    public static Tensor Matrix(double[,] values)
    {
        var flat = values.Cast<double>().ToArray();
        return tensor(flat, [values.GetLength(0), values.GetLength(1)], ScalarType.Float64);
    }

    public static Tensor Cube(double[,,] values)
    {
        var flat = values.Cast<double>().ToArray();
        return tensor(flat, [values.GetLength(0), values.GetLength(1), values.GetLength(2)], ScalarType.Float64);
    }

    public static double[] RandomVector(Random random, int n, double low, double high) =>
        Enumerable.Range(0, n).Select(_ => low + ((high - low) * random.NextDouble())).ToArray();

    public static double[,] RandomMatrix(Random random, int rows, int columns, double low, double high)
    {
        var values = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                values[r, c] = low + ((high - low) * random.NextDouble());
            }
        }

        return values;
    }

    public static double[,,] RandomCube(Random random, int a, int b, int c)
    {
        var values = new double[a, b, c];
        for (var x = 0; x < a; x++)
        {
            for (var y = 0; y < b; y++)
            {
                for (var z = 0; z < c; z++)
                {
                    values[x, y, z] = (2.0 * random.NextDouble()) - 1.0;
                }
            }
        }

        return values;
    }
}
