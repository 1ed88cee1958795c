using TorchSharp;

namespace ReSpike.Training;

/// <summary>Per-epoch scalars as TensorBoard event files (TorchSharp's SummaryWriter).</summary>
public sealed class TensorBoardLog : IDisposable
{
    readonly TorchSharp.Modules.SummaryWriter _writer;

    public TensorBoardLog(string directory)
    {
        Directory.CreateDirectory(directory);
        _writer = torch.utils.tensorboard.SummaryWriter(directory);
    }

    public void Epoch(EpochMetrics m)
    {
        _writer.add_scalar("train/loss", (float)m.TrainLoss, m.Epoch);
        _writer.add_scalar("train/top1", (float)m.TrainTop1, m.Epoch);
        _writer.add_scalar("train/lr", (float)m.Lr, m.Epoch);
        _writer.add_scalar("train/clips_per_s", (float)m.ClipsPerS, m.Epoch);
        if (m.ClipTop1 is double clip) _writer.add_scalar("val/clip_top1", (float)clip, m.Epoch);
        if (m.VideoTop1 is double video) _writer.add_scalar("val/video_top1", (float)video, m.Epoch);
        if (m.VideoTop5 is double top5) _writer.add_scalar("val/video_top5", (float)top5, m.Epoch);
        if (m.MeanClassAcc is double mean) _writer.add_scalar("val/mean_class_acc", (float)mean, m.Epoch);
    }

    public void Dispose() { }
}
