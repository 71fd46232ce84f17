using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sandbox.Api.Worker.V1;
using Sandbox.Worker.Engine;

namespace Sandbox.Worker.Rpc;

/// <summary>
/// Records the worker's spans for one call that carried a W3C <c>traceparent</c>, as children of the
/// supervisor's span, and hands them back as wire spans: the sandboxed worker has no network, so
/// the supervisor exports them with its own. Without a traceparent there is nothing to record.
/// </summary>
internal sealed class WorkerTrace : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _ended = new();

    private WorkerTrace(string name, ActivityContext parent)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EngineTrace.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
        Call = EngineTrace.Source.StartActivity(name, ActivityKind.Server, parent);
        Call?.SetTag("process.pid", Environment.ProcessId);
    }

    /// <summary>The call's own span (the current activity of the caller from here on).</summary>
    public Activity? Call { get; }

    public static WorkerTrace? Start(ServerCallContext context, string name) =>
        context.RequestHeaders.GetValue("traceparent") is { } traceparent
        && ActivityContext.TryParse(traceparent, context.RequestHeaders.GetValue("tracestate"), out var parent)
            ? new WorkerTrace(name, parent)
            : null;

    /// <summary>Ends the call's span and returns every span recorded, in the order they ended.</summary>
    public IReadOnlyList<TraceSpan> Finish()
    {
        Call?.Stop();
        return [.. _ended.Select(ToWire)];
    }

    public void Dispose()
    {
        Call?.Dispose();
        _listener.Dispose();
    }

    private static TraceSpan ToWire(Activity activity)
    {
        var span = new TraceSpan
        {
            Name = activity.DisplayName,
            SpanId = activity.SpanId.ToHexString(),
            ParentSpanId = activity.ParentSpanId.ToHexString(),
            Start = Timestamp.FromDateTime(activity.StartTimeUtc),
            Duration = Duration.FromTimeSpan(activity.Duration),
            Error = activity.Status == ActivityStatusCode.Error,
        };
        foreach (var (key, value) in activity.TagObjects)
        {
            span.Attributes[key] = Text(value);
        }

        foreach (var e in activity.Events)
        {
            var wire = new TraceSpanEvent { Name = e.Name, Time = Timestamp.FromDateTimeOffset(e.Timestamp) };
            foreach (var (key, value) in e.Tags)
            {
                wire.Attributes[key] = Text(value);
            }

            span.Events.Add(wire);
        }

        return span;
    }

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
