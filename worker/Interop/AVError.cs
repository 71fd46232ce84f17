namespace Sandbox.Worker.Interop;

/// <summary>AVERROR codes the layer reacts to (AVERROR(e) is -e; tags are FFERRTAG values).</summary>
internal static class AVError
{
    public const int Again = -11;
    public const int NoMemory = -12;
    public const int InvalidArgument = -22;
    public const int EndOfFile = -541478725;
    public const int InvalidData = -1094995529;
    public const int Exit = -1414092869;
    public const int OptionNotFound = -1414549496;
    public const int EncoderNotFound = -1129203192;
    public const int DecoderNotFound = -1128613112;
    public const int DemuxerNotFound = -1296385272;
    public const int FilterNotFound = -1279870712;
}
