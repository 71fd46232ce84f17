namespace Sandbox.Worker.Interop.Seccomp;

/// <summary>A seccomp filter could not be installed; the process is not running under it.</summary>
public sealed class SeccompInstallException(string message) : Exception(message);
