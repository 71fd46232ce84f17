namespace Sandbox.Worker.Cli;

/// <summary>The <c>--help</c> text; worker/README.md documents the same options in more detail.</summary>
internal static class Usage
{
    public const string Text = """
        sandbox-worker — runs one FFmpeg transcode in this process (the sandboxed side of Sandbox).

        usage:
          sandbox-worker transcode INPUT OUTPUT [options]
          sandbox-worker decode INPUT [--json]         decode only, discard frames (throughput)
          sandbox-worker capabilities [--json]
          sandbox-worker serve --socket PATH   gRPC on a Unix socket until stdin closes (the supervisor's mode)
          sandbox-worker version

        transcode options:
          --container mp4|webm|mkv|mpegts   output container (default: from OUTPUT's extension)
          --video CODEC[:BITRATE][:WxH]     e.g. h264:1500k:1280x720; CODEC: h264 hevc vp9 av1 copy none
          --video-codec CODEC  --video-bitrate RATE  --crf N  --size WxH  --width N  --height N
          --fps RATE  --gop N  --preset NAME  --threads N  --no-video
          --hardware-encoder NAME           e.g. h264_nvenc (needs the GPU's device nodes; NVENC takes system-memory frames)
          --audio CODEC[:BITRATE]           e.g. aac:128k; CODEC: aac opus copy none
          --audio-codec CODEC  --audio-bitrate RATE  --channels N  --sample-rate HZ  --no-audio
          --input-root DIR  --output-root DIR   keep paths under these directories (repeatable)
          --allow-format NAME               input demuxer allowlist (repeatable; replaces the default)
          --max-pixels N  --max-samples N   decoder caps
          --deadline DURATION               e.g. 90s, 10m, 00:10:00
          --checkpoints DIR                 write durable chunks + manifest there; run again to resume
          --chunk-length DURATION           target chunk length (default 4s, 1s–10m)
          --session KEY                     whose checkpoints these are (default "cli"); others are refused
          --keep-chunks                     keep DIR's chunks and manifest after the output is assembled
          --adjust LIST                     encode the chunks still to be made cheaper, e.g. when resuming:
                                            fps=15,height=360,preset=veryfast,threads=2,lookahead=10
          --json                            JSON lines on stdout instead of human output
          --verbose                         FFmpeg's informational log on stderr

        exit status: 0 done, 1 failed (reason printed), 2 invalid spec or usage, 130 cancelled.
        """;
}
