namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// The production build, <c>scripts/publish</c>'s Native AOT <c>sandbox</c> and <c>sandbox-worker</c>:
/// the one scripts/test published for this run (<c>SANDBOX_PUBLISHED_BUILD</c>), else the checkout's
/// <c>artifacts/sandbox-linux-x64</c>, published here once when it is not there yet.
/// </summary>
public sealed class PublishedBuild
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);
    private static readonly SemaphoreSlim Once = new(1, 1);

    private PublishedBuild(string directory) => Directory = directory;

    public string Directory { get; }

    public string Supervisor => Path.Combine(Directory, "sandbox");

    public string Worker => Path.Combine(Directory, "sandbox-worker");

    public static async Task<PublishedBuild> GetAsync()
    {
        if (Environment.GetEnvironmentVariable("SANDBOX_PUBLISHED_BUILD") is { Length: > 0 } published)
        {
            return Existing(published);
        }

        var root = RepositoryRoot();
        var build = new PublishedBuild(Path.Combine(root, "artifacts", "sandbox-linux-x64"));
        await Once.WaitAsync();
        try
        {
            if (!File.Exists(build.Supervisor) || !File.Exists(build.Worker))
            {
                var result = await ChildProcess.RunAsync(Path.Combine(root, "scripts", "publish"), [], PublishTimeout);
                Assert.True(result.ExitCode == 0, $"scripts/publish failed ({result.ExitCode}):\n{result.StandardError}\n{result.StandardOutput}");
            }
        }
        finally
        {
            Once.Release();
        }

        return Existing(build.Directory);
    }

    private static PublishedBuild Existing(string directory)
    {
        var build = new PublishedBuild(directory);
        Assert.True(File.Exists(build.Supervisor) && File.Exists(build.Worker), $"{directory} holds no published sandbox and sandbox-worker (run scripts/publish)");
        return build;
    }

    /// <summary>The checkout the tests were built from: the first directory above them holding Sandbox.sln.</summary>
    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Sandbox.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Sandbox.sln above {AppContext.BaseDirectory}");
    }
}
