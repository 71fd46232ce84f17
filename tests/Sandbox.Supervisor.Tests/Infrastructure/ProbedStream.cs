namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>The fields of one ffprobe stream these tests check. Absent values are null.</summary>
public sealed record ProbedStream(string CodecType, string CodecName, int? Width, int? Height);
