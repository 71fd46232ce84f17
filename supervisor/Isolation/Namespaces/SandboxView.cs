namespace Sandbox.Supervisor.Isolation.Namespaces;

/// <summary>What one worker may see of the host besides its profile's read-only system paths.</summary>
/// <param name="Programs">Directories holding the worker and its runtime, bound read-only.</param>
/// <param name="SocketDirectory">The worker's own directory with its gRPC socket, writable.</param>
/// <param name="Input">The one input file, read-only; null for a warm worker, which gets it later through its exchange directory.</param>
/// <param name="OutputDirectory">Where the output (and its temporary file) is written; for a warm worker, its <see cref="ExchangeDirectory"/>.</param>
public sealed record SandboxView(IReadOnlyList<string> Programs, string SocketDirectory, string? Input, string OutputDirectory);
