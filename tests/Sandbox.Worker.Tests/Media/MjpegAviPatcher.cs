using System.Buffers.Binary;
using System.Text;

namespace Sandbox.Worker.Tests.Media;

/// <summary>
/// Makes an MJPEG AVI lie about its frame size. The size is rewritten everywhere a demuxer or
/// decoder reads it, found by walking the file's structure rather than by searching for bytes:
/// the main AVI header (<c>avih</c>), each video stream's BITMAPINFOHEADER (<c>strf</c>) and the
/// SOF0 segment of every JPEG frame. The pixel data stays tiny, so only a worker that checks the
/// claimed size before allocating for it fails cleanly.
/// </summary>
public static class MjpegAviPatcher
{
    // Offsets inside chunk payloads (AVIMAINHEADER, BITMAPINFOHEADER) and a JPEG SOF segment.
    private const int AvihWidth = 32;
    private const int AvihHeight = 36;
    private const int BitmapWidth = 4;
    private const int BitmapHeight = 8;
    private const int SofHeight = 5;
    private const int SofWidth = 7;

    public static void Patch(string sourcePath, string destinationPath, int width, int height)
    {
        var avi = File.ReadAllBytes(sourcePath);
        var patched = new Patched();
        if (avi.Length < 12 || FourCc(avi, 0) != "RIFF" || FourCc(avi, 8) != "AVI ")
        {
            throw new InvalidDataException($"{sourcePath} is not an AVI file");
        }

        var streamType = "";
        WalkChunks(avi, 12, avi.Length, width, height, ref streamType, patched);
        if (patched.MainHeaders == 0 || patched.BitmapHeaders == 0 || patched.JpegFrames == 0)
        {
            throw new InvalidDataException(
                $"{sourcePath}: patched {patched.MainHeaders} avih, {patched.BitmapHeaders} strf and {patched.JpegFrames} SOF0; expected at least one of each");
        }

        File.WriteAllBytes(destinationPath, avi);
    }

    /// <summary>Walks RIFF chunks in [start, end), descending into RIFF/LIST containers.</summary>
    private static void WalkChunks(byte[] avi, int start, int end, int width, int height, ref string streamType, Patched patched)
    {
        var offset = start;
        while (offset + 8 <= end)
        {
            var id = FourCc(avi, offset);
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(avi.AsSpan(offset + 4));
            var data = avi.AsSpan(offset + 8, Math.Min(size, end - offset - 8));
            switch (id)
            {
                case "RIFF" or "LIST":
                    // The first four payload bytes name the list (hdrl, strl, movi…); its chunks follow.
                    WalkChunks(avi, offset + 12, offset + 8 + data.Length, width, height, ref streamType, patched);
                    break;
                case "avih":
                    BinaryPrimitives.WriteInt32LittleEndian(data[AvihWidth..], width);
                    BinaryPrimitives.WriteInt32LittleEndian(data[AvihHeight..], height);
                    patched.MainHeaders++;
                    break;
                case "strh":
                    // The stream header precedes its format chunk and says whether the stream is video.
                    streamType = Encoding.ASCII.GetString(data[..4]);
                    break;
                case "strf" when streamType == "vids":
                    BinaryPrimitives.WriteInt32LittleEndian(data[BitmapWidth..], width);
                    BinaryPrimitives.WriteInt32LittleEndian(data[BitmapHeight..], height);
                    patched.BitmapHeaders++;
                    break;
                case [_, _, 'd', 'c']:
                    // "00dc": a compressed video frame of stream 00, here one JPEG image.
                    patched.JpegFrames += PatchJpeg(data, width, height);
                    break;
            }

            // Chunks are padded to an even length.
            offset += 8 + size + (size & 1);
        }
    }

    /// <summary>Rewrites the SOF0 segments of one JPEG image, walking its marker segments up to the scan data.</summary>
    private static int PatchJpeg(Span<byte> jpeg, int width, int height)
    {
        if (jpeg is not [0xFF, 0xD8, ..])
        {
            return 0;
        }

        var patched = 0;
        var offset = 2;
        while (offset + 4 <= jpeg.Length && jpeg[offset] == 0xFF)
        {
            var marker = jpeg[offset + 1];
            if (marker == 0xFF)
            {
                // Fill byte before a marker.
                offset++;
                continue;
            }

            if (marker is 0xDA or 0xD9)
            {
                // Start of scan (entropy-coded data follows) or end of image: no headers beyond.
                break;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(offset + 2)..]);
            if (marker == 0xC0)
            {
                BinaryPrimitives.WriteUInt16BigEndian(jpeg[(offset + SofHeight)..], checked((ushort)height));
                BinaryPrimitives.WriteUInt16BigEndian(jpeg[(offset + SofWidth)..], checked((ushort)width));
                patched++;
            }

            offset += 2 + length;
        }

        return patched;
    }

    private static string FourCc(byte[] bytes, int offset) => Encoding.ASCII.GetString(bytes, offset, 4);

    /// <summary>How many places were rewritten, so a file without them fails loudly instead of testing nothing.</summary>
    private sealed class Patched
    {
        public int MainHeaders { get; set; }

        public int BitmapHeaders { get; set; }

        public int JpegFrames { get; set; }
    }
}
