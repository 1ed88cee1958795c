using System.Reflection;
using System.Text.Json;
using ReSpike.Build;
using TorchSharp;
using static TorchSharp.torch;

namespace ReSpike.Tests.NativeFix;

/// <summary>
/// The build marks GLIBCXX_3.4.32 weak in every output copy of libLibTorchSharp.so when the host's libstdc++
/// lacks it (build/TorchSharpNativeFix.targets). These tests prove the copy this test run loads was fixed,
/// that tensors then work, and that the ELF edit is exact and idempotent.
/// </summary>
public class NativeLibraryFixTests
{
    static string OutputCopy =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", ElfVersionPatcher.TorchSharpNativeLibrary);

    /// <summary>
    /// The unpatched original in the NuGet package folder this test project was restored from: the build records that
    /// folder (NuGetPackageRoot, in the csproj) and deps.json names the TorchSharp package's folder under it. The build
    /// only patches output copies, so this one must exist and still carry the strong requirement.
    /// </summary>
    static string PackageCopy()
    {
        var root = typeof(NativeLibraryFixTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "NuGetPackageRoot")?.Value;
        Assert.False(string.IsNullOrEmpty(root), "the test assembly does not record NuGetPackageRoot (see ReSpike.Tests.csproj)");
        var depsFile = Path.Combine(AppContext.BaseDirectory, "ReSpike.Tests.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        var torchSharp = deps.RootElement.GetProperty("libraries").EnumerateObject()
            .Single(l => l.Name.StartsWith("TorchSharp/", StringComparison.Ordinal));
        var packageFolder = torchSharp.Value.GetProperty("path").GetString()!;   // e.g. torchsharp/0.107.0
        var path = Path.Combine(root!, packageFolder, "runtimes", "linux-x64", "native", ElfVersionPatcher.TorchSharpNativeLibrary);
        Assert.True(File.Exists(path), $"the TorchSharp package's own copy is missing: {path}");
        return path;
    }

    [Fact]
    public void Tensors_compute_through_the_native_library()
    {
        using var a = torch.arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var b = torch.ones(3, 2);
        using var product = a.matmul(b);
        Assert.Equal(new long[] { 2, 2 }, product.shape);
        Assert.Equal(new float[] { 3, 3, 12, 12 }, product.data<float>().ToArray());
    }

    [RequiresLinuxX64Fact]
    public void Build_output_copy_has_the_fix_exactly_when_the_host_needs_it()
    {
        Assert.True(File.Exists(OutputCopy), $"expected the build to copy {OutputCopy}");
        var host = ElfVersionPatcher.FindHostLibStdCxx();
        Assert.NotNull(host);
        bool hostHasIt = ElfVersionPatcher.HostProvides(host!, ElfVersionPatcher.RequiredVersion);
        var requirement = ElfVersionPatcher.RequiredVersions(File.ReadAllBytes(OutputCopy))
            .Single(r => r.Version == ElfVersionPatcher.RequiredVersion);
        Assert.Equal("libstdc++.so.6", requirement.File);
        bool weak = (requirement.Flags & 0x2) != 0;
        Assert.Equal(!hostHasIt, weak);
    }

    [RequiresLinuxX64Fact]
    public void Host_libstdcxx_version_definitions_are_read()
    {
        var host = ElfVersionPatcher.FindHostLibStdCxx();
        Assert.NotNull(host);
        var versions = ElfVersionPatcher.DefinedVersions(File.ReadAllBytes(host!));
        Assert.Contains("GLIBCXX_3.4", versions);
        Assert.Contains("GLIBCXX_3.4.30", versions); // Debian 12 and newer
    }

    [RequiresLinuxX64Fact]
    public void Patch_flips_one_flag_bit_and_is_idempotent()
    {
        var original = PackageCopy();
        var bytes = File.ReadAllBytes(original);
        var before = ElfVersionPatcher.RequiredVersions(bytes);
        Assert.Equal(0, before.Single(r => r.Version == ElfVersionPatcher.RequiredVersion).Flags & 0x2);

        var patched = (byte[])bytes.Clone();
        Assert.Equal(WeakVersionResult.Patched, ElfVersionPatcher.MarkVersionWeak(patched, ElfVersionPatcher.RequiredVersion));
        int changedBytes = bytes.Zip(patched).Count(p => p.First != p.Second);
        Assert.Equal(1, changedBytes);

        var after = ElfVersionPatcher.RequiredVersions(patched);
        Assert.Equal(before.Count, after.Count);
        foreach (var (b, a) in before.Zip(after))
        {
            Assert.Equal(b.Version, a.Version);
            Assert.Equal(b.Version == ElfVersionPatcher.RequiredVersion ? b.Flags | 0x2 : b.Flags, a.Flags);
        }
        var again = (byte[])patched.Clone();
        Assert.Equal(WeakVersionResult.AlreadyWeak, ElfVersionPatcher.MarkVersionWeak(again, ElfVersionPatcher.RequiredVersion));
        Assert.Equal(patched, again);
    }

    [RequiresLinuxX64Fact]
    public void PatchFile_rewrites_atomically_and_keeps_the_timestamp()
    {
        var original = PackageCopy();
        var dir = Directory.CreateTempSubdirectory("respike-elf-");
        try
        {
            var copy = Path.Combine(dir.FullName, ElfVersionPatcher.TorchSharpNativeLibrary);
            File.Copy(original, copy);
            var stamp = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(copy, stamp);
            Assert.Equal(WeakVersionResult.Patched, ElfVersionPatcher.PatchFile(copy, ElfVersionPatcher.RequiredVersion));
            Assert.Equal(WeakVersionResult.AlreadyWeak, ElfVersionPatcher.PatchFile(copy, ElfVersionPatcher.RequiredVersion));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(copy));
            Assert.Single(Directory.GetFiles(dir.FullName)); // no temp file left behind
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void Non_elf_input_is_reported_not_patched()
    {
        var text = System.Text.Encoding.ASCII.GetBytes(new string('x', 100));
        Assert.Equal(WeakVersionResult.NotElf, ElfVersionPatcher.MarkVersionWeak(text, ElfVersionPatcher.RequiredVersion));
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.RequiredVersions(text));
    }

    [RequiresLinuxX64Fact]
    public void Library_that_does_not_need_the_version_is_left_alone()
    {
        var host = ElfVersionPatcher.FindHostLibStdCxx();
        Assert.NotNull(host);
        var libstdcxx = File.ReadAllBytes(host!);
        var copy = (byte[])libstdcxx.Clone();
        Assert.Equal(WeakVersionResult.NotReferenced, ElfVersionPatcher.MarkVersionWeak(copy, ElfVersionPatcher.RequiredVersion));
        Assert.Equal(libstdcxx, copy);
    }
}
