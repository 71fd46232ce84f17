namespace Sandbox.Worker.Interop;

/// <summary>Reads and writes struct fields at the offsets declared in <see cref="Layout"/>.</summary>
internal static unsafe class Field
{
    public static T Read<T>(nint structure, int offset) where T : unmanaged => *(T*)(structure + offset);

    public static void Write<T>(nint structure, int offset, T value) where T : unmanaged => *(T*)(structure + offset) = value;

    public static string? ReadString(nint structure, int offset) =>
        System.Runtime.InteropServices.Marshal.PtrToStringUTF8(Read<nint>(structure, offset));
}
