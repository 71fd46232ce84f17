using Microsoft.Extensions.Logging;
using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop.Seccomp;

namespace Sandbox.Worker.Rpc;

/// <summary>
/// The second seccomp stage: the profile's lockdown program, sent by the supervisor with the
/// transcode request, installed on every thread after start-up and before the input is opened.
/// The gRPC server keeps working under it (it only accepts on its existing listening socket).
/// </summary>
internal sealed class WorkerLockdown(ILogger<WorkerLockdown> logger)
{
    private volatile bool _installed;

    public bool IsInstalled => _installed;

    /// <summary>Installs <paramref name="program"/> (nothing when empty: the profile has no lockdown); throws WORKER_START_FAILED if it cannot.</summary>
    public void Apply(ReadOnlySpan<byte> program)
    {
        if (program.IsEmpty)
        {
            logger.LogWarning("no lockdown filter was sent: the transcode runs under the baseline filter only");
            return;
        }

        try
        {
            SeccompFilter.Install(program);
        }
        catch (Exception e) when (e is SeccompInstallException or PlatformNotSupportedException)
        {
            throw new TranscodeException(ErrorReason.WORKER_START_FAILED, $"the lockdown seccomp filter could not be installed, so the input was not opened: {e.Message}", e);
        }

        _installed = true;
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("lockdown filter installed ({Instructions} instructions, all threads)", program.Length / SeccompFilter.InstructionSize);
        }
    }
}
