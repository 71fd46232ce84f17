using System.Globalization;

namespace Sandbox.Supervisor.Isolation.Seccomp;

/// <summary>
/// One seccomp audit record (type 1326) as the kernel writes it to <c>/dev/kmsg</c>:
/// <c>6,1154,8882089359,-;audit: type=1326 audit(…): … pid=18042 comm="k" exe="…" sig=31 arch=c000003e syscall=110 …</c>.
/// <c>pid</c> is the host (initial namespace) thread-group id; <c>sig</c> is 0 for actions that do not kill.
/// </summary>
public sealed record SeccompAuditRecord(int Pid, int Signal, uint Architecture, int Syscall)
{
    private const string Marker = "audit: type=1326 ";

    /// <summary>
    /// The record in a kmsg line, or null for any other line. The process names its own <c>comm</c>, so
    /// a compromised worker controls part of the line: the kernel quotes such strings only when they hold
    /// no space or quote (else it hex-encodes them), so splitting on spaces and taking the first of each
    /// key — <c>pid</c> comes before <c>comm</c> — cannot be fooled.
    /// </summary>
    public static SeccompAuditRecord? Parse(string kmsgRecord)
    {
        var text = kmsgRecord.Split('\n')[0];
        var message = text.IndexOf(';', StringComparison.Ordinal) is var semicolon and >= 0 ? text[(semicolon + 1)..] : text;
        if (!message.StartsWith(Marker, StringComparison.Ordinal))
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in message[Marker.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.IndexOf('=', StringComparison.Ordinal) is var equals and > 0)
            {
                fields.TryAdd(token[..equals], token[(equals + 1)..]);
            }
        }

        return Number(fields, "pid", NumberStyles.None) is { } pid
            && Number(fields, "sig", NumberStyles.None) is { } signal
            && Number(fields, "arch", NumberStyles.AllowHexSpecifier) is { } architecture
            && Number(fields, "syscall", NumberStyles.None) is { } syscall
            && pid <= int.MaxValue && signal <= int.MaxValue && architecture <= uint.MaxValue && syscall <= int.MaxValue
                ? new SeccompAuditRecord((int)pid, (int)signal, (uint)architecture, (int)syscall)
                : null;
    }

    private static ulong? Number(Dictionary<string, string> fields, string key, NumberStyles style) =>
        fields.TryGetValue(key, out var value) && ulong.TryParse(value, style, CultureInfo.InvariantCulture, out var number) ? number : null;
}
