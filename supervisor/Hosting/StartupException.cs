namespace Sandbox.Supervisor.Hosting;

/// <summary>The host cannot run the supervisor as configured; the message says what to change.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
