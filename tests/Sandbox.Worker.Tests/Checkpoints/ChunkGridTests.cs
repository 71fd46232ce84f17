using Sandbox.Worker.Engine;
using Sandbox.Worker.Interop;

namespace Sandbox.Worker.Tests.Checkpoints;

/// <summary>Where the timeline is cut: pure arithmetic, checked against hand-computed cuts.</summary>
public sealed class ChunkGridTests
{
    private static readonly AudioTimeline Aac48k = new(SampleRate: 48_000, FrameSize: 1024, Padding: 1024, Origin: 0);
    private static readonly AudioTimeline Opus48k = new(SampleRate: 48_000, FrameSize: 960, Padding: 312, Origin: 0);

    [Theory]
    [InlineData(4, 30, 1, 120)]
    [InlineData(4, 30000, 1001, 120)]
    [InlineData(1, 25, 1, 25)]
    [InlineData(1, 1, 10, 1)]
    public void Video_chunks_are_the_length_in_whole_frames(int seconds, int rate, int per, long frames) =>
        Assert.Equal(frames, ChunkGrid.FramesPerChunk(TimeSpan.FromSeconds(seconds), new Rational(per, rate)));

    [Fact]
    public void Audio_is_cut_at_the_first_packet_at_or_after_the_video_cut()
    {
        var grid = new ChunkGrid(TimeSpan.FromSeconds(1), new VideoTimeline("1/25", 25), Aac48k);

        // Packets start at -1024 + 1024 i; the cut at 1 s is sample 48000, so packet i = 48 (pts 48128).
        Assert.Equal(0, grid.AudioFirstPacket(0));
        Assert.Equal(48, grid.AudioFirstPacket(1));
        Assert.Equal(48_128, grid.AudioPacketPts(48));
        Assert.Equal(47, grid.AudioFirstFedFrame(1));
        Assert.Equal(TimeSpan.FromSeconds(2), grid.Start(2));
        Assert.Equal(2, grid.VideoChunkOf(50));
        Assert.Equal(1, grid.VideoChunkOf(49));
    }

    [Fact]
    public void A_resumed_encoder_fed_from_the_frame_before_the_cut_lands_on_the_packet_grid()
    {
        foreach (var audio in new[] { Aac48k, Opus48k, Aac48k with { Origin = 37 } })
        {
            var grid = new ChunkGrid(TimeSpan.FromSeconds(4), null, audio);
            for (var chunk = 1; chunk < 5; chunk++)
            {
                // An encoder started at frame f emits packets at frameStart(f) - padding + n·frameSize; the second one must be the chunk's first.
                var fed = grid.AudioFrameStart(grid.AudioFirstFedFrame(chunk));
                Assert.Equal(grid.AudioPacketPts(grid.AudioFirstPacket(chunk)), fed - audio.Padding + audio.FrameSize);
                Assert.True(grid.AudioPacketPts(grid.AudioFirstPacket(chunk)) >= (long)grid.Start(chunk).TotalSeconds * audio.SampleRate);
                Assert.True(grid.AudioPacketPts(grid.AudioFirstPacket(chunk) - 1) < (long)grid.Start(chunk).TotalSeconds * audio.SampleRate);
            }
        }
    }

    [Fact]
    public void Without_video_chunks_follow_the_chunk_length()
    {
        var grid = new ChunkGrid(TimeSpan.FromSeconds(4), null, Opus48k);
        Assert.Equal(TimeSpan.FromSeconds(8), grid.Start(2));
        Assert.Equal(2, grid.AudioFrameAt(grid.AudioFrameStart(2)));
    }
}
