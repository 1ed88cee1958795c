// Makes TorchSharp's libLibTorchSharp.so loadable on hosts whose libstdc++ predates GLIBCXX_3.4.32
// (Debian 12 ships 3.4.30). The library's only reference to that version is std::ios_base_library_init,
// a link-time marker with no relocation, so marking the version requirement weak (VER_FLG_WEAK in the
// vna_flags of its .gnu.version_r entry) lets the dynamic loader accept it without changing behaviour.
//
// This one file is compiled twice: by MSBuild's RoslynCodeTaskFactory (build/TorchSharpNativeFix.targets),
// which needs the Task class and compiles against netstandard2.0, and by the test project (ELF_PATCHER_NO_MSBUILD), which tests the ELF logic.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace ReSpike.Build
{
    /// <summary>What <see cref="ElfVersionPatcher.MarkVersionWeak"/> found and did.</summary>
    public enum WeakVersionResult { Patched, AlreadyWeak, NotReferenced, NotElf }

    /// <summary>Minimal ELF64 little-endian reader for the GNU symbol-versioning sections.</summary>
    public static class ElfVersionPatcher
    {
        public const string TorchSharpNativeLibrary = "libLibTorchSharp.so";
        public const string RequiredVersion = "GLIBCXX_3.4.32";
        const uint ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlagWeak = 0x2;

        sealed class Section
        {
            public uint Type;
            public long Offset, Size;
            public uint Link, Info;
        }

        static List<Section> ReadSections(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("only 64-bit little-endian ELF is supported");
            long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
            int shentsize = BitConverter.ToUInt16(elf, 0x3A);
            int shnum = BitConverter.ToUInt16(elf, 0x3C);
            var sections = new List<Section>(shnum);
            for (int i = 0; i < shnum; i++)
            {
                long h = shoff + (long)i * shentsize;
                if (h + 64 > elf.Length) throw new InvalidDataException("section header table is truncated");
                sections.Add(new Section
                {
                    Type = BitConverter.ToUInt32(elf, (int)h + 4),
                    Offset = (long)BitConverter.ToUInt64(elf, (int)h + 24),
                    Size = (long)BitConverter.ToUInt64(elf, (int)h + 32),
                    Link = BitConverter.ToUInt32(elf, (int)h + 40),
                    Info = BitConverter.ToUInt32(elf, (int)h + 44),
                });
            }
            return sections;
        }

        static string ReadString(byte[] elf, Section strtab, uint offset)
        {
            long start = strtab.Offset + offset;
            long end = start;
            while (end < elf.Length && elf[end] != 0) end++;
            return Encoding.ASCII.GetString(elf, (int)start, (int)(end - start));
        }

        /// <summary>Version names a shared library defines (.gnu.version_d), e.g. GLIBCXX_3.4.30.</summary>
        public static IReadOnlyList<string> DefinedVersions(byte[] elf)
        {
            var sections = ReadSections(elf);
            var names = new List<string>();
            foreach (var verdef in sections.Where(s => s.Type == ShtGnuVerdef))
            {
                var strtab = sections[(int)verdef.Link];
                long entry = verdef.Offset;
                for (uint i = 0; i < verdef.Info; i++)
                {
                    int e = (int)entry;
                    ushort count = BitConverter.ToUInt16(elf, e + 6);
                    uint aux = BitConverter.ToUInt32(elf, e + 12), next = BitConverter.ToUInt32(elf, e + 16);
                    if (count > 0) names.Add(ReadString(elf, strtab, BitConverter.ToUInt32(elf, e + (int)aux)));
                    if (next == 0) break;
                    entry += next;
                }
            }
            return names;
        }

        /// <summary>(library, version, flags) for every version requirement (.gnu.version_r).</summary>
        public static IReadOnlyList<(string File, string Version, ushort Flags, long FlagsOffset)> RequiredVersions(byte[] elf)
        {
            var sections = ReadSections(elf);
            var result = new List<(string, string, ushort, long)>();
            foreach (var verneed in sections.Where(s => s.Type == ShtGnuVerneed))
            {
                var strtab = sections[(int)verneed.Link];
                long entry = verneed.Offset;
                for (uint i = 0; i < verneed.Info; i++)
                {
                    int e = (int)entry;
                    ushort count = BitConverter.ToUInt16(elf, e + 2);
                    string file = ReadString(elf, strtab, BitConverter.ToUInt32(elf, e + 4));
                    long aux = entry + BitConverter.ToUInt32(elf, e + 8);
                    for (int j = 0; j < count; j++)
                    {
                        int a = (int)aux;
                        ushort flags = BitConverter.ToUInt16(elf, a + 4);
                        string name = ReadString(elf, strtab, BitConverter.ToUInt32(elf, a + 8));
                        result.Add((file, name, flags, aux + 4));
                        uint auxNext = BitConverter.ToUInt32(elf, a + 12);
                        if (auxNext == 0) break;
                        aux += auxNext;
                    }
                    uint next = BitConverter.ToUInt32(elf, e + 12);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return result;
        }

        /// <summary>Sets VER_FLG_WEAK on every requirement of <paramref name="version"/>; edits the bytes in place.</summary>
        public static WeakVersionResult MarkVersionWeak(byte[] elf, string version)
        {
            if (!IsElf(elf)) return WeakVersionResult.NotElf;
            var matches = RequiredVersions(elf).Where(r => r.Version == version).ToList();
            if (matches.Count == 0) return WeakVersionResult.NotReferenced;
            if (matches.All(m => (m.Flags & VerFlagWeak) != 0)) return WeakVersionResult.AlreadyWeak;
            foreach (var m in matches)
            {
                ushort flags = (ushort)(m.Flags | VerFlagWeak);
                elf[m.FlagsOffset] = (byte)(flags & 0xff);
                elf[m.FlagsOffset + 1] = (byte)(flags >> 8);
            }
            return WeakVersionResult.Patched;
        }

        public static bool IsElf(byte[] bytes) =>
            bytes.Length >= 64 && bytes[0] == 0x7f && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F';

        /// <summary>
        /// Patches one file on disk, atomically (temp file + rename) and keeping its timestamp so that
        /// MSBuild's incremental copy keeps treating it as up to date.
        /// </summary>
        public static WeakVersionResult PatchFile(string path, string version)
        {
            var bytes = File.ReadAllBytes(path);
            var result = MarkVersionWeak(bytes, version);
            if (result != WeakVersionResult.Patched) return result;
            var stamp = File.GetLastWriteTimeUtc(path);
            var tmp = path + ".weakpatch.tmp";
            File.WriteAllBytes(tmp, bytes);
            File.SetLastWriteTimeUtc(tmp, stamp);
            File.Replace(tmp, path, null); // rename over the original: readers never see half a file
            return result;
        }

        /// <summary>
        /// The libstdc++ this process would resolve: the one mapped into it (the .NET host links libstdc++),
        /// else the usual Debian/RedHat locations. Null when none is found (e.g. not Linux).
        /// </summary>
        public static string? FindHostLibStdCxx()
        {
            try
            {
                if (File.Exists("/proc/self/maps"))
                {
                    foreach (var line in File.ReadLines("/proc/self/maps"))
                    {
                        int slash = line.IndexOf('/');
                        if (slash < 0) continue;
                        var path = line.Substring(slash).Trim();
                        if (Path.GetFileName(path).StartsWith("libstdc++.so", StringComparison.Ordinal) && File.Exists(path))
                            return path;
                    }
                }
            }
            catch (IOException) { }
            foreach (var candidate in new[] {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib64/libstdc++.so.6" })
                if (File.Exists(candidate)) return candidate;
            return null;
        }

        /// <summary>True when the host's libstdc++ defines <paramref name="version"/> (no patch needed).</summary>
        public static bool HostProvides(string libStdCxxPath, string version) =>
            DefinedVersions(File.ReadAllBytes(libStdCxxPath)).Contains(version);
    }

#if !ELF_PATCHER_NO_MSBUILD
    /// <summary>MSBuild task: patch every libLibTorchSharp.so under Directory when the host needs it.</summary>
    public class TorchSharpNativeFix : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public string Directory { get; set; } = "";

        public override bool Execute()
        {
            if (!System.IO.Directory.Exists(Directory)) return true;
            var libraries = System.IO.Directory.GetFiles(Directory, ElfVersionPatcher.TorchSharpNativeLibrary, SearchOption.AllDirectories);
            if (libraries.Length == 0) return true;
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return true;
            var host = ElfVersionPatcher.FindHostLibStdCxx();
            if (host == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    "ReSpike native fix: no libstdc++ found on this host; left " + libraries.Length + " TorchSharp native library copies unchanged.");
                return true;
            }
            if (ElfVersionPatcher.HostProvides(host, ElfVersionPatcher.RequiredVersion))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    "ReSpike native fix: " + host + " provides " + ElfVersionPatcher.RequiredVersion + "; nothing to do.");
                return true;
            }
            var done = new List<string>();
            int already = 0;
            foreach (var lib in libraries)
            {
                try
                {
                    var result = ElfVersionPatcher.PatchFile(lib, ElfVersionPatcher.RequiredVersion);
                    if (result == WeakVersionResult.Patched) done.Add(lib);
                    else if (result == WeakVersionResult.AlreadyWeak) already++;
                }
                catch (Exception e)
                {
                    Log.LogError("ReSpike native fix: could not patch " + lib + ": " + e.Message);
                    return false;
                }
            }
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                "ReSpike native fix: host " + host + " lacks " + ElfVersionPatcher.RequiredVersion + "; marked it weak in " +
                done.Count + " copy(ies) of " + ElfVersionPatcher.TorchSharpNativeLibrary +
                (done.Count > 0 ? " (" + string.Join(", ", done) + ")" : "") + ", " + already + " already patched.");
            return true;
        }
    }
#endif
}
