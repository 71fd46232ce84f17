using Sandbox.Worker.Engine;
using Sandbox.Worker.Tests.Media;

namespace Sandbox.Worker.Tests.Engine;

public sealed class PathGuardTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _root;
    private readonly InputPolicy _policy;

    public PathGuardTests()
    {
        _root = Directory.CreateDirectory(_directory.File("root")).FullName;
        File.WriteAllText(Path.Combine(_root, "in.mp4"), "x");
        File.WriteAllText(_directory.File("secret.mp4"), "x");
        _policy = InputPolicy.Default with { InputRoots = [_root], OutputRoots = [_root] };
    }

    [Fact]
    public void A_file_under_the_root_resolves_to_its_canonical_path() =>
        Assert.Equal(Path.Combine(_root, "in.mp4"), PathGuard.ResolveInput(Path.Combine(_root, ".", "in.mp4"), _policy));

    [Fact]
    public void Dot_dot_cannot_climb_out_of_the_root() =>
        AssertReason(ErrorReason.PATH_NOT_ALLOWED, () => PathGuard.ResolveInput(Path.Combine(_root, "..", "secret.mp4"), _policy));

    [Fact]
    public void A_symlink_inside_the_root_cannot_point_outside()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "link.mp4"), _directory.File("secret.mp4"));

        AssertReason(ErrorReason.PATH_NOT_ALLOWED, () => PathGuard.ResolveInput(Path.Combine(_root, "link.mp4"), _policy));
    }

    [Fact]
    public void A_missing_file_inside_the_root_is_not_found() =>
        AssertReason(ErrorReason.INPUT_NOT_FOUND, () => PathGuard.ResolveInput(Path.Combine(_root, "missing.mp4"), _policy));

    [Fact]
    public void A_missing_file_outside_the_root_is_refused_before_it_is_looked_at() =>
        AssertReason(ErrorReason.PATH_NOT_ALLOWED, () => PathGuard.ResolveInput("/nonexistent/x.mp4", _policy));

    [Fact]
    public void A_directory_is_not_an_input()
    {
        Directory.CreateDirectory(Path.Combine(_root, "dir"));

        var error = Assert.Throws<TranscodeException>(() => PathGuard.ResolveInput(Path.Combine(_root, "dir"), _policy));

        Assert.Equal("input", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void A_device_is_not_an_input() =>
        Assert.Equal(ErrorReason.INVALID_SPEC, Assert.Throws<TranscodeException>(() => PathGuard.ResolveInput("/dev/zero", InputPolicy.Default)).Reason);

    [Fact]
    public void An_output_outside_the_root_is_refused() =>
        AssertReason(ErrorReason.PATH_NOT_ALLOWED, () => PathGuard.ResolveOutput(_directory.File("out.mp4"), _policy));

    [Fact]
    public void An_output_in_a_missing_directory_is_invalid() =>
        AssertReason(ErrorReason.INVALID_SPEC, () => PathGuard.ResolveOutput(Path.Combine(_root, "no", "out.mp4"), _policy));

    public void Dispose() => _directory.Dispose();

    private static void AssertReason(ErrorReason reason, Func<string> resolve) =>
        Assert.Equal(reason, Assert.Throws<TranscodeException>(() => resolve()).Reason);
}
