namespace ReSpike.Registry;

/// <summary>
/// Names mapped to entries (a factory plus a one-line description), in registration order. The CLI takes its
/// allowed values and --help choices from <see cref="Names"/>, so a new entry is one registration away from the
/// command line. Names are case-insensitive; aliases resolve but are not listed as choices. A duplicate name is
/// an error; an unknown name is an error that names the flag and lists the choices.
/// </summary>
/// <typeparam name="T">The entry type; its <see cref="IRegistryEntry.Name"/> is the key.</typeparam>
public sealed class Registry<T> where T : class, IRegistryEntry
{
    readonly List<T> _entries = [];
    readonly Dictionary<string, T> _byName = new(StringComparer.Ordinal);
    readonly object _lock = new();

    /// <param name="kind">What an entry is, for messages: "model", "backbone", "sampler"...</param>
    /// <param name="flag">The command-line flag that chooses an entry (e.g. "--model"), or null when none does.</param>
    /// <param name="hint">Extra words after the list of choices in an unknown-name error (e.g. how to pass a parameter).</param>
    public Registry(string kind, string? flag = null, string? hint = null)
    {
        Kind = kind;
        Flag = flag;
        Hint = hint;
    }

    public string Kind { get; }
    public string? Flag { get; }
    public string? Hint { get; }

    /// <summary>The registered entries in registration order.</summary>
    public IReadOnlyList<T> Entries { get { lock (_lock) return [.. _entries]; } }

    /// <summary>The registered names in registration order (the CLI's choices; aliases are not listed).</summary>
    public IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToList();

    /// <summary>Registers an entry under its name and any aliases; a name already taken throws.</summary>
    public T Add(T entry, params string[] aliases)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var keys = aliases.Prepend(entry.Name).Select(Normalize).ToList();
        lock (_lock)
        {
            foreach (var key in keys)
            {
                if (key.Length == 0) throw new ArgumentException($"a {Kind} needs a name");
                if (_byName.TryGetValue(key, out var taken))
                    throw new ArgumentException($"{Kind} '{key}' is already registered (as '{taken.Name}': {taken.Description})");
            }
            if (keys.Distinct().Count() != keys.Count) throw new ArgumentException($"{Kind} '{entry.Name}': an alias repeats a name");
            foreach (var key in keys) _byName[key] = entry;
            _entries.Add(entry);
        }
        return entry;
    }

    /// <summary>Whether <paramref name="name"/> (or an alias) is registered.</summary>
    public bool Contains(string name) => TryGet(name, out _);

    public bool TryGet(string name, out T entry)
    {
        lock (_lock) return _byName.TryGetValue(Normalize(name), out entry!);
    }

    /// <summary>The entry of a name or alias; an unknown name throws an <see cref="ArgumentException"/> naming the flag and the choices.</summary>
    public T Get(string name) => TryGet(name, out var entry) ? entry : throw Unknown(name);

    /// <summary>The error for a name that is not registered, e.g. "--model: unknown model 'x' (use respike, ann)".</summary>
    public ArgumentException Unknown(string name) =>
        new($"{(Flag is null ? "" : Flag + ": ")}unknown {Kind} '{name}' (use {string.Join(", ", Names)}){(Hint is null ? "" : "; " + Hint)}");

    static string Normalize(string name) => name.Trim().ToLowerInvariant();
}
