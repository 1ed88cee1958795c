// Data-pipeline throughput for docs/data.md.
//   decode PATH...  [--short-side N] [--workers N] [--repeat N]   frames/s of VideoDecoder.Decode (files, frames folders, or folders searched)
//   loader ROOT     [--size 112] [--frames 16] [--batch 8] [--short-side 128] [--epochs 3] [--cache DIR] [--test] [--folder] [--compress]
//                   clips/s of FrameCache + ClipLoader over a UCF-101-layout dataset's split-1 train list
//                   (--folder: a class-per-folder root, its train part; --compress: Deflate the cached frames, as --compress-cache)
using System.Diagnostics;
using System.Globalization;
using ReSpike.Data;
using ReSpike.Data.Cache;
using ReSpike.Data.Formats;
using ReSpike.Data.Loading;
using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.Video;

var inv = CultureInfo.InvariantCulture;
if (args.Length < 2) return Usage();
var rest = args.Skip(1).ToList();
int Option(string name, int fallback)
{
    int i = rest.IndexOf(name);
    if (i < 0) return fallback;
    var value = int.Parse(rest[i + 1], inv);
    rest.RemoveRange(i, 2);
    return value;
}
string? Text(string name)
{
    int i = rest.IndexOf(name);
    if (i < 0) return null;
    var value = rest[i + 1];
    rest.RemoveRange(i, 2);
    return value;
}
bool Flag(string name) => rest.Remove(name);

Console.WriteLine($"# {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start, torch threads {TorchSharp.torch.get_num_threads()}");
switch (args[0])
{
    case "decode":
    {
        int shortSide = Option("--short-side", 128), workers = Option("--workers", 1), repeat = Option("--repeat", 3);
        var files = VideoFiles.Expand(rest);
        var options = new DecodeOptions { ShortSide = shortSide };
        Console.WriteLine($"# decode {files.Count} file(s) at short side {shortSide}, {workers} worker(s), best of {repeat}");
        double best = 0;
        for (int r = 0; r < repeat; r++)
        {
            long frames = 0;
            var watch = Stopwatch.StartNew();
            Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = workers }, f =>
                Interlocked.Add(ref frames, VideoDecoder.Decode(f, options).Count));
            double seconds = watch.Elapsed.TotalSeconds, rate = frames / seconds;
            best = Math.Max(best, rate);
            Console.WriteLine(string.Format(inv, "run {0}: {1} frames in {2:0.00} s = {3:0} frames/s", r + 1, frames, seconds, rate));
        }
        Console.WriteLine(string.Format(inv, "decode: {0:0} frames/s (best run)", best));
        return 0;
    }
    case "loader":
    {
        int size = Option("--size", 112), frames = Option("--frames", 16), batch = Option("--batch", 8),
            shortSide = Option("--short-side", 128), epochs = Option("--epochs", 3);
        var cacheDir = Text("--cache");
        bool test = Flag("--test"), folder = Flag("--folder"), compress = Flag("--compress");
        var root = rest.Single();
        var dataset = folder ? FolderFormat.Load(root, DatasetSubset.Train) : Ucf101Format.Load(root, 1, DatasetSubset.Train);
        bool temporary = cacheDir is null;
        cacheDir ??= Directory.CreateTempSubdirectory("respike-bench-cache-").FullName;
        try
        {
            var cache = new FrameCache(cacheDir, new DecodeOptions { ShortSide = shortSide }, compress: compress);
            var prepared = CachePreparer.Prepare(cache, dataset.Videos);
            Console.WriteLine(string.Format(inv, "# prepare: {0} videos ({1} decoded, {2} reused, {3} failed) in {4:0.00} s, cache {5:0.0} MB" + (compress ? " (deflate)" : " (raw)"),
                prepared.Videos, prepared.Decoded, prepared.Reused, prepared.Failed.Count, prepared.Seconds, prepared.CacheBytes / 1e6));
            var index = IndexedDataset.Build(dataset, cache);
            var pipeline = test ? ClipPipeline.Test(size) : ClipPipeline.Train(size);
            var loader = new ClipLoader(index, new ConsecutiveClipSampler(frames), pipeline,
                new LoaderOptions { BatchSize = batch, Shuffle = true, Seed = 1 });
            Console.WriteLine($"# loader: {dataset.Name}, {index.UsableVideos} videos, {loader.Clips(0).Count} clips of {frames} frames per epoch, " +
                              $"{(test ? "Test" : "Train")}({size}), batch {batch}, prefetch {loader.Options.Prefetch}");
            double best = 0;
            for (int e = 0; e < epochs; e++)
            {
                int clips = 0;
                var watch = Stopwatch.StartNew();
                foreach (var b in loader.Epoch(e))
                    using (b)
                    {
                        if (b.Clips.shape[1] != frames || b.Clips.shape[^1] != size) throw new InvalidOperationException("unexpected batch shape");
                        clips += b.Count;
                    }
                double seconds = watch.Elapsed.TotalSeconds, rate = clips / seconds;
                best = Math.Max(best, rate);
                Console.WriteLine(string.Format(inv, "epoch {0}: {1} clips in {2:0.00} s = {3:0.0} clips/s ({4:0} frames/s)", e, clips, seconds, rate, rate * frames));
            }
            Console.WriteLine(string.Format(inv, "loader: {0:0.0} clips/s (best epoch)", best));
        }
        finally
        {
            if (temporary) Directory.Delete(cacheDir, recursive: true);
        }
        Console.WriteLine($"# load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at end");
        return 0;
    }
    default:
        return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("usage: DataBench decode PATH... [--short-side N] [--workers N] [--repeat N]\n" +
                            "       DataBench loader ROOT [--size 112] [--frames 16] [--batch 8] [--short-side 128] [--epochs 3] [--cache DIR] [--test] [--folder] [--compress]");
    return 2;
}
