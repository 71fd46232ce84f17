using System.Runtime.InteropServices;

namespace Sandbox.Supervisor.Isolation.Seccomp.Interop;

/// <summary>A libseccomp filter context (<c>scmp_filter_ctx</c>).</summary>
internal sealed class SeccompFilterHandle() : SafeHandle(nint.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == nint.Zero;

    public static SeccompFilterHandle Create(uint defaultAction)
    {
        var filter = new SeccompFilterHandle();
        filter.SetHandle(LibSeccomp.seccomp_init(defaultAction));
        if (filter.IsInvalid)
        {
            throw new InvalidOperationException("seccomp_init failed (out of memory or an invalid default action)");
        }

        // Every syscall the worker makes runs the filter: a tree keeps a ~130-rule allowlist cheap.
        var optimized = LibSeccomp.seccomp_attr_set(filter.handle, LibSeccomp.AttributeOptimize, LibSeccomp.OptimizeBinaryTree);
        return optimized == 0 ? filter : throw new InvalidOperationException($"libseccomp refused the binary-tree layout (error {optimized})");
    }

    /// <summary>Adds one rule; returns libseccomp's negative errno on refusal.</summary>
    public unsafe int AddRule(uint action, int syscall, LibSeccomp.ArgumentComparison[] arguments)
    {
        fixed (LibSeccomp.ArgumentComparison* first = arguments)
        {
            return LibSeccomp.seccomp_rule_add_array(handle, action, syscall, (uint)arguments.Length, arguments.Length == 0 ? null : first);
        }
    }

    /// <summary>Writes the compiled BPF program to a file.</summary>
    public int Export(Microsoft.Win32.SafeHandles.SafeFileHandle file) => LibSeccomp.seccomp_export_bpf(handle, (int)file.DangerousGetHandle());

    protected override bool ReleaseHandle()
    {
        LibSeccomp.seccomp_release(handle);
        return true;
    }
}
