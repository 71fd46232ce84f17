namespace Sandbox.Worker.Rpc;

/// <summary>Switches of <c>sandbox-worker serve</c> that the supervisor passes, spelled once for both.</summary>
public static class ServeSwitches
{
    /// <summary>Tests only: also serve <c>sandbox.worker.v1.FaultInjection</c>.</summary>
    public const string AllowFaultInjection = "--allow-fault-injection";
}
