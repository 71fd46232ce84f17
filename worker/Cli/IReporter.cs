using Sandbox.Worker.Engine;

namespace Sandbox.Worker.Cli;

/// <summary>Where the command line shows progress, the result and errors.</summary>
internal interface IReporter : IProgress<TranscodeProgress>
{
    void Completed(TranscodeResult result);

    void Decoded(DecodeResult result);

    void Failed(TranscodeException error);
}
