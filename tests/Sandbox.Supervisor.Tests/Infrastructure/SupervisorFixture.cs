namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// One supervisor shared by the tests of a class (they use distinct sessions and files, so they do
/// not interfere). Subclasses start it with other settings.
/// </summary>
public class SupervisorFixture : IAsyncLifetime
{
    private SupervisorProcess? _supervisor;

    public SupervisorProcess Supervisor => _supervisor ?? throw new InvalidOperationException("the supervisor has not started");

    protected virtual SupervisorSettings Settings => SupervisorSettings.Default;

    public async Task InitializeAsync() => _supervisor = await SupervisorProcess.StartAsync(Settings);

    public async Task DisposeAsync()
    {
        if (_supervisor is not null)
        {
            await _supervisor.DisposeAsync();
        }
    }
}
