namespace Rerank.Trainer.Teacher.Fusion;

/// <summary>
/// Logistic regression by Newton's method (iteratively reweighted least squares) with a small ridge on the weights:
/// the calibration that turns fusion features into a teacher logit, logit = b + w · x, p(relevant) = sigmoid(logit).
/// </summary>
/// <remarks>
/// The loss is the mean negative log-likelihood plus (ridge / 2) |w|^2 (not on the bias); it is convex, so Newton's
/// method from zero converges in a few steps. The ridge keeps a separable sample (every positive above every negative
/// on one feature) from sending the weights to infinity.
/// </remarks>
internal static class LogisticFit
{
    public const double DefaultRidge = 1e-3;
    private const int MaxIterations = 100;
    private const double Tolerance = 1e-10;

    /// <summary>Fits the bias and weights to rows <paramref name="features"/> with labels <paramref name="labels"/>.</summary>
    /// <returns>The bias, then one weight per feature.</returns>
    /// <exception cref="ArgumentException">No rows, ragged rows, or only one class.</exception>
    public static double[] Fit(IReadOnlyList<double[]> features, IReadOnlyList<bool> labels, double ridge = DefaultRidge)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count == 0 || features.Count != labels.Count)
        {
            throw new ArgumentException($"{features.Count} rows and {labels.Count} labels: need the same positive number.", nameof(features));
        }

        var width = features[0].Length;
        if (features.Any(row => row.Length != width))
        {
            throw new ArgumentException("Every row needs the same number of features.", nameof(features));
        }

        if (labels.All(l => l) || labels.All(l => !l))
        {
            throw new ArgumentException("Both relevant and non-relevant rows are needed to calibrate.", nameof(labels));
        }

        var n = features.Count;
        var size = width + 1;
        var theta = new double[size];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            // Gradient g and Hessian h of the mean loss; x0 = 1 is the bias.
            var g = new double[size];
            var h = new double[size, size];
            for (var r = 0; r < n; r++)
            {
                var row = features[r];
                var p = Sigmoid(Logit(theta, row));
                var residual = p - (labels[r] ? 1 : 0);
                var weight = p * (1 - p);
                for (var i = 0; i < size; i++)
                {
                    var xi = i == 0 ? 1 : row[i - 1];
                    g[i] += residual * xi / n;
                    for (var j = 0; j <= i; j++)
                    {
                        var xj = j == 0 ? 1 : row[j - 1];
                        h[i, j] += weight * xi * xj / n;
                    }
                }
            }

            for (var i = 1; i < size; i++)
            {
                g[i] += ridge * theta[i];
                h[i, i] += ridge;
            }

            for (var i = 0; i < size; i++)
            {
                for (var j = i + 1; j < size; j++)
                {
                    h[i, j] = h[j, i];
                }
            }

            var step = Solve(h, g);
            var change = 0.0;
            for (var i = 0; i < size; i++)
            {
                theta[i] -= step[i];
                change = Math.Max(change, Math.Abs(step[i]));
            }

            if (change < Tolerance)
            {
                break;
            }
        }

        return theta;
    }

    /// <summary>b + w · x for the fitted <paramref name="theta"/> (bias first).</summary>
    public static double Logit(IReadOnlyList<double> theta, IReadOnlyList<double> row)
    {
        var z = theta[0];
        for (var i = 0; i < row.Count; i++)
        {
            z += theta[i + 1] * row[i];
        }

        return z;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>Solves h x = g by Gaussian elimination with partial pivoting (h is small and positive definite).</summary>
    private static double[] Solve(double[,] h, double[] g)
    {
        var size = g.Length;
        var a = (double[,])h.Clone();
        var b = (double[])g.Clone();
        for (var column = 0; column < size; column++)
        {
            var pivot = column;
            for (var row = column + 1; row < size; row++)
            {
                if (Math.Abs(a[row, column]) > Math.Abs(a[pivot, column]))
                {
                    pivot = row;
                }
            }

            if (pivot != column)
            {
                for (var k = 0; k < size; k++)
                {
                    (a[column, k], a[pivot, k]) = (a[pivot, k], a[column, k]);
                }

                (b[column], b[pivot]) = (b[pivot], b[column]);
            }

            for (var row = column + 1; row < size; row++)
            {
                var factor = a[row, column] / a[column, column];
                for (var k = column; k < size; k++)
                {
                    a[row, k] -= factor * a[column, k];
                }

                b[row] -= factor * b[column];
            }
        }

        var x = new double[size];
        for (var row = size - 1; row >= 0; row--)
        {
            var sum = b[row];
            for (var k = row + 1; k < size; k++)
            {
                sum -= a[row, k] * x[k];
            }

            x[row] = sum / a[row, row];
        }

        return x;
    }
}
