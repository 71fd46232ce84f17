namespace Sandbox.Supervisor.Configuration;

/// <summary>
/// The supervisor's settings, bound from <c>appsettings.json</c>, <c>SANDBOX_</c> environment
/// variables and the command line (section <c>Sandbox</c>), and validated at start.
/// </summary>
public sealed class SupervisorOptions
{
    public const string Section = "Sandbox";

    /// <summary>Unix socket the API listens on; its directory is made 0750 and the socket 0660.</summary>
    public string Socket { get; set; } = "/run/sandbox/sandbox.sock";

    /// <summary>Group allowed to connect to the socket besides the owner; empty = owner only.</summary>
    public string SocketGroup { get; set; } = "";

    /// <summary>Also serve the gRPC API over TCP at this port, on <see cref="TcpAddress"/> (0 = no TCP listener).</summary>
    public int TcpPort { get; set; }

    /// <summary>
    /// The address the TCP listeners bind (the API's <see cref="TcpPort"/>, the metrics' <see cref="MetricsPort"/>):
    /// loopback by default; <c>0.0.0.0</c> in a pod or behind a firewall. TCP has no authentication.
    /// </summary>
    public string TcpAddress { get; set; } = "127.0.0.1";

    /// <summary><c>text</c> (one line per entry, for people) or <c>json</c> (one JSON object per line, for log shippers).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>Append every session's trace (supervisor and worker spans) to this file, one JSON object per span and line; empty = off.</summary>
    public string TraceFile { get; set; } = "";

    /// <summary>Serve Prometheus metrics at <c>http://TcpAddress:MetricsPort/metrics</c> (HTTP/1.1; 0 = off).</summary>
    public int MetricsPort { get; set; }

    /// <summary>Where uploads, downloads and per-worker socket directories live.</summary>
    public string StateDirectory { get; set; } = "/var/lib/sandbox";

    /// <summary>Input paths of sessions must be under one of these.</summary>
    public List<string> InputRoots { get; set; } = [];

    /// <summary>Output paths of sessions must be under one of these.</summary>
    public List<string> OutputRoots { get; set; } = [];

    /// <summary>Sessions running at once; each runs in its own worker process.</summary>
    public int MaxConcurrentSessions { get; set; } = Environment.ProcessorCount;

    /// <summary>Sessions waiting for a slot; Submit answers CAPACITY_EXHAUSTED beyond this.</summary>
    public int MaxQueuedSessions { get; set; } = 256;

    /// <summary>The worker to start: a <c>.dll</c> (run with dotnet) or an executable. Empty = the one built next to the supervisor.</summary>
    public string WorkerPath { get; set; } = "";

    /// <summary>How long a worker may take to print READY.</summary>
    public TimeSpan WorkerStartTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Between asking a worker to stop (SIGTERM via gRPC cancel) and killing it.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest upload accepted, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 4L << 30;

    /// <summary>Encoders the health check requires; missing ones make the service NOT_SERVING.</summary>
    public List<string> RequiredEncoders { get; set; } = ["libx264", "aac"];

    /// <summary>
    /// <c>auto</c> (v2 when usable, else v1, else none), <c>v2</c>, <c>v1</c>, <c>delegated</c> (v2 in the
    /// subtree this process was started in, even as root: systemd's <c>Delegate=yes</c>, a container's
    /// own cgroup), or <c>none</c> (no limits; for unprivileged development only).
    /// </summary>
    public string CgroupDriver { get; set; } = "auto";

    /// <summary><c>auto</c> (bubblewrap when installed), <c>bwrap</c> (required), or <c>off</c> (workers share the supervisor's namespaces).</summary>
    public string Namespaces { get; set; } = "auto";

    /// <summary>
    /// <c>UID:GID</c> workers run as when the supervisor is root (dropped with setpriv before the
    /// namespaces are made); empty = the supervisor's own user. Ignored when the supervisor is not root.
    /// </summary>
    public string WorkerUser { get; set; } = "65534:65534";

    /// <summary>Directory of sandbox profiles (<c>NAME.json</c>). Empty = the <c>sandbox-profiles</c> shipped next to the supervisor.</summary>
    public string ProfilesDirectory { get; set; } = "";

    /// <summary>
    /// Tests only: start workers with <c>--allow-fault-injection</c>, so they serve the
    /// <c>sandbox.worker.v1.FaultInjection</c> service on their socket. Off unless asked for.
    /// </summary>
    public bool EnableFaultInjection { get; set; }

    /// <summary>
    /// Fresh workers a session may get after its worker died (a crash, an OOM kill, a lost
    /// connection); each continues from the session's last checkpoint. 3: a transient fault
    /// (memory pressure, a killed process) rarely strikes three times, while an input that crashes
    /// the decoder every time should stop costing machine time quickly.
    /// </summary>
    public int MaxRestartsPerSession { get; set; } = 3;

    /// <summary>Backoff before the second restart of a session (the first is immediate); it doubles, with jitter, up to <see cref="RestartMaxDelay"/>.</summary>
    public TimeSpan RestartBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between restarts of a session.</summary>
    public TimeSpan RestartMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Supervisor-wide restart intensity, as an OTP supervisor's: more than this many restarts within
    /// <see cref="RestartIntensityWindow"/> means something is wrong beyond one input (a bad host, a
    /// broken FFmpeg), so no more restarts are made and new sessions are refused with
    /// CAPACITY_EXHAUSTED until the window has room again. 20 in 60 s: well above what a few bad
    /// inputs on a busy node cause, well below a crash loop on every slot.
    /// </summary>
    public int RestartIntensity { get; set; } = 20;

    public TimeSpan RestartIntensityWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A worker that reports no progress for this long is killed and its death classified as a
    /// hang (then restarted like a crash). Workers report at least twice a second while media flows,
    /// so 2 minutes only fires on a worker that is stuck (an endless loop in a decoder, a frozen process).
    /// </summary>
    public TimeSpan HangTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A death of the same class at the same place in the same input this many times makes the input
    /// poison: the session fails with POISON_INPUT and the input is refused until an operator clears
    /// it. 2: once may be chance (memory pressure, a killed process), twice at the same position is the input.
    /// </summary>
    public int PoisonThreshold { get; set; } = 2;

    /// <summary>
    /// On shutdown (SIGTERM), how long running sessions get to make their next chunk durable before
    /// their workers are stopped, so that the next supervisor resumes them with little to redo.
    /// 10 s: more than two default 4 s chunks at real-time speed, well inside the 30 s a service
    /// manager allows (systemd's TimeoutStopSec, Kubernetes' terminationGracePeriodSeconds) with the
    /// stop grace period after it. 0 = stop the workers at once.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Warm workers kept idle at least (0 = no pool): pre-started, already sandboxed, each used by
    /// one session only, so a session or a restart does not wait for a worker's start-up. 1: the
    /// next session on a quiet node starts at once, for the ~60 MiB an idle worker holds.
    /// </summary>
    public int WarmWorkers { get; set; } = 1;

    /// <summary>Warm workers kept idle at most, when demand has grown the pool (each miss adds one). Default: as many as session slots.</summary>
    public int MaxWarmWorkers { get; set; } = Environment.ProcessorCount;

    /// <summary>A pool grown by misses shrinks by one worker after this long without one.</summary>
    public TimeSpan WarmPoolShrinkAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The profile warm workers are started with; sessions of other profiles start their own.</summary>
    public string WarmProfile { get; set; } = "default";

    /// <summary>Memory sampling and the memory policy's constants (see README *Memory governance*).</summary>
    public Memory.MemoryOptions Memory { get; set; } = new();

    /// <summary>GPU devices and their encoder-session caps (a session's <c>hardware</c> preference).</summary>
    public Hardware.HardwareOptions Hardware { get; set; } = new();

    /// <summary>Finished sessions kept for Get/List/Watch before they are forgotten.</summary>
    public int RetainedSessions { get; set; } = 10_000;
}
