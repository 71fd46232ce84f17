using Sandbox.Api.V1;

namespace Sandbox.Worker.Tests.Engine;

/// <summary>The engine's reasons travel as names on the wire: each must exist in the API's closed list.</summary>
public sealed class ErrorReasonTests
{
    [Fact]
    public void Every_engine_reason_is_in_the_public_closed_list()
    {
        var missing = Enum.GetNames<Sandbox.Worker.Engine.ErrorReason>().Where(name => ErrorReasonNames.Parse(name) is null).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Wire_names_round_trip() =>
        Assert.All(Enum.GetValues<ErrorReason>(), reason => Assert.Equal(reason, ErrorReasonNames.Parse(ErrorReasonNames.Name(reason))));
}
