namespace Sandbox.Worker.Interop;

/// <summary>One libavfilter filter of a linear chain: its name and its option string (e.g. <c>scale</c>, <c>1280:720</c>).</summary>
public readonly record struct FilterSpec(string Name, string? Arguments)
{
    public override string ToString() => Arguments is null ? Name : $"{Name}={Arguments}";
}
