using ReSpike.Runtime;

namespace ReSpike.Tests.Models.Video3d;

/// <summary>
/// Tests that need torchvision itself (Debian's python3-torchvision at /usr/bin/python3, no ReSpike reference):
/// elsewhere they are reported as skipped, never silently passed.
/// </summary>
public sealed class RequiresTorchvisionFactAttribute : FactAttribute
{
    static readonly Lazy<bool> Available = new(() =>
    {
        if (!File.Exists(ReferencePython.Python)) return false;
        try { return ExternalTool.Run(ReferencePython.Python, ["-c", "import torch, torchvision.models.video"], TimeSpan.FromSeconds(60)).ExitCode == 0; }
        catch (Exception) { return false; }
    });

    public RequiresTorchvisionFactAttribute()
    {
        if (!Available.Value) Skip = "needs /usr/bin/python3 with torch and torchvision (apt-get install python3-torch python3-torchvision)";
    }
}
