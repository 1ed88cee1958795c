using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace ReSpike.Cli;

/// <summary>The headed groups a verb's --help lists its options under, in this order.</summary>
enum HelpGroup { Model, Data, Optimisation, Measurement, Output, Run }

/// <summary>
/// `--help` laid out as the dotnet CLI's: the root lists one line per verb (its summary); a verb's help has its
/// description, usage, arguments, its options under group headers (<see cref="HelpGroup"/>) with value placeholders
/// (<c>--out &lt;DIR&gt;</c>) and every default as <c>[default: X]</c>, its subcommands and its examples.
/// </summary>
/// <remarks>
/// System.CommandLine 3.0 keeps its HelpBuilder internal (only <see cref="HelpAction"/> and <see cref="HelpOption"/>
/// are public), so grouping is done by replacing the root's <see cref="HelpOption"/> action with <see cref="GroupedHelpAction"/>,
/// which renders the whole page from the command tree and the metadata this class keeps beside it (group, default
/// text and choices of an option; details and examples of a verb).
/// </remarks>
static class CliHelp
{
    public const string Tool = "respike";

    sealed class OptionInfo
    {
        public HelpGroup? Group;
        public string? DefaultText;
        public IReadOnlyList<string>? Choices;
    }

    sealed record VerbInfo(string? Details, IReadOnlyList<string> Examples);

    static readonly ConditionalWeakTable<Option, OptionInfo> Options = new();
    static readonly ConditionalWeakTable<Command, VerbInfo> Verbs = new();

    static OptionInfo Info(Option option) => Options.GetValue(option, _ => new OptionInfo());

    static readonly string[] GroupTitles = ["Model options", "Data options", "Optimisation options", "Measurement options", "Output options", "Run options"];

    static string Title(HelpGroup group) => GroupTitles[(int)group];

    /// <summary>Lists the option under <paramref name="group"/>'s header in --help.</summary>
    public static TOption InGroup<TOption>(this TOption option, HelpGroup group) where TOption : Option
    {
        Info(option).Group = group;
        return option;
    }

    /// <summary>The default --help shows as <c>[default: text]</c>, for options whose default is not a fixed value (it comes from a config or checkpoint).</summary>
    public static TOption DefaultText<TOption>(this TOption option, string text) where TOption : Option
    {
        Info(option).DefaultText = text;
        return option;
    }

    /// <summary>
    /// Restricts an option to fixed values: tab completion offers them, and any other value is a parse error
    /// (exit 2) naming the flag and the allowed values ("--crops: unknown value '2' (use 1, 3)").
    /// </summary>
    public static Option<T> AcceptOnly<T>(this Option<T> option, params IReadOnlyList<string> values)
    {
        Info(option).Choices = values;
        option.CompletionSources.Add([.. values]);
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (!values.Contains(token.Value, StringComparer.Ordinal))
                    result.AddError($"{option.Name}: unknown value '{token.Value}' (use {string.Join(", ", values)})");
        });
        return option;
    }

    /// <summary>Records the values an option accepts when another validator enforces them (a registry's names).</summary>
    public static TOption WithChoices<TOption>(this TOption option, IReadOnlyList<string> values) where TOption : Option
    {
        Info(option).Choices = values;
        return option;
    }

    /// <summary>The group an option was put in (null: none).</summary>
    public static HelpGroup? GroupOf(Option option) => Options.TryGetValue(option, out var info) ? info.Group : null;

    /// <summary>The fixed values <see cref="AcceptOnly"/> allows (null: not a fixed choice).</summary>
    public static IReadOnlyList<string>? ChoicesOf(Option option) => Options.TryGetValue(option, out var info) ? info.Choices : null;

    /// <summary>A verb's help beyond its one-line summary (the command's Description): more text and the examples.</summary>
    public static TCommand Document<TCommand>(this TCommand command, string? details, params IReadOnlyList<string> examples) where TCommand : Command
    {
        Verbs.AddOrUpdate(command, new VerbInfo(details, examples));
        return command;
    }

    /// <summary>Puts the grouped help on every command under <paramref name="root"/> and gives each valued option a placeholder.</summary>
    public static RootCommand Install(RootCommand root)
    {
        foreach (var help in root.Options.OfType<HelpOption>()) help.Action = new GroupedHelpAction();
        foreach (var command in Walk(root))
            foreach (var option in command.Options)
                if (option.HelpName is null && TakesValue(option))
                    option.HelpName = Placeholder(option);
        return root;
    }

    public static IEnumerable<Command> Walk(Command command) =>
        command.Subcommands.SelectMany(Walk).Prepend(command);

    /// <summary>Whether an option is followed by a value (a flag such as --no-cache is not, though it would parse "true").</summary>
    public static bool TakesValue(Option option) =>
        option.Arity.MaximumNumberOfValues > 0 && (Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType) != typeof(bool);

    /// <summary>The value placeholder for an option without a HelpName: its choices, or what its type reads (N, F, FILE, DIR).</summary>
    static string Placeholder(Option option)
    {
        if (ChoicesOf(option) is { } choices) return string.Join("|", choices);
        var type = option.ValueType;
        if (type.IsArray) type = type.GetElementType()!;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long)) return "N";
        if (type == typeof(double) || type == typeof(float)) return "F";
        if (type == typeof(FileInfo)) return "FILE";
        if (type == typeof(DirectoryInfo)) return "DIR";
        return "VALUE";
    }

    /// <summary>The words that invoke a command: "respike energy plot".</summary>
    public static string PathOf(Command command)
    {
        var words = new List<string>();
        for (Command? c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
            words.Insert(0, c.Name);
        return string.Join(" ", words.Prepend(Tool));
    }

    /// <summary>The first line of a command's description (the root help lists only that).</summary>
    public static string Summary(Command command) =>
        (command.Description ?? "").Split('\n', 2)[0].Trim();

    /// <summary>The command's options and the recursive ones of its ancestors (--help), hidden ones left out.</summary>
    static List<Option> VisibleOptions(Command command)
    {
        var options = command.Options.Where(o => !o.Hidden).ToList();
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
            options.AddRange(parent.Options.Where(o => o.Recursive && !o.Hidden && !options.Contains(o)));
        return options;
    }

    static string Label(Option option)
    {
        var names = option.Aliases.Where(a => !a.StartsWith('/')).Order(StringComparer.Ordinal).Append(option.Name);
        var label = new StringBuilder(string.Join(", ", names));
        if (TakesValue(option) && option.HelpName is { } placeholder)
            label.Append(option.Arity.MinimumNumberOfValues == 0 ? $" [<{placeholder}>]" : $" <{placeholder}>");
        if (option.Required) label.Append(" (REQUIRED)");
        return label.ToString();
    }

    static string? DefaultOf(Option option)
    {
        if (Options.TryGetValue(option, out var info) && info.DefaultText is { } text) return text;
        if (!option.HasDefaultValue || option.Required) return null;
        return option.GetDefaultValue() switch
        {
            null or bool => null,
            FileSystemInfo f => f.ToString(),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var v => v.ToString(),
        };
    }

    static string Describe(Option option)
    {
        var description = (option.Description ?? "").Trim();
        return DefaultOf(option) is { } value ? $"{description} [default: {value}]".TrimStart() : description;
    }

    /// <summary>Writes the help page of <paramref name="command"/>.</summary>
    public static void Write(Command command, TextWriter output, int width = int.MaxValue)
    {
        var o = new StringBuilder();
        o.AppendLine("Description:");
        foreach (var line in (command.Description ?? "").Split('\n')) Wrap(o, line.TrimEnd(), 2, width);
        if (Verbs.TryGetValue(command, out var verb) && verb.Details is { } details)
            foreach (var line in details.Split('\n')) Wrap(o, line.TrimEnd(), 2, width);
        o.AppendLine();

        var usage = new StringBuilder(PathOf(command));
        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
            usage.Append(' ').Append(ArgumentLabel(argument));
        if (command.Subcommands.Count > 0) usage.Append(" [command]");
        usage.Append(" [options]");
        o.AppendLine("Usage:");
        o.AppendLine("  " + usage);
        o.AppendLine();

        var options = VisibleOptions(command);
        var arguments = command.Arguments.Where(a => !a.Hidden).ToList();
        var firstColumn = Math.Min(MaxFirstColumn, options.Select(Label).Concat(arguments.Select(a => $"<{a.HelpName ?? a.Name}>"))
                                                          .Concat(command.Subcommands.Select(c => c.Name)).DefaultIfEmpty("").Max(l => l.Length));
        if (arguments.Count > 0)
        {
            o.AppendLine("Arguments:");
            foreach (var a in arguments) Row(o, $"<{a.HelpName ?? a.Name}>", a.Description ?? "", firstColumn, width);
            o.AppendLine();
        }

        if (command is RootCommand || options.All(x => GroupOf(x) is null))
        {
            o.AppendLine("Options:");
            foreach (var option in options) Row(o, Label(option), Describe(option), firstColumn, width);
            o.AppendLine();
        }
        else
        {
            // --help (and anything not put in a group) goes last, under "Run options"
            foreach (var group in options.GroupBy(x => GroupOf(x) ?? HelpGroup.Run).OrderBy(g => g.Key))
            {
                o.AppendLine(Title(group.Key) + ":");
                foreach (var option in group.OrderBy(x => GroupOf(x) is null ? 1 : 0)) Row(o, Label(option), Describe(option), firstColumn, width);
                o.AppendLine();
            }
        }

        if (command.Subcommands.Count > 0)
        {
            o.AppendLine("Commands:");
            foreach (var sub in command.Subcommands.Where(c => !c.Hidden)) Row(o, sub.Name, Summary(sub), firstColumn, width);
            o.AppendLine();
        }

        if (verb is { Examples.Count: > 0 })
        {
            o.AppendLine(verb.Examples.Count == 1 ? "Example:" : "Examples:");
            foreach (var example in verb.Examples) o.AppendLine("  " + example);
            o.AppendLine();
        }

        if (command is RootCommand) o.AppendLine($"Run '{Tool} [command] --help' for more information on a command.");
        output.Write(o.ToString());
        output.Flush();
    }

    static string ArgumentLabel(Argument argument) =>
        $"<{argument.HelpName ?? argument.Name}>{(argument.Arity.MaximumNumberOfValues > 1 ? "..." : "")}";

    /// <summary>Longer first-column entries put their description on the next line.</summary>
    const int MaxFirstColumn = 40;

    static void Row(StringBuilder o, string first, string second, int firstColumn, int width)
    {
        int indent = 2 + firstColumn + 2;
        if (first.Length > firstColumn)
        {
            o.AppendLine("  " + first);
            Wrap(o, second, indent, width);
            return;
        }
        var start = "  " + first.PadRight(firstColumn) + "  ";
        var lines = WrapLines(second, width == int.MaxValue ? int.MaxValue : Math.Max(20, width - indent));
        o.AppendLine((start + lines[0]).TrimEnd());
        foreach (var line in lines.Skip(1)) o.AppendLine(new string(' ', indent) + line);
    }

    static void Wrap(StringBuilder o, string text, int indent, int width)
    {
        foreach (var line in WrapLines(text, width == int.MaxValue ? int.MaxValue : Math.Max(20, width - indent)))
            o.AppendLine((new string(' ', indent) + line).TrimEnd());
    }

    /// <summary>Word-wraps <paramref name="text"/> to <paramref name="width"/> columns (a word longer than that stays whole).</summary>
    static List<string> WrapLines(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        // "[default: X]" breaks before it, not inside it
        foreach (var word in text.Replace("[default: ", "[default:\u00A0", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        lines.Add(line.ToString());
        return [.. lines.Select(l => l.Replace('\u00A0', ' '))];
    }

    /// <summary>The terminal's width, or no wrapping when the output goes to a file or pipe (as System.CommandLine's own help).</summary>
    public static int ConsoleWidth()
    {
        try { return Console.IsOutputRedirected || Console.WindowWidth < 40 ? int.MaxValue : Console.WindowWidth; }
        catch (IOException) { return int.MaxValue; }
    }
}

/// <summary>The --help action: <see cref="CliHelp.Write"/> for the command on the command line.</summary>
sealed class GroupedHelpAction : SynchronousCommandLineAction
{
    /// <summary>Help wins over other errors (e.g. a required option left out), as System.CommandLine's own HelpAction.</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        CliHelp.Write(parseResult.CommandResult.Command, parseResult.InvocationConfiguration?.Output ?? Console.Out, CliHelp.ConsoleWidth());
        return 0;
    }
}
