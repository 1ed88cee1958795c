using ReSpike.Energy;

namespace ReSpike.Training.Hooks;

/// <summary>
/// Per-layer firing rates of the training forwards as TensorBoard scalars, one point per epoch:
/// <c>firing_rate/{layer path}</c> for every spiking neuron layer and <c>firing_rate/overall</c> (all spikes over all
/// neuron-steps). Only the epoch's training steps count (the evaluation after them does not); a resumed epoch counts the
/// steps run in this process. Recomputed forwards are skipped by the <see cref="FiringRateMonitor"/>. Models without
/// spiking layers get nothing.
/// </summary>
public sealed class FiringRateHook : ITrainingHook, IDisposable
{
    public const string TagPrefix = "firing_rate/";

    FiringRateMonitor? _monitor;

    public void BeforeRun(TrainingContext context)
    {
        _monitor?.Dispose();
        _monitor = new FiringRateMonitor(context.Model) { Enabled = false };
    }

    public void BeforeEpoch(TrainingContext context)
    {
        if (_monitor is null) return;
        _monitor.Reset();
        _monitor.Enabled = true;
    }

    public void AfterStep(TrainingContext context)
    {
        // the epoch's last step: the evaluation's forwards come next and are not training activity
        if (_monitor is not null && context.Step == context.Batches) _monitor.Enabled = false;
    }

    public void AfterEpoch(TrainingContext context)
    {
        if (_monitor is null || _monitor.WatchedLayers == 0) return;
        var rates = _monitor.Snapshot();
        int epoch = context.Metrics!.Epoch;
        foreach (var layer in rates.Layers) context.TensorBoard.Scalar(TagPrefix + layer.Name, layer.Rate, epoch);
        if (rates.Layers.Count > 0) context.TensorBoard.Scalar(TagPrefix + "overall", rates.Overall, epoch);
        _monitor.Reset();
    }

    public void AfterRun(TrainingContext context) => Dispose();

    public void Dispose()
    {
        _monitor?.Dispose();
        _monitor = null;
    }
}
