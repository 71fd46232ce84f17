using Sandbox.Supervisor.Isolation.Profiles;

namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>The sandbox profiles shipped next to the supervisor, and supervisors given one more profile beside them.</summary>
public static class ShippedProfiles
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "sandbox-profiles");

    public static IReadOnlyDictionary<string, SandboxProfile> Load() => ProfileLoader.Load(Directory);

    /// <summary>Copies the shipped profiles into <paramref name="directory"/>, adds <c>NAME.json</c>, and returns settings for a supervisor that loads them.</summary>
    public static async Task<SupervisorSettings> WithExtraAsync(TempDirectory directory, string name, string json)
    {
        foreach (var shipped in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            File.Copy(shipped, directory.File(Path.GetFileName(shipped)));
        }

        await File.WriteAllTextAsync(directory.File($"{name}.json"), json);
        return new SupervisorSettings(Environment: new Dictionary<string, string> { ["Sandbox__ProfilesDirectory"] = directory.Path });
    }
}
