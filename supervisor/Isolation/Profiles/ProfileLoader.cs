using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sandbox.Supervisor.Isolation.Profiles;

/// <summary>
/// Reads every <c>*.json</c> profile of a directory, resolves <c>extends</c> chains and validates
/// the results. Nothing is partly loaded: any problem anywhere fails the whole load, naming each.
/// </summary>
public static class ProfileLoader
{
    public static IReadOnlyDictionary<string, SandboxProfile> Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new ProfileException([$"{directory}: the profile directory does not exist"]);
        }

        var problems = new List<string>();
        var raw = new Dictionary<string, (string File, SandboxProfile Profile)>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            var name = Path.GetFileNameWithoutExtension(path);
            try
            {
                var profile = JsonSerializer.Deserialize(File.ReadAllText(path), ProfileJson.Default.SandboxProfile)
                    ?? throw new JsonException("the file holds null");
                if (profile.Name is { } declared && declared != name)
                {
                    problems.Add($"{file}: name: '{declared}' differs from the file name '{name}'");
                }

                raw[name] = (file, profile with { Name = name });
            }
            catch (JsonException e)
            {
                problems.Add($"{file}: {JsonField(e)}: {e.Message.Split(" Path:")[0]}");
            }
        }

        var resolved = new Dictionary<string, SandboxProfile>(StringComparer.Ordinal);
        foreach (var (name, (file, own)) in raw)
        {
            if (Resolve(name, raw, [], problems) is { } profile)
            {
                problems.AddRange(ProfileValidator.Problems(file, own, profile));
                resolved[name] = profile;
            }
        }

        if (resolved.Count == 0 && problems.Count == 0)
        {
            problems.Add($"{directory}: holds no profiles (*.json)");
        }

        return problems.Count > 0 ? throw new ProfileException(problems) : resolved;
    }

    private static SandboxProfile? Resolve(
        string name, Dictionary<string, (string File, SandboxProfile Profile)> raw, List<string> chain, List<string> problems)
    {
        var (file, profile) = raw[name];
        if (profile.Extends is not { } parentName)
        {
            return profile;
        }

        if (chain.Contains(parentName) || parentName == name)
        {
            problems.Add($"{file}: extends: '{parentName}' leads back to '{name}' ({string.Join(" → ", chain.Append(name).Append(parentName))})");
            return null;
        }

        if (!raw.ContainsKey(parentName))
        {
            problems.Add($"{file}: extends: no profile is named '{parentName}' (have: {string.Join(", ", raw.Keys)})");
            return null;
        }

        var parent = Resolve(parentName, raw, [.. chain, name], problems);
        return parent is null ? null : ProfileMerge.Apply(parent, profile);
    }

    /// <summary>The JSON path of a parse error, in the dotted form the other problems use.</summary>
    private static string JsonField(JsonException e) =>
        string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "(document)" : e.Path.TrimStart('$', '.');
}

/// <summary>Profile files' JSON, generated at build time (no reflection, so the supervisor can be Native AOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(SandboxProfile))]
internal sealed partial class ProfileJson : JsonSerializerContext;
