using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Rerank.Model.Runtime;

/// <summary>Opens the student's ONNX sessions on the chosen execution provider.</summary>
/// <remarks>
/// The CPU package of ONNX Runtime is the default reference; building with <c>-p:RerankOnnxRuntimeGpu=true</c> swaps
/// in the GPU package, whose native library also offers CUDA. The provider is decided once per model:
/// 1. CUDA when <see cref="StudentModelOptions.PreferGpu"/> is set and the native library lists it;
/// 2. if appending CUDA fails (no driver, no device), CPU with a warning;
/// 3. otherwise CPU.
/// </remarks>
internal sealed partial class OnnxSessionFactory
{
    private const string CudaProviderName = "CUDAExecutionProvider";

    private readonly StudentModelOptions _options;
    private readonly ILogger _logger;

    public OnnxSessionFactory(StudentModelOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        Provider = ChooseProvider();
        Log.ProviderChosen(_logger, Provider);
    }

    public ExecutionProviderKind Provider { get; private set; }

    public InferenceSession Open(string path)
    {
        var sessionOptions = CreateOptions();
        try
        {
            return new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new InvalidDataException($"ONNX Runtime cannot load {Path.GetFileName(path)}: {exception.Message}", exception);
        }
        finally
        {
            sessionOptions.Dispose();
        }
    }

    /// <summary>Opens a session on a model held in memory (a graph built at run time, such as the bi-encoder).</summary>
    /// <param name="model">The serialized ONNX model; it must fit one protobuf message (under 2 GiB).</param>
    /// <param name="name">What the model is called in an error message.</param>
    public InferenceSession Open(byte[] model, string name)
    {
        var sessionOptions = CreateOptions();
        try
        {
            return new InferenceSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new InvalidDataException($"ONNX Runtime cannot load {name}: {exception.Message}", exception);
        }
        finally
        {
            sessionOptions.Dispose();
        }
    }

    private SessionOptions CreateOptions()
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = _options.IntraOpThreads,
        };
        if (Provider == ExecutionProviderKind.Cuda)
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(_options.GpuDeviceId);
            }
            catch (OnnxRuntimeException exception)
            {
                // Step 2: the package has CUDA but this machine cannot run it; every later session stays on CPU.
                Log.CudaUnavailable(_logger, exception.Message);
                Provider = ExecutionProviderKind.Cpu;
            }
        }

        return sessionOptions;
    }

    private ExecutionProviderKind ChooseProvider()
    {
        if (!_options.PreferGpu)
        {
            return ExecutionProviderKind.Cpu;
        }

        var available = OrtEnv.Instance().GetAvailableProviders();
        return available.Contains(CudaProviderName, StringComparer.Ordinal) ? ExecutionProviderKind.Cuda : ExecutionProviderKind.Cpu;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "ONNX Runtime execution provider: {Provider}")]
        public static partial void ProviderChosen(ILogger logger, ExecutionProviderKind provider);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "The CUDA execution provider could not start ({Reason}); falling back to CPU")]
        public static partial void CudaUnavailable(ILogger logger, string reason);
    }
}
