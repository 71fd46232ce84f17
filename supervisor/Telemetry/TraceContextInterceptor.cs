using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Sandbox.Supervisor.Telemetry;

/// <summary>
/// Adds the current span's W3C <c>traceparent</c> to every call to a worker, so the worker records its
/// spans in the session's trace (it cannot reach a collector itself).
/// </summary>
internal sealed class TraceContextInterceptor : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithTraceContext(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithTraceContext(context));

    private static ClientInterceptorContext<TRequest, TResponse> WithTraceContext<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C, Recorded: true } current)
        {
            return context;
        }

        var headers = context.Options.Headers ?? [];
        headers.Add("traceparent", current.Id!);
        if (current.TraceStateString is { Length: > 0 } state)
        {
            headers.Add("tracestate", state);
        }

        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}
