namespace Sandbox.Worker.Tests.Media;

/// <summary>
/// The xunit collection sharing one <see cref="ClipLibrary"/>. Its tests run one after another,
/// which also keeps two encoders from fighting over the 2 cores and skewing deadline tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClipCollection : ICollectionFixture<ClipLibrary>
{
    public const string Name = "Clips";
}
