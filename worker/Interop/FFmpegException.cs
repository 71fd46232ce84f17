namespace Sandbox.Worker.Interop;

/// <summary>
/// A negative return from an FFmpeg function: the operation that failed, the AVERROR code and
/// FFmpeg's own text for it (<c>av_strerror</c>).
/// </summary>
public sealed class FFmpegException : Exception
{
    public FFmpegException(string operation, int errorCode)
        : base($"{operation} failed: {Describe(errorCode)} ({errorCode})")
    {
        Operation = operation;
        ErrorCode = errorCode;
    }

    public string Operation { get; }

    public int ErrorCode { get; }

    public bool IsInvalidData => ErrorCode == AVError.InvalidData;

    public bool IsExit => ErrorCode == AVError.Exit;

    public static int ThrowIfError(int result, string operation) =>
        result < 0 ? throw new FFmpegException(operation, result) : result;

    public static FFmpegException OutOfMemory(string operation) => new(operation, AVError.NoMemory);

    public static unsafe string Describe(int errorCode)
    {
        const int capacity = 256;
        var buffer = stackalloc byte[capacity];
        return LibAVUtil.av_strerror(errorCode, buffer, capacity) < 0
            ? $"unknown error {errorCode}"
            : new string((sbyte*)buffer);
    }
}
