using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Sandbox.Supervisor.Configuration;
using Sandbox.Supervisor.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Supervisor.Tests.Deployment;

/// <summary>
/// The deployment files (deploy/, docs/deployment.md), checked as far as they can be without a cluster
/// or a systemd-booted host: every Kubernetes object by structure, the DaemonSet's ports, probes,
/// volumes and settings against each other and against the Service, every <c>Sandbox__</c> variable
/// against <see cref="SupervisorOptions"/> (its name, its value and the supervisor's own validation),
/// the systemd unit's choices and <c>systemd-analyze verify</c>'s verdict on it, and the Dockerfile
/// against the unit and scripts/setup.
/// </summary>
public sealed partial class ManifestTests
{
    private const string Prefix = "Sandbox__";

    /// <summary>Beyond the drain and the workers' stop grace period, for the host to stop and the kill to land.</summary>
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(5);

    private static readonly string Root = PublishedBuild.RepositoryRoot();
    private static readonly string KubernetesDirectory = Path.Combine(Root, "deploy", "kubernetes");
    private static readonly string UnitPath = Path.Combine(Root, "deploy", "systemd", "sandbox.service");
    private static readonly string DockerfilePath = Path.Combine(Root, "deploy", "docker", "Dockerfile");

    /// <summary>What a node runs besides the published build (README *The sandbox*): FFmpeg's libraries, bubblewrap, libseccomp, setpriv.</summary>
    private static readonly string[] RuntimePackages = ["bubblewrap", "ffmpeg", "libseccomp2", "util-linux"];

    /// <summary>What the supervisor cannot do without, as root: cgroups and mounts, dropping workers to their uid, signalling and owning their files.</summary>
    private static readonly string[] RequiredCapabilities = ["CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_KILL", "CAP_DAC_OVERRIDE", "CAP_CHOWN", "CAP_FOWNER"];

    /// <summary>The socket families the supervisor and its workers use: the API's Unix socket, and rtnetlink, over which bubblewrap brings up each worker's loopback.</summary>
    private static readonly string[] RequiredAddressFamilies = ["AF_UNIX", "AF_NETLINK"];

    private static readonly string[] SystemdAnalyzeLocations = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"];

    private static readonly string[] Probes = ["startupProbe", "readinessProbe", "livenessProbe"];

    /// <summary>systemd options that would break the sandbox, and why.</summary>
    private static readonly Dictionary<string, string> ForbiddenUnitOptions = new()
    {
        ["User"] = "the supervisor runs as root to make cgroups, mounts and namespaces and to drop workers to Sandbox:WorkerUser",
        ["DynamicUser"] = "the supervisor runs as root",
        ["PrivateUsers"] = "workers need their own user namespaces",
        ["RestrictNamespaces"] = "workers need user, mount, pid, net, ipc and uts namespaces",
        ["SystemCallFilter"] = "it is inherited by every worker, and bubblewrap and the supervisor need mount, unshare, pivot_root, seccomp and bpf",
        ["ProtectControlGroups"] = "it makes /sys/fs/cgroup read-only, and the workers' cgroups live in the delegated subtree",
        ["ProtectKernelTunables"] = "its mounts over /proc make the kernel refuse bubblewrap's fresh /proc",
        ["ProtectKernelLogs"] = "its mounts over /proc make the kernel refuse bubblewrap's fresh /proc, and it hides /dev/kmsg",
        ["ProtectClock"] = "it implies a device allowlist that the workers' cgroups inherit and that shuts out /dev/kmsg",
        ["PrivateDevices"] = "it hides /dev/kmsg and the devices GPU profiles pass through",
    };

    [Fact]
    public void Every_manifest_is_a_named_kubernetes_object_in_the_sandbox_namespace()
    {
        var objects = Objects();
        var namespaceName = Assert.Single(objects, o => o.Kind == "Namespace").Name;
        foreach (var item in objects.Where(o => o.Kind != "Namespace"))
        {
            Assert.True(item.Namespace == namespaceName, $"{item.File}: {item.Kind} {item.Name} is in namespace '{item.Namespace}', not {namespaceName}");
        }
    }

    [Fact]
    public void The_kustomization_lists_exactly_the_manifests_present()
    {
        var kustomization = Assert.Single(Documents(Path.Combine(KubernetesDirectory, "kustomization.yaml")));
        Assert.Equal("Kustomization", Scalar(kustomization, "kind"));

        var listed = Sequence(kustomization, "resources").Select(r => Scalar(r)).Order(StringComparer.Ordinal);
        Assert.Equal(ManifestFiles().Select(f => Path.GetRelativePath(KubernetesDirectory, f)).Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public void The_daemonset_serves_grpc_and_metrics_where_its_ports_probes_and_annotations_say()
    {
        var (pod, container) = Supervisor();
        var options = Bind(Environment(container));
        var ports = Sequence(container, "ports").ToDictionary(p => Scalar(p, "name"), p => int.Parse(Scalar(p, "containerPort")));

        Assert.Equal("0.0.0.0", options.TcpAddress);
        Assert.Equal(ports["grpc"], options.TcpPort);
        Assert.Equal(ports["metrics"], options.MetricsPort);
        foreach (var probe in Probes)
        {
            // No service name: the supervisor registers its health for the whole server ("").
            var grpc = (YamlMappingNode)Child(container, probe, "grpc");
            Assert.True(Scalar(grpc, "port") == options.TcpPort.ToString() && grpc.Children.Count == 1, $"{probe}: {grpc}");
        }

        Assert.Equal(("true", options.MetricsPort.ToString(), "/metrics"), (
            Scalar(pod, "metadata", "annotations", "prometheus.io/scrape"),
            Scalar(pod, "metadata", "annotations", "prometheus.io/port"),
            Scalar(pod, "metadata", "annotations", "prometheus.io/path")));
    }

    [Fact]
    public void The_daemonset_runs_one_privileged_supervisor_per_node_in_a_delegated_subtree()
    {
        var daemonSet = Object("DaemonSet").Node;
        var (pod, container) = Supervisor();
        var options = Bind(Environment(container));

        Assert.Matches(ImagePattern(), Scalar(container, "image"));
        Assert.Equal("true", Scalar(container, "securityContext", "privileged"));
        Assert.Equal("delegated", options.CgroupDriver);

        // Two supervisors on one node would share its state directory.
        Assert.Equal("0", Scalar(daemonSet, "spec", "updateStrategy", "rollingUpdate", "maxSurge"));

        var grace = TimeSpan.FromSeconds(int.Parse(Scalar(pod, "spec", "terminationGracePeriodSeconds")));
        Assert.True(grace >= options.DrainTimeout + options.StopGracePeriod + StopMargin, $"terminationGracePeriodSeconds {grace.TotalSeconds} s leaves no room to drain ({options.DrainTimeout}) and stop workers ({options.StopGracePeriod})");
    }

    [Fact]
    public void The_daemonset_mounts_every_volume_it_declares_and_keeps_its_state_on_the_node()
    {
        var (pod, container) = Supervisor();
        var options = Bind(Environment(container));
        var volumes = Sequence(pod, "spec", "volumes").ToDictionary(v => Scalar(v, "name"), v => (YamlMappingNode)v);
        var mounts = Sequence(container, "volumeMounts").Select(m => (Volume: Scalar(m, "name"), Path: Scalar(m, "mountPath"), ReadOnly: Optional(m, "readOnly") == "true")).ToList();

        Assert.All(mounts, m => Assert.True(volumes.ContainsKey(m.Volume), $"volumeMount {m.Path} names no volume '{m.Volume}'"));
        Assert.Equal(volumes.Keys.Order(StringComparer.Ordinal), mounts.Select(m => m.Volume).Distinct().Order(StringComparer.Ordinal));

        // sessions.db must outlive the pod, so that its successor on the node resumes the sessions.
        var state = Assert.Single(mounts, m => m.Path == options.StateDirectory);
        Assert.True(volumes[state.Volume].Children.ContainsKey("hostPath"), $"the state directory's volume is not on the node: {volumes[state.Volume]}");

        Assert.All(options.InputRoots, r => Assert.Contains(mounts, m => IsUnder(r, m.Path)));
        Assert.All(options.OutputRoots, r => Assert.Contains(mounts, m => IsUnder(r, m.Path) && !m.ReadOnly));

        // The media claim every node mounts is a manifest here, shared by all nodes.
        var claims = volumes.Values.Where(v => v.Children.ContainsKey("persistentVolumeClaim")).Select(v => Scalar(v, "persistentVolumeClaim", "claimName"));
        Assert.All(claims, c => Assert.Contains("ReadWriteMany", Sequence(Object("PersistentVolumeClaim", c).Node, "spec", "accessModes").Select(a => Scalar(a))));
    }

    [Fact]
    public void The_memory_budget_and_the_kernel_caps_headroom_fit_the_pods_memory_limit()
    {
        var (_, container) = Supervisor();
        var options = Bind(Environment(container));
        var limit = Quantity(Scalar(container, "resources", "limits", "memory"));

        // The default budget is a share of the node's memory, which knows nothing of the pod's limit.
        Assert.True(options.Memory.Budget > 0, "Sandbox__Memory__Budget is not set");
        Assert.True(options.Memory.Budget + options.Memory.KernelCapHeadroomBytes < limit, $"budget {options.Memory.Budget} + headroom {options.Memory.KernelCapHeadroomBytes} does not fit the limit {limit}");
    }

    [Fact]
    public void The_service_is_headless_and_reaches_the_supervisors_grpc_port()
    {
        var service = Object("Service").Node;
        var (pod, container) = Supervisor();
        var labels = (YamlMappingNode)Child(pod, "metadata", "labels");
        var grpcPort = Sequence(container, "ports").Single(p => Scalar(p, "name") == "grpc");

        Assert.Equal("None", Scalar(service, "spec", "clusterIP"));
        foreach (var (key, value) in (YamlMappingNode)Child(service, "spec", "selector"))
        {
            Assert.True(Optional(labels, Scalar(key)) == Scalar(value), $"the Service selects {key}={value}, which the DaemonSet's pods do not carry");
        }

        var port = Assert.Single(Sequence(service, "spec", "ports"));
        Assert.Contains(Scalar(port, "targetPort"), new[] { "grpc", Scalar(grpcPort, "containerPort") });

        // Clients dial the pods' own addresses (dns:///…:PORT): the Service's port must be the container's.
        Assert.Equal(Scalar(grpcPort, "containerPort"), Scalar(port, "port"));
    }

    [Fact]
    public void Every_setting_in_the_daemonset_and_the_unit_is_a_supervisor_option_that_passes_validation()
    {
        using var roots = new TempDirectory();
        var sources = new[] { ("daemonset.yaml", Environment(Supervisor().Container)), ("sandbox.service", SystemdUnit.Load(UnitPath).Environment) };
        foreach (var (file, environment) in sources)
        {
            Assert.All(environment.Keys, name => AssertIsOption(name, file));

            // The media roots are placeholders that need not exist on this machine; every other setting is checked as is.
            var options = Bind(environment);
            options.InputRoots = [roots.Path];
            options.OutputRoots = [roots.Path];
            var result = new SupervisorOptionsValidator().Validate(null, options);
            Assert.True(result.Succeeded, $"{file}: {result.FailureMessage}");
        }
    }

    [Fact]
    public void The_unit_runs_sandbox_serve_as_root_in_its_delegated_subtree_without_breaking_namespaces()
    {
        var unit = SystemdUnit.Load(UnitPath);
        var options = Bind(unit.Environment);

        Assert.Equal("/opt/sandbox/sandbox serve", unit.Single("ExecStart"));
        Assert.Equal(("yes", "delegated"), (unit.Single("Delegate"), options.CgroupDriver));
        foreach (var (option, why) in ForbiddenUnitOptions)
        {
            Assert.True(unit.Values(option).Count == 0, $"{option}= must not be set: {why}");
        }

        var capabilities = Words(unit.Single("CapabilityBoundingSet"));
        Assert.Empty(RequiredCapabilities.Except(capabilities));
        Assert.DoesNotContain("CAP_SYS_PTRACE", capabilities);

        Assert.Empty(RequiredAddressFamilies.Except(Words(unit.Single("RestrictAddressFamilies"))));

        // The directories systemd makes are the ones the supervisor uses, and every output root is writable.
        Assert.Equal(options.StateDirectory, "/var/lib/" + unit.Single("StateDirectory"));
        Assert.Equal(Path.GetDirectoryName(options.Socket), "/run/" + unit.Single("RuntimeDirectory"));
        var writable = unit.Values("ReadWritePaths").SelectMany(Words).Select(p => p.TrimStart('-')).ToList();
        Assert.All(options.OutputRoots, r => Assert.Contains(writable, w => IsUnder(r, w)));

        // SIGTERM to the supervisor alone, which drains and stops its workers before systemd's SIGKILL.
        Assert.Equal("mixed", unit.Single("KillMode"));
        var stop = TimeSpan.FromSeconds(int.Parse(unit.Single("TimeoutStopSec")));
        Assert.True(stop >= options.DrainTimeout + options.StopGracePeriod + StopMargin, $"TimeoutStopSec={stop.TotalSeconds} leaves no room to drain");
    }

    [Fact]
    public async Task Systemd_analyze_verifies_the_unit()
    {
        var analyze = SystemdAnalyzeLocations.FirstOrDefault(File.Exists);
        Assert.True(analyze is not null, "systemd-analyze is not installed (Debian: apt-get install systemd), and it is what checks deploy/systemd/sandbox.service");

        // verify also requires ExecStart's program to exist, and no build machine has /opt/sandbox: the copy
        // starts /bin/true instead. Every other line is the unit as shipped.
        using var directory = new TempDirectory();
        var lines = await File.ReadAllLinesAsync(UnitPath);
        var copy = lines.Select(l => l.StartsWith("ExecStart=/opt/sandbox/sandbox ", StringComparison.Ordinal) ? "ExecStart=/bin/true serve" : l).ToArray();
        Assert.Single(lines.Zip(copy), pair => pair.First != pair.Second);
        var unit = directory.File("sandbox.service");
        await File.WriteAllLinesAsync(unit, copy);

        var result = await ChildProcess.RunAsync(analyze, ["verify", unit], TimeSpan.FromMinutes(1));

        // It reports unknown options and unparsable values as warnings with exit code 0, each naming the unit.
        var complaints = (result.StandardOutput + result.StandardError).Split('\n').Where(l => l.Contains("sandbox.service", StringComparison.Ordinal)).ToList();
        Assert.True(result.ExitCode == 0 && complaints.Count == 0, $"systemd-analyze verify exited {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}");
    }

    [Fact]
    public void The_image_is_the_published_directory_on_debian_12_with_the_runtime_packages()
    {
        var instructions = DockerInstructions(File.ReadAllLines(DockerfilePath));

        Assert.Equal("debian:12-slim", instructions["FROM"].Single());
        Assert.Equal("artifacts/sandbox-linux-x64/ /opt/sandbox/", instructions["COPY"].Single());

        // The same command as the systemd unit's.
        Assert.Equal($"[\"{string.Join("\", \"", SystemdUnit.Load(UnitPath).Single("ExecStart").Split(' '))}\"]", instructions["ENTRYPOINT"].Single());

        var installed = instructions["RUN"].Select(r => AptInstallPattern().Match(r)).Where(m => m.Success)
            .SelectMany(m => Words(m.Groups["packages"].Value)).Order(StringComparer.Ordinal);
        Assert.Equal(RuntimePackages, installed);
        Assert.Empty(RuntimePackages.Except(SetupPackages()));
    }

    /// <summary>Every Kubernetes object in deploy/kubernetes, each checked to have an apiVersion, a kind and a name.</summary>
    private static List<KubernetesObject> Objects()
    {
        var objects = new List<KubernetesObject>();
        foreach (var file in ManifestFiles())
        {
            foreach (var document in Documents(file))
            {
                var name = Path.GetFileName(file);
                Assert.True(Optional(document, "apiVersion") is { Length: > 0 } && Optional(document, "kind") is { Length: > 0 } && Optional(document, "metadata", "name") is { Length: > 0 }, $"{name}: an object without apiVersion, kind or metadata.name: {document}");
                objects.Add(new KubernetesObject(name, Scalar(document, "kind"), Scalar(document, "metadata", "name"), Optional(document, "metadata", "namespace"), document));
            }
        }

        Assert.NotEmpty(objects);
        return objects;
    }

    private static KubernetesObject Object(string kind, string? name = null) =>
        Assert.Single(Objects(), o => o.Kind == kind && (name is null || o.Name == name));

    /// <summary>The DaemonSet's pod template and its one container, the supervisor.</summary>
    private static (YamlMappingNode Pod, YamlMappingNode Container) Supervisor()
    {
        var pod = (YamlMappingNode)Child(Object("DaemonSet").Node, "spec", "template");
        return (pod, (YamlMappingNode)Assert.Single(Sequence(pod, "spec", "containers")));
    }

    /// <summary>The files kustomization.yaml should list: every other file of the directory, all YAML.</summary>
    private static List<string> ManifestFiles()
    {
        var files = Directory.EnumerateFiles(KubernetesDirectory).Where(f => Path.GetFileName(f) != "kustomization.yaml").ToList();
        Assert.All(files, f => Assert.EndsWith(".yaml", f, StringComparison.Ordinal));
        return files;
    }

    private static List<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(file))
        {
            stream.Load(reader);
        }

        Assert.All(stream.Documents, d => Assert.IsType<YamlMappingNode>(d.RootNode));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static Dictionary<string, string> Environment(YamlMappingNode container) =>
        Sequence(container, "env").ToDictionary(e => Scalar(e, "name"), e => Scalar(e, "value"), StringComparer.Ordinal);

    private static YamlNode Child(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            var parent = node;
            Assert.True(parent is YamlMappingNode mapping && mapping.Children.TryGetValue(key, out node!), $"no '{key}' in {parent}");
        }

        return node;
    }

    private static string Scalar(YamlNode node, params string[] path) =>
        Child(node, path) is YamlScalarNode { Value: { } value } ? value : throw new InvalidDataException($"{string.Join('.', path)} is not a scalar in {node}");

    private static string? Optional(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(key, out node!))
            {
                return null;
            }
        }

        return (node as YamlScalarNode)?.Value;
    }

    private static YamlSequenceNode Sequence(YamlNode node, params string[] path) => Assert.IsType<YamlSequenceNode>(Child(node, path));

    /// <summary>A Kubernetes quantity in bytes (<c>8Gi</c>, <c>512Mi</c>, <c>1000000</c>).</summary>
    private static long Quantity(string value)
    {
        var match = QuantityPattern().Match(value);
        Assert.True(match.Success, $"'{value}' is not a quantity in Ki, Mi, Gi or Ti");
        var shift = match.Groups["unit"].Value switch { "Ki" => 10, "Mi" => 20, "Gi" => 30, "Ti" => 40, _ => 0 };
        return long.Parse(match.Groups["number"].Value) << shift;
    }

    /// <summary>Settings as the supervisor binds them from its environment (<c>Sandbox__A__B</c> → <c>Sandbox:A:B</c>), on top of the defaults.</summary>
    private static SupervisorOptions Bind(IReadOnlyDictionary<string, string> environment) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build()
            .GetSection(SupervisorOptions.Section)
            .Get<SupervisorOptions>() ?? new SupervisorOptions();

    /// <summary><c>Sandbox__A__B__0</c> must name a settable property A of SupervisorOptions, B of A's type, and a list where an index follows.</summary>
    private static void AssertIsOption(string variable, string file)
    {
        Assert.True(variable.StartsWith(Prefix, StringComparison.Ordinal), $"{file}: {variable} is not a Sandbox__ setting");
        Type? type = typeof(SupervisorOptions);
        foreach (var segment in variable[Prefix.Length..].Split("__"))
        {
            if (int.TryParse(segment, out _))
            {
                type = type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>))?.GetGenericArguments()[0];
                Assert.True(type is not null, $"{file}: {variable} indexes a setting that is not a list");
                continue;
            }

            var property = type.GetProperty(segment);
            Assert.True(property is { CanWrite: true }, $"{file}: {variable}: {type.Name} has no settable property {segment}");
            type = property.PropertyType;
        }
    }

    private static bool IsUnder(string path, string directory) =>
        path == directory || path.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>The Dockerfile's instructions by keyword, continuation lines joined and comments left out.</summary>
    private static ILookup<string, string> DockerInstructions(IEnumerable<string> lines)
    {
        var joined = string.Join('\n', lines.Where(l => !l.TrimStart().StartsWith('#'))).Replace("\\\n", " ", StringComparison.Ordinal);
        return joined.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 2))
            .ToLookup(parts => parts[0], parts => SpacesPattern().Replace(parts[1], " "));
    }

    /// <summary>The Debian packages scripts/setup installs (its <c>packages=( … )</c> list).</summary>
    private static string[] SetupPackages()
    {
        var setup = File.ReadAllText(Path.Combine(Root, "scripts", "setup"));
        var list = SetupPackagesPattern().Match(setup);
        Assert.True(list.Success, "scripts/setup has no packages=( … ) list");
        return Words(list.Groups["packages"].Value);
    }

    /// <summary>The whitespace-separated words of <paramref name="text"/>.</summary>
    private static string[] Words(string text) => SpacesPattern().Split(text.Trim());

    [GeneratedRegex(@"^[a-z0-9.-]+(:\d+)?/[a-z0-9./_-]+:[A-Za-z0-9._-]+$")]
    private static partial Regex ImagePattern();

    [GeneratedRegex(@"^(?<number>\d+)(?<unit>Ki|Mi|Gi|Ti)?$")]
    private static partial Regex QuantityPattern();

    [GeneratedRegex(@"apt-get install(?: -\S+)* (?<packages>[a-z0-9.+-]+(?: [a-z0-9.+-]+)*)")]
    private static partial Regex AptInstallPattern();

    [GeneratedRegex(@"^packages=\((?<packages>[^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex SetupPackagesPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpacesPattern();

    private sealed record KubernetesObject(string File, string Kind, string Name, string? Namespace, YamlMappingNode Node);

    /// <summary>A systemd unit file read as systemd does for the simple cases it uses: sections of <c>Key=value</c> lines, keys repeatable.</summary>
    private sealed class SystemdUnit
    {
        private readonly ILookup<string, string> _settings;

        private SystemdUnit(ILookup<string, string> settings) => _settings = settings;

        /// <summary>The <c>Environment=NAME=value</c> assignments, one per line.</summary>
        public Dictionary<string, string> Environment =>
            Values("Environment").Select(v => v.Split('=', 2)).ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

        public static SystemdUnit Load(string path)
        {
            var settings = new List<(string Key, string Value)>();
            foreach (var line in File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] is not ('#' or ';' or '[')))
            {
                // Kept simple on purpose: no continuations, no quoting, one assignment per Environment= line.
                Assert.False(line.EndsWith('\\') || line.Contains('"'), $"{path}: '{line}' needs a fuller parser than this test has");
                var parts = line.Split('=', 2);
                Assert.True(parts.Length == 2, $"{path}: '{line}' is not Key=value");
                settings.Add((parts[0], parts[1]));
            }

            return new SystemdUnit(settings.ToLookup(s => s.Key, s => s.Value, StringComparer.Ordinal));
        }

        public IReadOnlyList<string> Values(string key) => [.. _settings[key]];

        public string Single(string key) => Assert.Single(_settings[key]);
    }
}
