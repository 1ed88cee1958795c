using ReSpike.Runtime;

namespace ReSpike.Tests.Benchmarks;

/// <summary>bench's --allocator policy, a library rule: auto is compact for training and reuse for inference.</summary>
public class AllocatorChoiceTests
{
    [Theory]
    [InlineData("auto", true, AllocatorProfile.Compact)]
    [InlineData("auto", false, AllocatorProfile.Reuse)]
    [InlineData("reuse", true, AllocatorProfile.Reuse)]
    [InlineData("compact", false, AllocatorProfile.Compact)]
    [InlineData("default", true, AllocatorProfile.Default)]
    public void A_choice_gives_its_profile(string choice, bool training, AllocatorProfile expected) =>
        Assert.Equal(expected, NativeAllocator.Choose(choice, training));

    [Fact]
    public void The_choices_are_auto_and_every_profile_and_nothing_else_parses()
    {
        Assert.Equal(["auto", "default", "reuse", "compact"], NativeAllocator.Choices);
        Assert.Throws<ArgumentException>(() => NativeAllocator.Choose("fast", training: false));
    }
}
