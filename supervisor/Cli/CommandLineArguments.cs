namespace Sandbox.Supervisor.Cli;

/// <summary>A command line split into positional arguments, options with values (repeatable) and flags.</summary>
internal sealed class CommandLineArguments
{
    private readonly Dictionary<string, List<string>> _options = [];
    private readonly HashSet<string> _flags = [];

    public CommandLineArguments(IEnumerable<string> args, IReadOnlySet<string> flagNames)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                Positional.Add(arg);
            }
            else if (arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                Add(arg[..eq], arg[(eq + 1)..]);
            }
            else if (flagNames.Contains(arg))
            {
                _flags.Add(arg);
            }
            else if (i + 1 < list.Count)
            {
                Add(arg, list[++i]);
            }
            else
            {
                throw new UsageException($"{arg} needs a value");
            }
        }
    }

    public List<string> Positional { get; } = [];

    public bool Flag(string name) => _flags.Contains(name);

    public string? Value(string name) => _options.TryGetValue(name, out var values) ? values[^1] : null;

    public IReadOnlyList<string> Values(string name) => _options.TryGetValue(name, out var values) ? values : [];

    public IEnumerable<string> OptionNames => _options.Keys;

    /// <summary>The options again as arguments, minus <paramref name="except"/> (to hand the rest to another parser).</summary>
    public IEnumerable<string> Rest(params string[] except) =>
        _options.Where(o => !except.Contains(o.Key)).SelectMany(o => o.Value.SelectMany(v => new[] { o.Key, v }))
            .Concat(_flags.Where(f => !except.Contains(f)));

    private void Add(string name, string value)
    {
        if (!_options.TryGetValue(name, out var values))
        {
            _options[name] = values = [];
        }

        values.Add(value);
    }
}
