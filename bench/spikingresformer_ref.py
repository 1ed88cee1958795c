#!/usr/bin/env python3
"""The official SpikingResformer (xyshi2000/SpikingResformer @ 3f75127, SpikingJelly @ 671bcf4c) as a measuring
instrument for our port. The official code is NOT in this repository: pass the directory that holds its `models/`
package, SpikingJelly's `spikingjelly/` package and the two-line `timm` stand-in with --official (set-up in
docs/spikingresformer.md).

  parity  writes OUT.weights.safetensors (the official state dict, every parameter and buffer, official names) and
          OUT.io.safetensors ({image [B,3,P,P], logits [T,B,N]}: eval-mode per-timestep logits). The weights are seeded
          random (He-scaled so that neurons fire), then one train-mode forward on another seeded batch sets the DSSA
          firing-rate buffers and BatchNorm statistics as training would.
          --train: instead one training step from those weights (train mode, cross-entropy of the time-averaged
          logits, backward, SGD): OUT.io.safetensors also holds labels and loss; OUT.train.safetensors holds
          grad.<name> and after.<name> (every state-dict tensor after the step, firing-rate buffers included).
  pth     writes the official state dict as a PyTorch .pth (torch.save), for `--pretrained` tests; with --train the
          official main.py's training checkpoint {model, optimizer, epoch, max_acc1} after one SGD step.
  params  prints the parameter count.
  macs    prints dense MACs per timestep (convolutions, both DSSA matmuls, the classifier) counted by forward hooks.

Run with Debian's python3-torch (1.13); one thread unless timing.
"""
import argparse, json, os, struct, sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def save_safetensors(path, tensors):
    """Plain safetensors writer (Debian has no safetensors package); atomic (temp file + rename)."""
    header, blobs, off = {}, [], 0
    for name, t in tensors.items():
        a = t.detach().contiguous().cpu().numpy()
        dt = {np.float32: "F32", np.int64: "I64"}[a.dtype.type]
        data = a.tobytes()
        header[name] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(data)]}
        blobs.append(data); off += len(data)
    hb = json.dumps(header).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path + ".tmp", "wb") as fh:
        fh.write(struct.pack("<Q", len(hb))); fh.write(hb)
        for d in blobs:
            fh.write(d)
    os.replace(path + ".tmp", path)


def build(official, variant, image, timesteps, classes):
    sys.path.insert(0, official)
    from models import spikingresformer as S  # noqa: E402
    return S, getattr(S, "spikingresformer_" + variant)(img_size=image, T=timesteps, num_classes=classes)


def randomise(S, net):
    """He-scaled weights and non-trivial BatchNorm/PLIF parameters, so every layer carries signal and spikes."""
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                m.weight.normal_(0.0, (2.0 / fan_in) ** 0.5)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.8, 1.2); m.bias.uniform_(-0.1, 0.1)
        for name, p in net.named_parameters():
            if name.endswith(".w"):  # PLIF: tau between 1.6 and 2.7
                p.uniform_(-0.5, 0.5)


def calibrate(net, shape, classes):
    """One train-mode forward (no step): DSSA firing-rate buffers from the first batch, BatchNorm running stats."""
    from spikingjelly.activation_based import functional
    net.train()
    with torch.no_grad():
        net(torch.randn(*shape))
    functional.reset_net(net)


def state_of(net):
    return {k: v.detach().clone() for k, v in net.state_dict().items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["parity", "pth", "params", "macs"])
    ap.add_argument("--official", required=True, help="directory holding models/, spikingjelly/ and timm/")
    ap.add_argument("--variant", default="ti", choices=["ti", "s", "m", "l", "dvsg", "cifar"])
    ap.add_argument("--image", type=int, default=64)
    ap.add_argument("--timesteps", type=int, default=2)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--train", action="store_true", help="parity: one training step instead of eval-mode logits")
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--wd", type=float, default=1e-4)
    ap.add_argument("--out", default="srf")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    S, net = build(a.official, a.variant, a.image, a.timesteps, a.classes)
    from spikingjelly.activation_based import functional
    if a.mode == "params":
        print(json.dumps({"variant": a.variant, "params": sum(p.numel() for p in net.parameters())}))
        return
    if a.mode == "macs":
        print(json.dumps({"variant": a.variant, "image": a.image, **count_macs(S, net, a.image)}))
        return
    randomise(S, net)
    shape = (a.batch, 3, a.image, a.image)
    calibrate(net, shape, a.classes)
    if a.mode == "pth":
        if a.train:  # the official main.py's training checkpoint, after one SGD step (momentum buffers in the optimizer state)
            opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=a.momentum, weight_decay=a.wd)
            net.train()
            F.cross_entropy(net(torch.randn(*shape)).mean(0), torch.randint(0, a.classes, (a.batch,))).backward()
            opt.step()
            functional.reset_net(net)
            torch.save({"model": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 0, "max_acc1": 0.0}, a.out)
        else:
            torch.save(net.state_dict(), a.out)
        print(json.dumps({"pth": a.out, "tensors": len(net.state_dict())}))
        return
    image = torch.randn(*shape)
    if not a.train:
        net.eval()
        with torch.no_grad():
            logits = net(image)
        functional.reset_net(net)
        save_safetensors(a.out + ".weights.safetensors", state_of(net))
        save_safetensors(a.out + ".io.safetensors", {"image": image, "logits": logits})
        print(json.dumps({"weights": a.out + ".weights.safetensors", "io": a.out + ".io.safetensors",
                          "logits_shape": list(logits.shape)}))
        return
    labels = torch.randint(0, a.classes, (a.batch,))
    save_safetensors(a.out + ".weights.safetensors", state_of(net))
    opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=a.momentum, weight_decay=a.wd)
    net.train(); opt.zero_grad()
    logits = net(image)
    loss = F.cross_entropy(logits.mean(0), labels)  # the official CriterionWarpper without TET
    loss.backward()
    grads = {"grad." + n: p.grad for n, p in net.named_parameters() if p.grad is not None}
    opt.step()
    functional.reset_net(net)
    after = {"after." + k: v for k, v in state_of(net).items()}
    save_safetensors(a.out + ".io.safetensors", {"image": image, "labels": labels, "logits": logits.detach(),
                                                  "loss": loss.detach().reshape(1)})
    save_safetensors(a.out + ".train.safetensors", {**grads, **after})
    print(json.dumps({"weights": a.out + ".weights.safetensors", "io": a.out + ".io.safetensors",
                      "train": a.out + ".train.safetensors", "loss": loss.item(),
                      "sgd": {"lr": a.lr, "momentum": a.momentum, "weight_decay": a.wd}}))


def count_macs(S, net, image):
    """Dense MACs of one timestep (T = 1, batch 1) from forward hooks on the official modules."""
    from spikingjelly.activation_based import functional
    net.T = 1
    totals = {"conv": 0, "matmul": 0, "linear": 0, "stem": 0}
    stem_conv = net.prologue[0]

    def conv_hook(m, inp, out):
        n = out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        totals["stem" if m is stem_conv else "conv"] += n

    def linear_hook(m, inp, out):
        totals["linear"] += out.numel() * m.in_features

    orig = torch.matmul

    def counting_matmul(x, y):
        out = orig(x, y)
        totals["matmul"] += out.numel() * x.shape[-1]
        return out

    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            m.register_forward_hook(conv_hook)
        elif isinstance(m, nn.Linear):
            m.register_forward_hook(linear_hook)
    for m in net.modules():
        if isinstance(m, S.SpikingMatmul):
            m.forward = lambda left, right: counting_matmul(left, right)
    net.eval()
    with torch.no_grad():
        net(torch.zeros(1, 3, image, image))
    functional.reset_net(net)
    totals["total"] = sum(totals[k] for k in ("conv", "matmul", "linear", "stem"))
    return totals


if __name__ == "__main__":
    main()
