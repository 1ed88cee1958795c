namespace ReSpike.Tests;

/// <summary>A theory that needs Debian's python3-torch, as <see cref="RequiresReferenceFactAttribute"/>; skipped (never silently passed) without it.</summary>
public sealed class RequiresReferenceTheoryAttribute : TheoryAttribute
{
    public RequiresReferenceTheoryAttribute()
    {
        if (!ReferencePython.Available)
            Skip = "needs ../shared/reference/respike_ref.py and /usr/bin/python3 with torch and torchvision (apt-get install python3-torch python3-torchvision)";
    }
}
