using System.Reflection;
using System.Xml.Linq;
using ReSpike.Models;

namespace ReSpike.Tests;

/// <summary>The library and the tool ship XML docs, and every public type in them says what it is.</summary>
public class ApiDocsTests
{
    [Theory]
    [InlineData(typeof(ReSpikeNet))]
    [InlineData(typeof(ReSpike.Cli.CliRunner))]
    public void Every_public_type_has_a_summary_in_the_emitted_xml_docs(Type inAssembly)
    {
        var assembly = inAssembly.Assembly;
        var xmlPath = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.True(File.Exists(xmlPath), $"{Path.GetFileName(xmlPath)} was not emitted beside {Path.GetFileName(assembly.Location)} (GenerateDocumentationFile)");
        var summaries = XDocument.Load(xmlPath).Descendants("member")
            .Where(m => m.Element("summary") is { } s && s.Value.Trim().Length > 0)
            .Select(m => (string)m.Attribute("name")!)
            .ToHashSet();

        var missing = assembly.GetExportedTypes()
            .Where(t => t.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null)
            .Select(t => "T:" + t.FullName!.Replace('+', '.'))
            .Where(id => !summaries.Contains(id))
            .Order()
            .ToList();
        Assert.True(missing.Count == 0, $"public types without a <summary>: {string.Join(", ", missing)}");
        if (assembly == typeof(ReSpikeNet).Assembly) Assert.Contains("T:ReSpike.Models.ReSpikeNet", summaries);
    }
}
