using ReSpike.Registry;

namespace ReSpike.Models.Backbones;

/// <summary>The --backbone choices. A new backbone is one registration here.</summary>
public static class BackboneRegistry
{
    public static Registry<BackboneEntry> Backbones { get; } = Build();

    static Registry<BackboneEntry> Build()
    {
        var r = new Registry<BackboneEntry>("backbone", "--backbone");
        long[] basic = ResNetStages.Channels(BasicBlock.Expansion), bottleneck = ResNetStages.Channels(Bottleneck.Expansion);
        r.Add(new("resnet18", "torchvision ResNet-18 (basic blocks 2-2-2-2)", basic, c => new ResNet("resnet18", false, [2, 2, 2, 2], c)));
        r.Add(new("resnet34", "torchvision ResNet-34 (basic blocks 3-4-6-3)", basic, c => new ResNet("resnet34", false, [3, 4, 6, 3], c)));
        r.Add(new("resnet50", "torchvision ResNet-50 (bottlenecks 3-4-6-3)", bottleneck, c => new ResNet("resnet50", true, [3, 4, 6, 3], c)));
        r.Add(new("resnet101", "torchvision ResNet-101 (bottlenecks 3-4-23-3)", bottleneck, c => new ResNet("resnet101", true, [3, 4, 23, 3], c)));
        r.Add(new("resnet152", "torchvision ResNet-152 (bottlenecks 3-8-36-3)", bottleneck, c => new ResNet("resnet152", true, [3, 8, 36, 3], c)));
        return r;
    }
}
