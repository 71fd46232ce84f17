using System.Diagnostics;
using System.Globalization;
using Sandbox.Api.Worker.V1;

namespace Sandbox.Supervisor.Telemetry;

/// <summary>
/// The supervisor's spans (ActivitySource <c>Sandbox.Supervisor</c>), one trace per session run:
/// <c>sandbox.session</c> → <c>sandbox.attempt</c> per worker → <c>sandbox.admission</c>, and the
/// worker's own spans (<c>worker.probe</c>, <c>worker.transcode</c> and their phases), which the worker
/// records under the traceparent its calls carry and returns over gRPC, replayed here so they are
/// exported with the supervisor's. Nothing is recorded unless tracing is configured.
/// </summary>
internal static class SupervisorTrace
{
    public const string SourceName = "Sandbox.Supervisor";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Re-creates the worker's spans as children of the current span, with the worker's times.</summary>
    public static void Replay(IEnumerable<TraceSpan> spans, int workerPid)
    {
        if (Activity.Current is not { } current)
        {
            return;
        }

        // A worker span's parent is either the supervisor's span that made the call or a worker span
        // replayed before it (parents end after their children, so replay in start order).
        var replayed = new Dictionary<string, ActivityContext>(StringComparer.Ordinal);
        foreach (var span in spans.OrderBy(s => s.Start.ToDateTimeOffset()))
        {
            var parent = replayed.TryGetValue(span.ParentSpanId, out var known) ? known : current.Context;
            var tags = span.Attributes.Select(a => new KeyValuePair<string, object?>(a.Key, a.Value))
                .Append(new("sandbox.process", "worker"))
                .Append(new("worker.pid", workerPid.ToString(CultureInfo.InvariantCulture)));
            using var activity = Source.CreateActivity(span.Name, span.Name is "worker.transcode" or "worker.probe" ? ActivityKind.Server : ActivityKind.Internal, parent, tags);
            if (activity is null)
            {
                continue;
            }

            var start = span.Start.ToDateTimeOffset();
            activity.SetStartTime(start.UtcDateTime);
            activity.Start();
            foreach (var e in span.Events)
            {
                activity.AddEvent(new ActivityEvent(e.Name, e.Time.ToDateTimeOffset(), new ActivityTagsCollection(e.Attributes.Select(a => new KeyValuePair<string, object?>(a.Key, a.Value)))));
            }

            if (span.Error)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }

            activity.SetEndTime((start + span.Duration.ToTimeSpan()).UtcDateTime);
            activity.Stop();
            replayed[span.SpanId] = activity.Context;
        }
    }
}
