using TorchSharp;

namespace ReSpike.Training;

/// <summary>Scalars as TensorBoard event files (TorchSharp's SummaryWriter, which writes each event as it comes).</summary>
public sealed class TensorBoardLog : IDisposable
{
    readonly TorchSharp.Modules.SummaryWriter _writer;

    public TensorBoardLog(string directory)
    {
        Directory.CreateDirectory(directory);
        _writer = torch.utils.tensorboard.SummaryWriter(directory);
    }

    /// <summary>One value of the series <paramref name="tag"/> at <paramref name="step"/> (an epoch or a global step).</summary>
    public void Scalar(string tag, double value, long step) => _writer.add_scalar(tag, (float)value, checked((int)step));

    /// <summary>An epoch's metrics under train/ and val/.</summary>
    public void Epoch(EpochMetrics m)
    {
        Scalar("train/loss", m.TrainLoss, m.Epoch);
        Scalar("train/top1", m.TrainTop1, m.Epoch);
        Scalar("train/lr", m.Lr, m.Epoch);
        Scalar("train/clips_per_s", m.ClipsPerS, m.Epoch);
        if (m.ClipTop1 is double clip) Scalar("val/clip_top1", clip, m.Epoch);
        if (m.VideoTop1 is double video) Scalar("val/video_top1", video, m.Epoch);
        if (m.VideoTop5 is double top5) Scalar("val/video_top5", top5, m.Epoch);
        if (m.MeanClassAcc is double mean) Scalar("val/mean_class_acc", mean, m.Epoch);
    }

    public void Dispose() { }
}
