namespace Sandbox.Worker.Interop;

/// <summary>Classifies a path with <c>stat(2)</c> (symlinks followed).</summary>
public static class FileTypes
{
    public static FileKind Of(string path) => FileStatus.Read(path)?.Kind ?? FileKind.Missing;
}
