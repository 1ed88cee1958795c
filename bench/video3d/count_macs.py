#!/usr/bin/env python3
"""Dense op count of the 3D baselines with forward hooks on the PyTorch models, in `respike energy`'s convention
(src/ReSpike/Energy/LayerOpRules.cs, docs/baselines.md):

  conv / linear  multiply-adds: out.numel() * k_volume * in_channels/groups (+ out.numel() for a bias)
  BatchNorm      eval mode, affine: 2 per element (scale and shift), counted with the MACs
  pooling        max/avg: out.numel() * window, global: in.numel(); plain adds/compares, reported apart
  ReLU, the residual add, dropout: not counted

R3D-18, MC3-18 and R(2+1)D-18 are torchvision.models.video's own modules; C3D is built here from Tran et al. 2015
/ mmaction2's layout (8 conv3d 3x3x3 with bias, 5 max pools, fc6/fc7 4096, fc_cls), because torchvision has none.
The result is what `respike energy --model M --frames T --image S` must report as total_gmacs.

Usage: /usr/bin/python3 bench/video3d/count_macs.py [--frames 16] [--image 112] [--classes 400] [--json OUT]
"""
import argparse, json
import torch
import torch.nn as nn
import torchvision.models.video as tvv


class ConvModule(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, 3, padding=1)

    def forward(self, x):
        return torch.relu(self.conv(x))


class C3DBackbone(nn.Module):
    """The layout of mmaction2's C3D; fc6's input follows the clip size (8192 at 16 x 112^2, mmaction2's out_dim)."""
    def __init__(self, frames, image):
        super().__init__()
        widths = [("conv1a", 3, 64), ("conv2a", 64, 128), ("conv3a", 128, 256), ("conv3b", 256, 256),
                  ("conv4a", 256, 512), ("conv4b", 512, 512), ("conv5a", 512, 512), ("conv5b", 512, 512)]
        for name, cin, cout in widths:
            setattr(self, name, ConvModule(cin, cout))
        self.pool1 = nn.MaxPool3d((1, 2, 2), (1, 2, 2))
        self.pool2 = nn.MaxPool3d(2, 2)
        self.pool3 = nn.MaxPool3d(2, 2)
        self.pool4 = nn.MaxPool3d(2, 2)
        self.pool5 = nn.MaxPool3d(2, 2, padding=(0, 1, 1))
        t = frames // 16
        s = (image // 16) // 2 + 1
        self.fc6 = nn.Linear(512 * t * s * s, 4096)
        self.fc7 = nn.Linear(4096, 4096)

    def forward(self, x):
        x = self.pool1(self.conv1a(x))
        x = self.pool2(self.conv2a(x))
        x = self.pool3(self.conv3b(self.conv3a(x)))
        x = self.pool4(self.conv4b(self.conv4a(x)))
        x = self.pool5(self.conv5b(self.conv5a(x)))
        x = torch.relu(self.fc6(x.flatten(1)))
        return torch.relu(self.fc7(x))


class C3D(nn.Module):
    def __init__(self, classes, frames, image):
        super().__init__()
        self.backbone = C3DBackbone(frames, image)
        self.cls_head = nn.Module()
        self.cls_head.fc_cls = nn.Linear(4096, classes)

    def forward(self, x):
        return self.cls_head.fc_cls(self.backbone(x))


def build(name, classes, frames, image):
    if name == "c3d":
        return C3D(classes, frames, image)
    return {"r3d-18": tvv.r3d_18, "mc3-18": tvv.mc3_18, "r2plus1d-18": tvv.r2plus1d_18}[name](num_classes=classes)


def count(model, frames, image):
    totals = {"conv": 0.0, "linear": 0.0, "norm": 0.0, "pool_adds": 0.0}

    def hook(m, inputs, out):
        x = inputs[0]
        if isinstance(m, nn.Conv3d):
            k = m.kernel_size[0] * m.kernel_size[1] * m.kernel_size[2]
            totals["conv"] += out.numel() * k * (m.in_channels // m.groups) + (out.numel() if m.bias is not None else 0)
        elif isinstance(m, nn.Linear):
            totals["linear"] += out.numel() * m.in_features + (out.numel() if m.bias is not None else 0)
        elif isinstance(m, nn.BatchNorm3d):
            totals["norm"] += x.numel() * (2 if m.affine else 1)
        elif isinstance(m, (nn.MaxPool3d, nn.AvgPool3d)):
            k = m.kernel_size if isinstance(m.kernel_size, tuple) else (m.kernel_size,) * 3
            totals["pool_adds"] += out.numel() * k[0] * k[1] * k[2]
        elif isinstance(m, (nn.AdaptiveAvgPool3d, nn.AdaptiveMaxPool3d)):
            totals["pool_adds"] += x.numel()

    for m in model.modules():
        m.register_forward_hook(hook)
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, frames, image, image))
    totals["total_macs"] = totals["conv"] + totals["linear"] + totals["norm"]
    return totals


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--frames", type=int, default=16)
    p.add_argument("--image", type=int, default=112)
    p.add_argument("--classes", type=int, default=400)
    p.add_argument("--models", default="c3d,r3d-18,mc3-18,r2plus1d-18")
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_num_threads(1)
    rows = {}
    print("%-12s %12s %10s %10s %10s %10s %10s" % ("model", "params", "conv_G", "linear_G", "norm_G", "total_GMAC", "pool_Gadd"))
    for name in a.models.split(","):
        model = build(name, a.classes, a.frames, a.image)
        t = count(model, a.frames, a.image)
        params = sum(p.numel() for p in model.parameters())
        rows[name] = dict(params=params, frames=a.frames, image=a.image, classes=a.classes,
                          **{k + "_gmacs" if k != "pool_adds" else "pool_gadds": v / 1e9 for k, v in t.items()})
        print("%-12s %12d %10.4f %10.4f %10.4f %10.4f %10.4f" % (name, params, t["conv"] / 1e9, t["linear"] / 1e9,
                                                               t["norm"] / 1e9, t["total_macs"] / 1e9, t["pool_adds"] / 1e9))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
