using ReSpike.Autograd;
using ReSpike.Spiking.Monitors;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.Spiking;

public class ModuleMonitorTests
{
    /// <summary>A new monitor is only what it records: here, the calls of every linear layer.</summary>
    sealed class LinearCalls : ModuleMonitor
    {
        public Dictionary<string, int> Calls { get; } = [];

        public LinearCalls(nn.Module root)
        {
            foreach (var (name, module) in Modules(root))
                if (module is TorchSharp.Modules.Linear linear)
                    Watch(name, linear, (n, _, _, _) => Calls[n] = Calls.GetValueOrDefault(n) + 1);
        }

        public override void Reset() => Calls.Clear();
    }

    [Fact]
    public void The_base_records_real_forwards_only_while_enabled_and_not_after_dispose()
    {
        using var net = nn.Sequential(("a", nn.Linear(3, 3)), ("relu", nn.ReLU()), ("b", nn.Linear(3, 2)));
        using var x = torch.ones(1, 3);
        var monitor = new LinearCalls(net);
        Assert.Equal(2, monitor.WatchedLayers);
        using (torch.no_grad())
        {
            using (net.call(x)) { }
            monitor.Enabled = false;
            using (net.call(x)) { }
            monitor.Enabled = true;
            // a block re-run for backward is the same forward again
            using (Recomputation.Enter())
            using (net.call(x)) { }
            using (net.call(x)) { }
        }
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 2 }, monitor.Calls);

        monitor.Dispose();
        Assert.Equal(0, monitor.WatchedLayers);
        using (torch.no_grad())
        using (net.call(x)) { }
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 2 }, monitor.Calls);
    }
}
