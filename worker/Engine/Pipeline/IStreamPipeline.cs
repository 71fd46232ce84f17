namespace Sandbox.Worker.Engine;

using Sandbox.Worker.Interop;

/// <summary>Carries one input stream to one output stream.</summary>
internal interface IStreamPipeline : IDisposable
{
    /// <summary>A line describing the output stream, for results and logs.</summary>
    string Description { get; }

    /// <summary>Called once the output header is written and stream time bases are final.</summary>
    void Start();

    /// <summary>Processes one demuxed packet of the input stream; the pipeline unreferences it.</summary>
    void Process(Packet packet);

    /// <summary>Drains everything still buffered at the end of the input.</summary>
    void Flush();
}
