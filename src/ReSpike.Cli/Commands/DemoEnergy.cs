using ReSpike.Models;

namespace ReSpike.Cli.Commands;

/// <summary>Energy per clip for the demo table (wired to the energy module when it lands).</summary>
static class DemoEnergy
{
    public static double? PerClipMj(ReSpikeConfig config, string checkpoint) => null;
}
