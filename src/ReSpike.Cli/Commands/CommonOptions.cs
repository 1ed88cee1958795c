using ReSpike.Distributed;
using System.CommandLine;
using ReSpike.Data.Sampling;
using ReSpike.Data.Transforms;
using ReSpike.Models;
using ReSpike.Models.Backbones;
using ReSpike.Registry;
using ReSpike.Runtime;
using TorchSharp;

namespace ReSpike.Cli.Commands;

/// <summary>Flags shared by several verbs, spelled once (names are the CLI contract, docs/cli.md).</summary>
static class CommonOptions
{
    public static Option<string> Backbone() => new Option<string>("--backbone")
    {
        Description = $"ANN backbone: {string.Join(", ", BackboneRegistry.Backbones.Names)}.",
        DefaultValueFactory = _ => "resnet18",
    }.AcceptOnlyRegistered(BackboneRegistry.Backbones).InGroup(HelpGroup.Model);

    public static Option<string> Model() => new Option<string>("--model")
    {
        Description = "Model (respike models lists them): " + Choices(ModelRegistry.Models) + ".",
        DefaultValueFactory = _ => "respike",
    }.AcceptOnlyRegistered(ModelRegistry.Models).InGroup(HelpGroup.Model);

    /// <summary>An optional flag whose value must be one of a registry's names (a parse error, exit 2, otherwise).</summary>
    public static Option<string?> OneOf<T>(string name, Registry<T> registry, string lead, string? defaultText = null) where T : class, IRegistryEntry
    {
        var option = new Option<string?>(name) { Description = $"{lead}: {Choices(registry)}." }.AcceptOnlyRegistered(registry);
        return defaultText is null ? option : option.DefaultText(defaultText);
    }

    /// <summary>
    /// Restricts an option to a registry's names: tab completion offers them, and any other value is a parse error
    /// (exit 2) with the registry's message, which names the flag and lists the choices.
    /// </summary>
    public static Option<TValue> AcceptOnlyRegistered<TValue, T>(this Option<TValue> option, Registry<T> registry) where T : class, IRegistryEntry
    {
        option.HelpName ??= "NAME";
        option.WithChoices(registry.Names);
        option.CompletionSources.Add([.. registry.Names]);
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<TValue>() is string name && !registry.Contains(name))
                result.AddError(registry.Unknown(name).Message);
        });
        return option;
    }

    /// <summary>"name (description), ..." for --help, in registration order.</summary>
    public static string Choices<T>(Registry<T> registry) where T : class, IRegistryEntry =>
        string.Join(", ", registry.Entries.Select(e => $"{e.Name} ({e.Description})"));

    /// <summary>--help text of --fusion (architecture flags and train).</summary>
    public const string FusionDescription =
        "Fusion mode: pooled (reference --downsample; stages 1-2 pooled to the stage-3 grid), " +
        "full (all four stages at full resolution; not in the reference) or " +
        "full3 (reference without --downsample: only the fusions after stages 2-4, at full resolution; fusion 1's " +
        "parameters exist but are unused).";

    /// <summary>--exit-threshold tau: segment-level early exit (eval, predict, stream); null = every segment.</summary>
    public static Option<double?> ExitThreshold() => new Option<double?>("--exit-threshold")
    {
        Description = "Early exit: run a clip's segments in order and stop once the softmax of their mean logits has a maximum above tau (0 < tau <= 1; 1 never exits). Skipped segments are never computed. ReSpike variants.",
        HelpName = "TAU",
    }.DefaultText("off: every segment").InGroup(HelpGroup.Run);

    /// <summary>The early exit an --exit-threshold value asks for (null when not given); a bad tau is a usage error naming the flag.</summary>
    public static EarlyExit.SegmentExit? SegmentExit(double? threshold)
    {
        if (threshold is not { } tau) return null;
        try { return new EarlyExit.SegmentExit(tau); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    public static Option<int> Stride() => new Option<int>("--stride") { Description = "Key-frame stride s (s-1 residual frames per key frame).", DefaultValueFactory = _ => 4 }.InGroup(HelpGroup.Model);

    /// <summary>--sampling: a registered sampler, some with an argument (uniform:N), checked at parse time.</summary>
    public static Option<string?> Sampling(string description)
    {
        var option = new Option<string?>("--sampling") { Description = description, HelpName = "SAMPLER" }.InGroup(HelpGroup.Data);
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is not { } text) return;
            try { ClipSampler.Parse(text, 1); }
            catch (ArgumentException e) { result.AddError(e.Message); }
        });
        return option;
    }

    public static Option<string?> TrainCrop() => new Option<string?>("--train-crop")
    {
        Description = "Training crop: random-resized (RandomResizedCrop, the reference's UCF-101/HMDB-51) or multiscale " +
                      "(the reference's Kinetics-400 crop: side from min(W,H) x [1, .875, .75, .66], one of 13 fixed corner/centre offsets, resized to --image).",
    }.AcceptOnly(TrainCrops.Names).DefaultText("random-resized").InGroup(HelpGroup.Data);

    public static Option<string?> TestCrop(string defaultText) => new Option<string?>("--test-crop")
    {
        Description = "Test transform: centre (shorter side --image, then the centre crop; the reference's UCF-101/HMDB-51) or scaled-centre " +
                      "(shorter side 8/7 x --image, 256 at 224, then the centre crop; the reference's Kinetics-400).",
    }.AcceptOnly(TestCrops.Names).DefaultText(defaultText).InGroup(HelpGroup.Data);

    public static Option<int> Threads() => new Option<int>("--threads") { Description = "CPU threads for libtorch (0 = libtorch's choice).", DefaultValueFactory = _ => 0 }.InGroup(HelpGroup.Run);

    /// <summary>--allocator: which malloc tensor memory comes from (<see cref="NativeAllocator"/>, docs/performance.md).</summary>
    public static Option<string> Allocator(string autoMeans) => new Option<string>("--allocator")
    {
        Description = $"Which malloc holds tensor memory: auto ({autoMeans}), tcmalloc (gperftools, preloaded: the command starts itself again with it; " +
                      "apt-get install libtcmalloc-minimal4), reuse (glibc keeping freed memory: fastest inference), compact (glibc returning large blocks: " +
                      "smallest RSS, slower), default (glibc's own).",
        DefaultValueFactory = _ => "auto",
    }.AcceptOnly(NativeAllocator.Choices).InGroup(HelpGroup.Run);

    /// <summary>
    /// Applies --allocator before anything large is allocated. tcmalloc must be the process's malloc from the start: when it
    /// is not, the respike executable starts itself again with it preloaded (this call then does not return); where that
    /// cannot happen (the CLI hosted in another process), auto falls back to glibc's default and an explicit tcmalloc fails.
    /// </summary>
    public static void ApplyAllocator(string choice, bool training)
    {
        var profile = NativeAllocator.Choose(choice, training);
        bool asked = !choice.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase);
        if (profile == AllocatorProfile.Tcmalloc && !PreloadedAllocator.IsLoaded())
        {
            var library = PreloadedAllocator.Find()
                ?? throw new UsageException($"--allocator tcmalloc: {PreloadedAllocator.LibraryName} is not installed (apt-get install libtcmalloc-minimal4, " +
                                            $"or set {PreloadedAllocator.PathVariable} to its path); or choose --allocator compact or default");
            string why = System.Reflection.Assembly.GetEntryAssembly() == typeof(CommonOptions).Assembly
                ? PreloadedAllocator.Relaunch(library)   // returns only if the relaunch failed
                : $"the CLI runs inside another process; start it with LD_PRELOAD={library}";
            if (asked) throw new InvalidOperationException($"--allocator tcmalloc: cannot preload {library}: {why}");
            profile = AllocatorProfile.Default;
        }
        NativeAllocator.Apply(profile);
    }

    /// <summary>--mpi-timeout: only read when launched by mpiexec/srun (docs/distributed.md).</summary>
    public static Option<double> MpiTimeout() => new Option<double>("--mpi-timeout")
    {
        Description = "Under mpiexec/srun: seconds a rank waits for the others in a collective before the job is aborted (a rank died or hangs).",
        DefaultValueFactory = _ => ProcessGroups.DefaultTimeoutSeconds,
        HelpName = "SECONDS",
    }.InGroup(HelpGroup.Run);

    /// <summary>
    /// Runs a verb's body in the MPI job when launched by mpiexec/srun (else in a single process). A rank that fails prints its
    /// error and aborts the whole job with the CLI's exit code, since the other ranks may wait for it in a collective.
    /// </summary>
    public static int InGroup(double timeoutSeconds, Func<IProcessGroup, int> body)
    {
        IProcessGroup group;
        try { group = ProcessGroups.Join(timeoutSeconds); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException) { throw new UsageException(e.Message); }
        if (group.Size == 1)
        {
            using (group) return body(group);
        }
        int code;
        try { code = body(group); }
        catch (Exception e)
        {
            var (message, exitCode) = CliRunner.Describe(e);
            Console.Error.WriteLine($"error: rank {group.Rank} of {group.Size}: {message}");
            if (Environment.GetEnvironmentVariable("RESPIKE_DEBUG") == "1") Console.Error.WriteLine(e);
            group.AbortJob(exitCode);
            throw;
        }
        group.Dispose();
        return code;
    }

    public static Option<FileInfo?> Json() => new Option<FileInfo?>("--json") { Description = "Also write a machine-readable report to this file (atomically)." }.InGroup(HelpGroup.Output);

    public static void ApplyThreads(int threads)
    {
        if (threads < 0) throw new UsageException($"--threads must be >= 0, got {threads}");
        if (threads > 0) torch.set_num_threads(threads);
    }

    /// <summary>The file's full path; a usage error naming the flag when it does not exist.</summary>
    public static string ExistingFile(FileInfo file, string flag) =>
        file.Exists ? file.FullName : throw new UsageException($"{flag}: file not found: {file.FullName}");
}
