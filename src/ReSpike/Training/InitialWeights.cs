using ReSpike.IO;
using ReSpike.Models;

namespace ReSpike.Training;

/// <summary>
/// --init: a new run starts from a checkpoint's weights (`respike init`'s output, another run's best.safetensors). The load is
/// strict (every model tensor present with its shape, nothing extra); optimizer state in a training checkpoint is left aside.
/// </summary>
public static class InitialWeights
{
    /// <summary>Loads <paramref name="path"/>'s weights into <paramref name="net"/>; returns the tensor count. Errors name the file and --init.</summary>
    public static int Load(VideoModel net, string path)
    {
        try
        {
            var saved = Checkpoint.ReadConfig(path);
            if (saved.Name != net.Config.Name)
                throw new InvalidDataException($"{path} holds model '{saved.Name}', the run trains '{net.Config.Name}'");
            return StateDict.LoadFile(net, path, Checkpoint.WeightsOnly).Loaded;
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            throw new InvalidDataException($"--init {path}: {e.Message}", e);
        }
    }
}
