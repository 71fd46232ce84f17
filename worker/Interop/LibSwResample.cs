using System.Runtime.InteropServices;

namespace Sandbox.Worker.Interop;

/// <summary>libswresample does the work behind the <c>aresample</c> filter; the layer binds it only to check its version.</summary>
internal static partial class LibSwResample
{
    [LibraryImport(NativeLibraries.SwResample)]
    public static partial uint swresample_version();
}
