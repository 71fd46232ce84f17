using System.Reflection;
using System.Text;
using Sandbox.Worker.Interop;
using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Interop;

/// <summary>
/// Every struct offset and constant the C# layer relies on is compared with what the C compiler
/// computes from the installed FFmpeg headers. A mismatch here means the layer would read the
/// wrong bytes, so it must fail loudly before anything else runs.
/// </summary>
public sealed class LayoutConformanceTests
{
    /// <summary>C# constants that mirror C macros, with the C expression each must equal.</summary>
    private static readonly (string Name, long Value, string Expression)[] Constants =
    [
        ("AVError.Again", AVError.Again, "AVERROR(EAGAIN)"),
        ("AVError.NoMemory", AVError.NoMemory, "AVERROR(ENOMEM)"),
        ("AVError.InvalidArgument", AVError.InvalidArgument, "AVERROR(EINVAL)"),
        ("AVError.EndOfFile", AVError.EndOfFile, "AVERROR_EOF"),
        ("AVError.InvalidData", AVError.InvalidData, "AVERROR_INVALIDDATA"),
        ("AVError.Exit", AVError.Exit, "AVERROR_EXIT"),
        ("AVError.OptionNotFound", AVError.OptionNotFound, "AVERROR_OPTION_NOT_FOUND"),
        ("AVError.EncoderNotFound", AVError.EncoderNotFound, "AVERROR_ENCODER_NOT_FOUND"),
        ("AVError.DecoderNotFound", AVError.DecoderNotFound, "AVERROR_DECODER_NOT_FOUND"),
        ("AVError.DemuxerNotFound", AVError.DemuxerNotFound, "AVERROR_DEMUXER_NOT_FOUND"),
        ("AVError.FilterNotFound", AVError.FilterNotFound, "AVERROR_FILTER_NOT_FOUND"),
        ("AV_NOPTS_VALUE", LibAVUtil.AV_NOPTS_VALUE, "AV_NOPTS_VALUE"),
        ("AV_TIME_BASE", LibAVUtil.AV_TIME_BASE, "AV_TIME_BASE"),
        ("AV_LOG_ERROR", LibAVUtil.AV_LOG_ERROR, "AV_LOG_ERROR"),
        ("AV_LOG_INFO", LibAVUtil.AV_LOG_INFO, "AV_LOG_INFO"),
        ("AV_OPT_SEARCH_CHILDREN", LibAVUtil.AV_OPT_SEARCH_CHILDREN, "AV_OPT_SEARCH_CHILDREN"),
        ("AVMEDIA_TYPE_VIDEO", LibAVUtil.AVMEDIA_TYPE_VIDEO, "AVMEDIA_TYPE_VIDEO"),
        ("AVMEDIA_TYPE_AUDIO", LibAVUtil.AVMEDIA_TYPE_AUDIO, "AVMEDIA_TYPE_AUDIO"),
        ("AV_PICTURE_TYPE_NONE", LibAVUtil.AV_PICTURE_TYPE_NONE, "AV_PICTURE_TYPE_NONE"),
        ("AV_CODEC_CAP_VARIABLE_FRAME_SIZE", LibAVCodec.AV_CODEC_CAP_VARIABLE_FRAME_SIZE, "AV_CODEC_CAP_VARIABLE_FRAME_SIZE"),
        ("AVFMT_GLOBALHEADER", LibAVFormat.AVFMT_GLOBALHEADER, "AVFMT_GLOBALHEADER"),
        ("AVIO_FLAG_WRITE", LibAVFormat.AVIO_FLAG_WRITE, "AVIO_FLAG_WRITE"),
        ("AV_BUFFERSRC_FLAG_KEEP_REF", LibAVFilter.AV_BUFFERSRC_FLAG_KEEP_REF, "AV_BUFFERSRC_FLAG_KEEP_REF"),
        ("AV_BUFFERSRC_FLAG_PUSH", LibAVFilter.AV_BUFFERSRC_FLAG_PUSH, "AV_BUFFERSRC_FLAG_PUSH"),
        ("AV_DISPOSITION_ATTACHED_PIC", MediaInput.AttachedPicture, "AV_DISPOSITION_ATTACHED_PIC"),
        ("AVPROBE_SCORE_RETRY", ContentProbe.MinimumScore, "AVPROBE_SCORE_RETRY"),
    ];

    [Fact]
    public async Task Every_declared_offset_size_and_constant_matches_the_installed_headers()
    {
        var expected = DeclaredLayout().Concat(Constants.Select(c => (c.Name, c.Value, c.Expression))).ToList();
        using var directory = new TempDirectory();
        var program = directory.File("layout");
        await NativeCompiler.CompileAsync(Program(expected), program);

        var (exitCode, output, error) = await ChildProcess.RunAsync(program, [], TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, error);
        var actual = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1]));
        var mismatches = expected
            .Where(e => actual[e.Name] != e.Value)
            .Select(e => $"{e.Name}: C# has {e.Value}, the headers say {actual[e.Name]}")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
        Assert.True(expected.Count > 60, $"only {expected.Count} entries were checked; the reflection over Layout found too few");
    }

    /// <summary>Each nested class of <see cref="Layout"/> is a C struct, each constant a field (<c>SizeOf</c> = sizeof).</summary>
    private static IEnumerable<(string Name, long Value, string Expression)> DeclaredLayout() =>
        typeof(Layout).GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic)
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(field => field.IsLiteral)
                .Select(field => (
                    $"{type.Name}.{field.Name}",
                    (long)(int)field.GetRawConstantValue()!,
                    field.Name == "SizeOf" ? $"sizeof({CType(type)})" : $"offsetof({CType(type)}, {field.Name})")));

    private static string CType(Type type) => type.Name.StartsWith("struct_", StringComparison.Ordinal) ? $"struct {type.Name[7..]}" : type.Name;

    private static string Program(IEnumerable<(string Name, long Value, string Expression)> entries)
    {
        var source = new StringBuilder("""
            #include <stddef.h>
            #include <stdio.h>
            #include <errno.h>
            #include <sys/stat.h>
            #include <libavformat/avformat.h>
            #include <libavcodec/avcodec.h>
            #include <libavfilter/avfilter.h>
            #include <libavfilter/buffersrc.h>
            #include <libavutil/channel_layout.h>
            #include <libavutil/opt.h>
            int main(void) {

            """);
        foreach (var (name, _, expression) in entries)
        {
            source.AppendLine($"    printf(\"%s %lld\\n\", \"{name}\", (long long)({expression}));");
        }

        source.AppendLine("    return 0;\n}");
        return source.ToString();
    }
}
