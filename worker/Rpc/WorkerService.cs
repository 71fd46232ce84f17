using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sandbox.Api.Worker.V1;
using Sandbox.Worker.Engine;

namespace Sandbox.Worker.Rpc;

/// <summary>
/// The worker's gRPC face: it runs exactly one transcode (a worker never serves a second session),
/// streams its progress, and shuts the process down once the result has been sent. Registered as a
/// singleton, since its state is the process's.
/// </summary>
internal sealed class WorkerService(Transcoder transcoder, WorkerLockdown lockdown, IHostApplicationLifetime lifetime, ILogger<WorkerService> logger) : Api.Worker.V1.Worker.WorkerBase, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly AdjustmentChannel _adjustments = new();
    private int _started;
    private int _probed;

    public override async Task Transcode(TranscodeRequest request, IServerStreamWriter<TranscodeEvent> responseStream, ServerCallContext context)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "this worker has already run its one transcode"));
        }

        // A caller that goes away takes the transcode with it: nobody would receive the result.
        using var callerGone = context.CancellationToken.Register(_cancellation.Cancel);
        using var trace = WorkerTrace.Start(context, "worker.transcode");

        // Progress arrives on the transcode thread; a channel hands it to this call's writer in order.
        var events = Channel.CreateBounded<TranscodeEvent>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        var run = RunAsync(request, new SynchronousProgress(p => events.Writer.TryWrite(new TranscodeEvent { Progress = TranscodeRequestMapper.ToWire(p) })));
        _ = run.ContinueWith(_ => events.Writer.TryComplete(), TaskScheduler.Default);

        await foreach (var item in events.Reader.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(item, context.CancellationToken);
        }

        var result = await run;
        if (trace is not null)
        {
            trace.Call?.SetTag("result", result.EventCase == TranscodeEvent.EventOneofCase.Completed ? "completed" : result.Failed.Failure.Reason.ToString());
            var spans = new TraceSpans();
            spans.Spans.AddRange(trace.Finish());
            await responseStream.WriteAsync(new TranscodeEvent { Spans = spans }, context.CancellationToken);
        }

        await responseStream.WriteAsync(result, context.CancellationToken);
        lifetime.StopApplication();
    }

    public override Task<CancelResponse> Cancel(CancelRequest request, ServerCallContext context)
    {
        logger.LogInformation("cancel requested by the supervisor");
        _cancellation.Cancel();
        return Task.FromResult(new CancelResponse());
    }

    public override Task<AdjustWorkerResponse> Adjust(AdjustWorkerRequest request, ServerCallContext context)
    {
        var outcome = _adjustments.Request(TranscodeRequestMapper.ToEngine(request.Adjustment ?? new Api.V1.Adjustment()), request.Reset);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("adjustment accepted: {Accepted}; {Detail}", outcome.Accepted, outcome.Detail);
        }
        return Task.FromResult(new AdjustWorkerResponse { Accepted = outcome.Accepted, Detail = outcome.Detail, FromChunk = outcome.FromChunk ?? 0, InForce = outcome.InForce ?? "" });
    }

    public override async Task<ProbeResult> Probe(TranscodeRequest request, ServerCallContext context)
    {
        if (Volatile.Read(ref _started) != 0 || Interlocked.Exchange(ref _probed, 1) != 0)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "a worker probes its input once, before its transcode"));
        }

        using var trace = WorkerTrace.Start(context, "worker.probe");
        ProbeResult result;
        try
        {
            // The input is untrusted from its first byte: the lockdown goes on before it is opened, as for Transcode.
            ApplyLockdown(request);
            var (spec, policy) = TranscodeRequestMapper.ToEngine(request);
            using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_cancellation.Token, context.CancellationToken);
            var probe = await Task.Factory.StartNew(
                () => transcoder.Probe(spec, policy, cancellation.Token), cancellation.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            result = TranscodeRequestMapper.ToWire(probe);
        }
        catch (TranscodeException e)
        {
            result = new ProbeResult { Failure = TranscodeRequestMapper.ToWire(e).Failure };
        }

        result.Spans.AddRange(trace?.Finish() ?? []);
        return result;
    }

    public override Task<WorkerStats> GetStats(GetStatsRequest request, ServerCallContext context)
    {
        using var self = Process.GetCurrentProcess();
        return Task.FromResult(new WorkerStats
        {
            ManagedBytes = GC.GetTotalMemory(forceFullCollection: false),
            RssBytes = self.WorkingSet64,
            Threads = self.Threads.Count,
        });
    }

    /// <summary>
    /// SIGTERM/SIGINT: cancels the running transcode, whose call then reports CANCELLED and stops
    /// the host; with no transcode running, stops the host at once.
    /// </summary>
    public void Stop()
    {
        _cancellation.Cancel();
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            lifetime.StopApplication();
        }
    }

    public void Dispose() => _cancellation.Dispose();

    private async Task<TranscodeEvent> RunAsync(TranscodeRequest request, IProgress<TranscodeProgress> progress)
    {
        try
        {
            // Before anything touches the input: a worker that cannot lock itself down never opens it.
            if (!lockdown.IsInstalled)
            {
                ApplyLockdown(request);
            }

            var (spec, policy) = TranscodeRequestMapper.ToEngine(request);
            var result = await transcoder.RunAsync(spec, policy, progress, _cancellation.Token, _adjustments);
            var completed = new Completed { OutputPath = result.OutputPath, Progress = TranscodeRequestMapper.ToWire(result.Progress) };
            completed.Streams.AddRange(result.Streams);
            completed.Segments.AddRange(result.Segments);
            return new TranscodeEvent { Completed = completed };
        }
        catch (TranscodeException e)
        {
            return new TranscodeEvent { Failed = TranscodeRequestMapper.ToWire(e) };
        }
        catch (OperationCanceledException e)
        {
            return new TranscodeEvent { Failed = TranscodeRequestMapper.ToWire(new TranscodeException(ErrorReason.CANCELLED, "the transcode was cancelled", e)) };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "transcode failed unexpectedly");
            return new TranscodeEvent { Failed = TranscodeRequestMapper.ToWire(new TranscodeException(ErrorReason.INTERNAL, $"{e.GetType().Name}: {e.Message}", e)) };
        }
    }

    private void ApplyLockdown(TranscodeRequest request)
    {
        using var phase = EngineTrace.Phase("worker.lockdown");
        lockdown.Apply(request.LockdownFilter.Span);
    }

    /// <summary>Reports on the caller's thread (unlike <see cref="Progress{T}"/>, which posts to the thread pool and may reorder).</summary>
    private sealed class SynchronousProgress(Action<TranscodeProgress> report) : IProgress<TranscodeProgress>
    {
        public void Report(TranscodeProgress value) => report(value);
    }
}
