using System.CommandLine;
using System.Text.RegularExpressions;
using ReSpike.Cli;

namespace ReSpike.Tests.Cli;

/// <summary>Every verb's help shows an example, and docs/cli.md documents every verb and flag the code has.</summary>
public class HelpCliTests
{
    /// <summary>Every command under the root, as the words that invoke it ("energy plot").</summary>
    static IEnumerable<string[]> Verbs()
    {
        static IEnumerable<string[]> Walk(Command command, string[] path)
        {
            foreach (var sub in command.Subcommands)
            {
                string[] subPath = [.. path, sub.Name];
                yield return subPath;
                foreach (var deeper in Walk(sub, subPath)) yield return deeper;
            }
        }
        return Walk(CliApp.Create(), []);
    }

    [Fact]
    public void Every_verbs_help_has_an_example_that_runs_that_verb()
    {
        var verbs = Verbs().ToList();
        Assert.True(verbs.Count >= 10, $"only {verbs.Count} verbs found");
        foreach (var verb in verbs)
        {
            var (code, help, err) = CliHarness.Run([.. verb, "--help"]);
            string name = string.Join(" ", verb);
            Assert.True(code == 0, $"respike {name} --help exited {code}: {err}");
            // "Example:" or "Examples:", followed somewhere by a command line that invokes this very verb
            Assert.Matches(new Regex(@"^\s*Examples?:", RegexOptions.Multiline), help);
            Assert.Contains($"respike {name} ", help[help.IndexOf("Example", StringComparison.Ordinal)..]);
        }
    }

    [Fact]
    public void Docs_cli_md_names_every_verb_and_every_flag()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "cli.md"));
        var root = CliApp.Create();
        foreach (var verb in Verbs())
        {
            string name = string.Join(" ", verb);
            Assert.True(doc.Contains($"| `{name}` |"), $"docs/cli.md has no table row for `{name}`");
            Command command = root;
            foreach (var word in verb) command = command.Subcommands.Single(c => c.Name == word);
            foreach (var option in command.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name != "--help"))
                Assert.True(Regex.IsMatch(doc, Regex.Escape(option.Name) + @"(?![\w-])"), $"docs/cli.md does not mention {option.Name} of `{name}`");
        }
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ReSpike.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no ReSpike.sln above {AppContext.BaseDirectory}");
    }
}
