namespace Sandbox.Supervisor.Tests.ChaosSuite;

/// <summary>The file scripts/test shows after the tests (<c>SANDBOX_CHAOS_SUMMARY</c>): chaos tables and reaction times.</summary>
public static class ChaosReport
{
    private static readonly SemaphoreSlim Writing = new(1, 1);

    public static async Task AppendAsync(string text)
    {
        if (Environment.GetEnvironmentVariable("SANDBOX_CHAOS_SUMMARY") is not { Length: > 0 } file)
        {
            return;
        }

        await Writing.WaitAsync();
        try
        {
            await File.AppendAllTextAsync(file, text + "\n");
        }
        finally
        {
            Writing.Release();
        }
    }
}
