namespace Sandbox.Supervisor.Tests.Infrastructure;

/// <summary>
/// Every supervisor test class is in this one collection: the clips are made once, and the classes
/// run one after another, so at most one supervisor (with its workers) competes for the 2 cores and
/// timing-sensitive tests (mid-run cancel, deadlines) are not starved by a neighbour.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SupervisorCollection : ICollectionFixture<TestClips>
{
    public const string Name = "Supervisor";
}
