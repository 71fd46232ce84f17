namespace Sandbox.Worker.Interop;

/// <summary>What <c>stat(2)</c> says of a path (symlinks followed): its kind, owner and permission bits.</summary>
public sealed record FileStatus(FileKind Kind, int Uid, int Gid, UnixFileMode Mode)
{
    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;
    private const uint DirectoryType = 0x4000;
    private const uint PermissionMask = 0xFFF;

    /// <summary>The status of <paramref name="path"/>, or null when it (or a directory on the way) cannot be reached.</summary>
    public static unsafe FileStatus? Read(string path)
    {
        var buffer = stackalloc byte[Layout.struct_stat.SizeOf];
        if (LibC.stat(path, buffer) != 0)
        {
            return null;
        }

        var mode = Field.Read<uint>((nint)buffer, Layout.struct_stat.st_mode);
        var kind = (mode & TypeMask) switch
        {
            Regular => FileKind.RegularFile,
            DirectoryType => FileKind.Directory,
            _ => FileKind.Other,
        };
        return new FileStatus(
            kind,
            Field.Read<int>((nint)buffer, Layout.struct_stat.st_uid),
            Field.Read<int>((nint)buffer, Layout.struct_stat.st_gid),
            (UnixFileMode)(mode & PermissionMask));
    }

    /// <summary>Gives <paramref name="path"/> to another owner and group (<c>chown(2)</c>); needs root.</summary>
    public static void ChangeOwner(string path, int uid, int gid)
    {
        if (LibC.chown(path, uid, gid) != 0)
        {
            throw new IOException($"chown {uid}:{gid} {path}: {System.Runtime.InteropServices.Marshal.GetLastPInvokeErrorMessage()}");
        }
    }
}
