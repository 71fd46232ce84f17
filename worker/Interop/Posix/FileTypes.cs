namespace Sandbox.Worker.Interop;

/// <summary>Classifies a path with <c>stat(2)</c> (symlinks followed).</summary>
public static class FileTypes
{
    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;
    private const uint DirectoryType = 0x4000;

    public static unsafe FileKind Of(string path)
    {
        var buffer = stackalloc byte[Layout.struct_stat.SizeOf];
        if (LibC.stat(path, buffer) != 0)
        {
            return FileKind.Missing;
        }

        return (Field.Read<uint>((nint)buffer, Layout.struct_stat.st_mode) & TypeMask) switch
        {
            Regular => FileKind.RegularFile,
            DirectoryType => FileKind.Directory,
            _ => FileKind.Other,
        };
    }
}
