namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>A test that needs root and a cgroup2 hierarchy; skipped, saying why, where there is none.</summary>
public sealed class Cgroup2FactAttribute : FactAttribute
{
    public Cgroup2FactAttribute()
    {
        Skip = Cgroup2Hierarchy.Unavailable;
    }
}
