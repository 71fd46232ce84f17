namespace Sandbox.Worker.Interop;

/// <summary>A library's packed <c>*_version()</c> number (major &lt;&lt; 16 | minor &lt;&lt; 8 | micro).</summary>
public readonly record struct LibraryVersion(string Library, uint Packed)
{
    public int Major => (int)(Packed >> 16);

    public int Minor => (int)((Packed >> 8) & 0xFF);

    public int Micro => (int)(Packed & 0xFF);

    public override string ToString() => $"{Library} {Major}.{Minor}.{Micro}";
}
