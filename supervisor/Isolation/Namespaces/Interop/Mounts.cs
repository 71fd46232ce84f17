using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Sandbox.Supervisor.Isolation.Namespaces.Interop;

/// <summary>
/// The mount calls a warm worker's exchange directory needs: <c>mount(2)</c> for the shared bind,
/// <c>umount2(2)</c>, and the new mount API (<c>open_tree</c>, <c>mount_setattr</c>,
/// <c>move_mount</c>; Linux ≥ 5.12, glibc has no wrappers) to attach a mount that is read-only
/// before it exists anywhere — a later remount would not propagate into the worker's namespace.
/// </summary>
internal static unsafe partial class Mounts
{
    private const long OpenTreeNumber = 428;     // __NR_open_tree on x86-64
    private const long MoveMountNumber = 429;    // __NR_move_mount
    private const long MountSetAttrNumber = 442; // __NR_mount_setattr

    private const ulong Bind = 0x1000;           // MS_BIND
    private const ulong Shared = 1 << 20;        // MS_SHARED
    private const int Detach = 2;                // MNT_DETACH
    private const int AtFdCwd = -100;            // AT_FDCWD
    private const uint CloneTree = 1;            // OPEN_TREE_CLONE
    private const uint CloseOnExec = 0x80000;    // OPEN_TREE_CLOEXEC (= O_CLOEXEC)
    private const uint EmptyPath = 0x1000;       // AT_EMPTY_PATH
    private const uint FromEmptyPath = 0x4;      // MOVE_MOUNT_F_EMPTY_PATH
    private const ulong ReadOnlyAttribute = 1;   // MOUNT_ATTR_RDONLY

    [StructLayout(LayoutKind.Sequential)]
    private struct MountAttributes
    {
        public ulong Set;
        public ulong Clear;
        public ulong Propagation;
        public ulong UserNamespace;
    }

    [LibraryImport("libc", EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Mount(string? source, string target, string? type, ulong flags, nint data);

    [LibraryImport("libc", EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Unmount(string target, int flags);

    /// <summary><c>syscall()</c> with fixed integer arguments: glibc's x86-64 wrapper only moves registers.</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long a, byte* b, long c, void* d, long e);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    /// <summary>Makes <paramref name="directory"/> a mount point of its own whose later sub-mounts propagate to every copy (a worker's namespace).</summary>
    public static void BindShared(string directory)
    {
        Check(Mount(directory, directory, null, Bind, 0), "bind", directory);
        Check(Mount(null, directory, null, Shared, 0), "make shared", directory);
    }

    /// <summary>Attaches a copy of <paramref name="source"/> (file or directory) at <paramref name="target"/>, read-only from the start when asked.</summary>
    public static void Attach(string source, string target, bool readOnly)
    {
        var sourceBytes = Utf8(source);
        var targetBytes = Utf8(target);
        var empty = stackalloc byte[1];
        empty[0] = 0;
        int tree;
        fixed (byte* sourcePath = sourceBytes)
        {
            tree = (int)Syscall(OpenTreeNumber, AtFdCwd, sourcePath, CloneTree | CloseOnExec, null, 0);
        }

        Check(tree, "open_tree", source);
        try
        {
            if (readOnly)
            {
                var attributes = new MountAttributes { Set = ReadOnlyAttribute };
                Check((int)Syscall(MountSetAttrNumber, tree, empty, EmptyPath, &attributes, sizeof(MountAttributes)), "mount_setattr", source);
            }

            fixed (byte* targetPath = targetBytes)
            {
                Check((int)Syscall(MoveMountNumber, tree, empty, AtFdCwd, targetPath, FromEmptyPath), "move_mount", target);
            }
        }
        finally
        {
            _ = Close(tree);
        }
    }

    /// <summary>Detaches the mount at <paramref name="target"/> and every mount below it (lazily: open files keep working).</summary>
    public static void DetachTree(string target) => Check(Unmount(target, Detach), "unmount", target);

    /// <summary>The mount points at or below <paramref name="directory"/>, deepest first (from /proc/self/mountinfo).</summary>
    public static IReadOnlyList<string> Below(string directory)
    {
        var prefix = directory.TrimEnd('/') + "/";
        return [.. File.ReadLines("/proc/self/mountinfo")
            .Select(line => Unescape(line.Split(' ')[4]))
            .Where(point => point == directory.TrimEnd('/') || point.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(point => point.Length)];
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as octal.</summary>
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    private static byte[] Utf8(string path) => [.. System.Text.Encoding.UTF8.GetBytes(path), 0];

    private static void Check(int result, string what, string path)
    {
        if (result < 0)
        {
            throw new IOException($"{what} {path}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
    }
}
