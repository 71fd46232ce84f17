using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

/// <summary>libswscale does the work behind the <c>scale</c> filter; the layer binds it only to check its version.</summary>
internal static partial class LibSwScale
{
    [LibraryImport(NativeLibraries.SwScale)]
    public static partial uint swscale_version();
}
