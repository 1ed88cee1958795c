using System.CommandLine;
using ReSpike.Models;

namespace ReSpike.Cli.Commands;

/// <summary>The flags that define a network (--model --backbone --image --frames --stride --classes --fusion), read into a validated config.</summary>
sealed class ArchitectureOptions
{
    public ArchitectureOptions(int image, int? classes, string classesDescription = "Number of classes of the head.")
    {
        Image = new Option<int>("--image") { Description = "Input size in pixels (a multiple of 16).", DefaultValueFactory = _ => image }.InGroup(HelpGroup.Model);
        Classes = (classes is int n
            ? new Option<int>("--classes") { Description = classesDescription, DefaultValueFactory = _ => n }
            : new Option<int>("--classes") { Description = classesDescription, Required = true }).InGroup(HelpGroup.Model);
    }

    public Option<string> Model { get; } = CommonOptions.Model();
    public Option<string> Backbone { get; } = CommonOptions.Backbone();
    public Option<int> Image { get; }
    public Option<int> Frames { get; } = new Option<int>("--frames") { Description = "Frames per clip T (a multiple of --stride).", DefaultValueFactory = _ => 16 }.InGroup(HelpGroup.Model);
    public Option<int> Stride { get; } = CommonOptions.Stride();
    public Option<int> Classes { get; }
    public Option<string> Fusion { get; } = new Option<string>("--fusion")
    {
        Description = CommonOptions.FusionDescription,
        DefaultValueFactory = _ => "pooled",
    }.AcceptOnly([.. ModelNames.FusionNames]).InGroup(HelpGroup.Model);

    public IEnumerable<Option> All => [Model, Backbone, Image, Frames, Stride, Classes, Fusion];

    public void AddTo(Command command)
    {
        foreach (var o in All) command.Options.Add(o);
    }

    /// <summary>The config the flags describe; an invalid combination is a usage error naming the flag.</summary>
    public ReSpikeConfig Read(ParseResult parse) => Validated(new ReSpikeConfig
    {
        Name = parse.GetValue(Model)!,
        Backbone = parse.GetValue(Backbone)!,
        NumClasses = parse.GetValue(Classes),
        Stride = parse.GetValue(Stride),
        Frames = parse.GetValue(Frames),
        ImageSize = parse.GetValue(Image),
        Fusion = ModelNames.ParseFusion(parse.GetValue(Fusion)!),
    });

    /// <summary>Only the flags given on the command line (defaults left out), to lay over another config.</summary>
    public ConfigOverrides ReadGiven(ParseResult parse)
    {
        bool Given(Option o) => parse.GetResult(o) is { Implicit: false };
        return new ConfigOverrides
        {
            Name = Given(Model) ? parse.GetValue(Model)! : null,
            Backbone = Given(Backbone) ? parse.GetValue(Backbone) : null,
            NumClasses = Given(Classes) ? parse.GetValue(Classes) : null,
            Stride = Given(Stride) ? parse.GetValue(Stride) : null,
            Frames = Given(Frames) ? parse.GetValue(Frames) : null,
            ImageSize = Given(Image) ? parse.GetValue(Image) : null,
            Fusion = Given(Fusion) ? ModelNames.ParseFusion(parse.GetValue(Fusion)!) : null,
        };
    }

    public static ReSpikeConfig Validated(ReSpikeConfig config)
    {
        try { return config.Validate(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }
}
