using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Sessions;

namespace Sandbox.Supervisor.Tests.Unit;

/// <summary>The session state machine and its event log, without processes.</summary>
public sealed class SessionRecordTests
{
    private static SessionRecord NewRecord()
    {
        var record = new SessionRecord("s-test", new SessionSpec(), new TranscodeRequest(), TimeProvider.System);
        record.RecordQueued();
        return record;
    }

    [Fact]
    public void Events_are_numbered_from_one_without_gaps()
    {
        var record = NewRecord();
        record.TryTransition(SessionState.Starting);
        record.ReportProgress(new Progress { Frames = 10 });
        record.TryTransition(SessionState.Running);

        var (events, _, _) = record.ReadFrom(1);

        Assert.Equal([1L, 2, 3, 4], events.Select(e => e.Sequence));
        Assert.Equal(4, record.Snapshot().LastSequence);
    }

    [Fact]
    public void Reading_from_a_sequence_returns_that_event_and_the_ones_after_it()
    {
        var record = NewRecord();
        record.TryTransition(SessionState.Starting);
        record.TryTransition(SessionState.Running);

        var (events, _, _) = record.ReadFrom(2);

        Assert.Equal([2L, 3], events.Select(e => e.Sequence));
    }

    [Fact]
    public void A_terminal_state_is_final()
    {
        var record = NewRecord();
        Assert.True(record.TryTransition(SessionState.Cancelled, new Failure { Reason = ErrorReason.Cancelled }));

        Assert.False(record.TryTransition(SessionState.Running));
        Assert.False(record.TryTransition(SessionState.Completed));
        Assert.Equal(SessionState.Cancelled, record.State);
        Assert.True(record.ReadFrom(1).Finished);
    }

    [Fact]
    public async Task Watchers_are_woken_by_the_next_event()
    {
        var record = NewRecord();
        var (_, _, changed) = record.ReadFrom(2);
        Assert.False(changed.IsCompleted);

        record.TryTransition(SessionState.Starting);

        await changed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, Assert.Single(record.ReadFrom(2).Events).Sequence);
    }
}
