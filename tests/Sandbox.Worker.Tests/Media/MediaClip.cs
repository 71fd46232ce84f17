namespace Sandbox.Worker.Tests.Media;

/// <summary>A generated test clip and what ffprobe saw in it, so tests compare outputs against the real input.</summary>
public sealed record MediaClip(string Path, FfprobeReport Probe)
{
    public override string ToString() => System.IO.Path.GetFileName(Path);
}
