using Microsoft.Extensions.Options;
using Sandbox.Supervisor.Configuration;

namespace Sandbox.Supervisor.Isolation.Profiles;

/// <summary>The supervisor's sandbox profiles, loaded and validated once at start-up.</summary>
public sealed class ProfileCatalog
{
    public const string DefaultProfile = "default";

    public ProfileCatalog(IOptions<SupervisorOptions> options)
    {
        Directory = options.Value.ProfilesDirectory.Length > 0
            ? options.Value.ProfilesDirectory
            : Path.Combine(AppContext.BaseDirectory, "sandbox-profiles");
        Profiles = ProfileLoader.Load(Directory);
        if (!Profiles.ContainsKey(DefaultProfile))
        {
            throw new ProfileException([$"{Directory}: there is no '{DefaultProfile}' profile, which sessions use when they name none"]);
        }
    }

    public string Directory { get; }

    public IReadOnlyDictionary<string, SandboxProfile> Profiles { get; }

    public IEnumerable<string> Names => Profiles.Keys.Order(StringComparer.Ordinal);

    /// <summary>The profile a session asked for (empty = default), or null when there is none by that name.</summary>
    public SandboxProfile? Find(string name) => Profiles.GetValueOrDefault(name.Length == 0 ? DefaultProfile : name);
}
