using System.Security.Cryptography;

namespace Sandbox.Worker.Engine;

/// <summary>Identifies an input file and the settings of a session, so checkpoints are only ever continued with what made them.</summary>
public static class InputFingerprint
{
    private const int SampleBytes = 1 << 20;

    /// <summary>Size, modification time and a hash of the size with the first and last MiB (see <see cref="InputIdentity"/>).</summary>
    public static InputIdentity Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var size = stream.Length;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(size));
        var buffer = new byte[SampleBytes];
        hash.AppendData(buffer, 0, stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false));
        if (size > SampleBytes)
        {
            stream.Seek(Math.Max(SampleBytes, size - SampleBytes), SeekOrigin.Begin);
            hash.AppendData(buffer, 0, stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false));
        }

        return new InputIdentity(size, File.GetLastWriteTimeUtc(path), Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>What differs between the identity recorded in a manifest and the input now, or null when nothing does.</summary>
    public static string? Difference(InputIdentity recorded, InputIdentity now) =>
        recorded.Size != now.Size ? $"its size changed from {recorded.Size} to {now.Size} bytes"
        : recorded.ModifiedUtc != now.ModifiedUtc ? $"it was modified at {now.ModifiedUtc:O} (the checkpoints were made from the version of {recorded.ModifiedUtc:O})"
        : recorded.SampleSha256 != now.SampleSha256 ? "its content changed (same size and time, different bytes)"
        : null;

    /// <summary>A short hash of everything in a spec that shapes the encoded output (not paths or deadlines).</summary>
    public static string Settings(TranscodeSpec spec) => ShortHash($"{spec.Container}|{spec.Video}|{spec.Audio}");

    /// <summary>A short hash of an adjustment, appended to the settings fingerprint of the chunks encoded under it.</summary>
    public static string Adjustment(VideoAdjustment adjustment) => ShortHash(adjustment.ToString());

    private static string ShortHash(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
}
