using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using ReSpike.Cli;
using ReSpike.Tests.IO;

namespace ReSpike.Tests.Cli;

/// <summary>--help reads like the dotnet CLI's (one line per verb at the root; grouped options with placeholders and one default style), and every choice is checked at parse time.</summary>
public class HelpLayoutCliTests
{
    /// <summary>The lines of a help section, from its header to the blank line that ends it.</summary>
    static List<string> Section(string help, string header)
    {
        var lines = help.ReplaceLineEndings("\n").Split('\n');
        int start = Array.IndexOf(lines, header);
        Assert.True(start >= 0, $"no '{header}' section in:\n{help}");
        return [.. lines.Skip(start + 1).TakeWhile(l => l.Length > 0)];
    }

    [Fact]
    public void Root_help_lists_exactly_one_line_per_verb_with_its_summary()
    {
        var (code, help, err) = CliHarness.Run("--help");
        Assert.True(code == 0, err);
        var verbs = CliApp.Create().Subcommands.ToList();
        var lines = Section(help, "Commands:");
        Assert.Equal(verbs.Count, lines.Count);
        for (int i = 0; i < verbs.Count; i++)
        {
            var match = Regex.Match(lines[i], @"^  (\S+) {2,}(\S.*)$");
            Assert.True(match.Success, $"not a 'name  summary' line: '{lines[i]}'");
            Assert.Equal(verbs[i].Name, match.Groups[1].Value);
            Assert.Equal(CliHelp.Summary(verbs[i]), match.Groups[2].Value);
            Assert.DoesNotContain('\n', verbs[i].Description ?? ""); // the rest lives in the verb's own help
        }
        // examples and details belong to each verb's help, not to the root's
        Assert.DoesNotContain("Example", help);
        Assert.DoesNotContain("respike train --", help);
        Assert.Contains("Usage:\n  respike [command] [options]", help.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_verbs_help_shows_its_full_description_and_examples_below_the_summary()
    {
        var (_, help, _) = CliHarness.Run("train", "--help");
        var description = Section(help, "Description:");
        Assert.Equal("  " + CliHelp.Summary(CliApp.Create().Subcommands.Single(c => c.Name == "train")), description[0]);
        Assert.Contains(description, l => l.Contains("Ctrl-C saves a resume point", StringComparison.Ordinal));
        Assert.Contains("  respike train --out runs/weizmann --resume", Section(help, "Examples:"));
        Assert.Contains("  respike train [options]", Section(help, "Usage:"));
        Assert.Contains("  plot", string.Join("\n", Section(CliHarness.Run("energy", "--help").Out, "Commands:")));
    }

    [Fact]
    public void Train_help_groups_its_options_under_headers_with_placeholders_and_defaults()
    {
        var (code, help, err) = CliHarness.Run("train", "--help");
        Assert.True(code == 0, err);
        string[] headers = ["Model options:", "Data options:", "Optimisation options:", "Output options:", "Run options:"];
        var positions = headers.Select(h => help.IndexOf("\n" + h + "\n", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0, help));
        Assert.Equal(positions.Order(), positions);
        Assert.DoesNotContain("\nOptions:", help); // no ungrouped section

        // each option sits under its group, with a placeholder and its default shown one way
        var groups = headers.ToDictionary(h => h, h => string.Join("\n", Section(help, h)));
        Assert.Matches(@"--model <NAME>\s+Model .*\[default: respike\]", groups["Model options:"]);
        Assert.Matches(@"--fusion <pooled\|full\|full3>\s+.*\[default: pooled\]", groups["Model options:"]);
        Assert.Matches(@"--image <N>\s+.*\[default: 112\]", groups["Model options:"]);
        Assert.Matches(@"--train-crop <random-resized\|multiscale>", groups["Data options:"]);
        Assert.Matches(@"--root <DIR>\s", groups["Data options:"]);
        Assert.Matches(@"--batch <N>\s+Clips per batch .*\[default: 8\]", groups["Optimisation options:"]);
        Assert.Matches(@"--lr <F>\s+.*\[default: 0\.01\]", groups["Optimisation options:"]);
        Assert.Matches(@"--out <DIR>\s", groups["Output options:"]);
        Assert.Matches(@"--json <FILE>\s", groups["Output options:"]);
        Assert.Matches(@"--config <NAME\|FILE>\s", groups["Run options:"]);
        Assert.Matches(@"--resume \[<CKPT>\]\s", groups["Run options:"]);
        Assert.Matches(@"--threads <N>\s+.*\[default: 0\]", groups["Run options:"]);
        Assert.Matches(@"-\?, -h, --help\s", groups["Run options:"]);

        (_, help, _) = CliHarness.Run("eval", "--help");
        Assert.Matches(@"--checkpoint <FILE> \(REQUIRED\)\s", string.Join("\n", Section(help, "Model options:")));
        Assert.Matches(@"--crops <1\|3>\s+.*\[default: 1\]", string.Join("\n", Section(help, "Data options:")));
    }

    /// <summary>Every command under the root with its options (the recursive --help left out).</summary>
    static IEnumerable<(string Verb, Command Command)> Commands() =>
        CliHelp.Walk(CliApp.Create()).Where(c => c is not RootCommand).Select(c => (CliHelp.PathOf(c)["respike ".Length..], c));

    /// <summary>An option's entry in a help page: its line and the indented lines that continue it.</summary>
    static string Entry(string help, string name)
    {
        var lines = help.ReplaceLineEndings("\n").Split('\n');
        int i = Array.FindIndex(lines, l => Regex.IsMatch(l, @"^  (-\S+, )*" + Regex.Escape(name) + @"( |$)"));
        Assert.True(i >= 0, $"no entry for {name} in:\n{help}");
        return string.Join(" ", lines.Skip(i + 1).TakeWhile(l => l.StartsWith("   ", StringComparison.Ordinal)).Prepend(lines[i]));
    }

    [Fact]
    public void Every_option_is_in_a_group_and_states_its_default_only_as_default_brackets()
    {
        foreach (var (verb, command) in Commands())
        {
            var (code, help, err) = CliHarness.Run([.. verb.Split(' '), "--help"]);
            Assert.True(code == 0, err);
            foreach (var option in command.Options.Where(o => o is not HelpOption))
            {
                Assert.True(CliHelp.GroupOf(option) is not null, $"{verb} {option.Name} is in no help group");
                // the default is never written into the description text itself ("(default 8)", "Default: centre")
                Assert.DoesNotMatch(new Regex(@"[(;.:]\s*default\b", RegexOptions.IgnoreCase), option.Description ?? "");
                var line = Entry(help, option.Name);
                Assert.True(Regex.Matches(line, Regex.Escape("[default: ")).Count <= 1, line);
                if (option.HasDefaultValue && option.ValueType != typeof(bool) && !option.Required)
                    Assert.True(line.Contains("[default: ", StringComparison.Ordinal), $"{verb}: {line}");
                if (CliHelp.TakesValue(option)) Assert.Matches(Regex.Escape(option.Name) + @" \[?<[^>]+>", line);
                else Assert.DoesNotContain("<", line.Split("  ", 2)[0]);
            }
        }
    }

    [Fact]
    public void Every_choice_flag_refuses_a_bad_value_at_parse_time_naming_the_allowed_values()
    {
        int checkedFlags = 0;
        foreach (var (verb, command) in Commands())
            foreach (var option in command.Options)
            {
                if (CliHelp.ChoicesOf(option) is not { } choices) continue;
                var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
                string bad = type == typeof(int) ? "99" : "bogus";
                var (code, output, err) = CliHarness.Run([.. verb.Split(' '), option.Name, bad]);
                Assert.True(code == 2, $"respike {verb} {option.Name} {bad} exited {code}: {err}{output}");
                Assert.Contains($"{option.Name}: unknown ", err);
                Assert.Contains($"'{bad}' (use {string.Join(", ", choices)}", err);
                Assert.Equal("", output); // refused before anything ran
                checkedFlags++;
            }
        Assert.True(checkedFlags >= 20, $"only {checkedFlags} choice flags found");
    }

    [Theory]
    [InlineData("train", "--fusion", "full4", "pooled, full, full3")]
    [InlineData("train", "--train-crop", "centre", "random-resized, multiscale")]
    [InlineData("train", "--test-crop", "random", "centre, scaled-centre")]
    [InlineData("train", "--label-order", "alpha", "classind, folders")]
    [InlineData("train", "--split", "4", "1, 2, 3")]
    [InlineData("eval", "--crops", "2", "1, 3")]
    [InlineData("energy", "--precision", "fp64", "fp32, fp16, int32, int8")]
    [InlineData("energy", "--layers", "some", "all, none")]
    [InlineData("prepare", "--subset", "val", "train, test, all")]
    [InlineData("bench", "--lif-kernel", "cuda", "auto, op-by-op, fused")]
    [InlineData("bench", "--allocator", "jemalloc", "auto, default, reuse, compact, tcmalloc")]
    [InlineData("train", "--allocator", "jemalloc", "auto, default, reuse, compact, tcmalloc")]
    public void A_bad_choice_exits_2_naming_the_flag_and_the_allowed_values(string verb, string flag, string value, string allowed)
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliHarness.Run(verb, flag, value, "--json", dir.File("r.json"));
        Assert.Equal(2, code);
        Assert.Contains($"{flag}: unknown", err);
        Assert.Contains($"'{value}' (use {allowed})", err);
        Assert.Equal("", output);
        Assert.False(File.Exists(dir.File("r.json")));
    }
}
