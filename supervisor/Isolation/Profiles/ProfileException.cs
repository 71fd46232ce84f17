namespace Sandbox.Supervisor.Isolation.Profiles;

/// <summary>Profiles that cannot be used; each problem names the file, the field and what is wrong.</summary>
public sealed class ProfileException(IReadOnlyList<string> problems)
    : Exception("invalid sandbox profiles:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
