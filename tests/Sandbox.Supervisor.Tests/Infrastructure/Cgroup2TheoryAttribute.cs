namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>A theory that needs root and a cgroup2 hierarchy; skipped, saying why, where there is none.</summary>
public sealed class Cgroup2TheoryAttribute : TheoryAttribute
{
    public Cgroup2TheoryAttribute()
    {
        Skip = Cgroup2Hierarchy.Unavailable;
    }
}
