namespace Sandbox.Worker.Interop;

/// <summary>What a path names, from <c>stat(2)</c>: .NET reports devices and FIFOs as ordinary files.</summary>
public enum FileKind
{
    Missing,
    RegularFile,
    Directory,
    Other,
}
