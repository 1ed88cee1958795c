#!/usr/bin/env python3
"""Writes the files `respike parity --model r3d-18|mc3-18|r2plus1d-18` checks against, from torchvision.models.video
itself (Debian's python3-torchvision 0.14; no download):

  OUT.weights.pth        torch.save(model.state_dict()) of a seeded random model (torchvision's init, then every
                         BatchNorm's weight/bias/running stats and the fc bias drawn too, so no layer is an identity)
  OUT.io.safetensors     clip [B, T, 3, H, W] in our layout and units (ImageNet-normalised, as our pipeline gives it),
                         the eval-mode logits [B, N]; with --train the train-mode logits, labels and the loss instead
  OUT.train.safetensors  with --train: grad.<name> after backward and after.<name> (every parameter and buffer) after
                         one torch.optim.SGD step (lr, momentum, weight decay as given), run in float64 (the weights
                         file stays float32): in float32, PyTorch's own early-layer gradients differ from its float64
                         ones by ~1e-3 (train-mode BatchNorm after global pooling on a small batch cancels), more than
                         the 1e-4 the check asks; our side runs the step in the file's precision

torchvision sees the clip as its own transforms would give it: the ImageNet normalisation undone and Kinetics'
applied, channels ahead of time ([B, 3, T, H, W]) - what our model does internally (Models/Video3d/ClipNormalisation.cs).

Usage: /usr/bin/python3 bench/video3d/torchvision_parity.py --model r3d-18 --classes 7 --batch 2 --frames 8 --image 64 --out p
"""
import argparse, json, os, struct
import numpy as np
import torch
import torchvision.models.video as tvv

BUILDERS = {"r3d-18": tvv.r3d_18, "mc3-18": tvv.mc3_18, "r2plus1d-18": tvv.r2plus1d_18}
IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
KINETICS_MEAN, KINETICS_STD = [0.43216, 0.394666, 0.37645], [0.22803, 0.22145, 0.216989]


def save_safetensors(path, tensors):
    """A minimal safetensors writer (Debian has no python3-safetensors): JSON header, then raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        a = t.detach().cpu().contiguous().numpy()
        dtype = {np.dtype("float32"): "F32", np.dtype("float64"): "F64", np.dtype("int64"): "I64"}[a.dtype]
        raw = a.tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path + ".tmp", "wb") as fh:
        fh.write(struct.pack("<Q", len(text)))
        fh.write(text)
        for raw in blobs:
            fh.write(raw)
    os.replace(path + ".tmp", path)


def randomise_norms(model, generator):
    """BatchNorm affine and running statistics (and the fc bias) away from their identity initial values."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm3d):
                m.weight.copy_(1 + 0.2 * (torch.rand(m.weight.shape, generator=generator) - 0.5))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=generator))
                m.running_mean.copy_(0.1 * torch.randn(m.running_mean.shape, generator=generator))
                m.running_var.copy_(1 + 0.5 * torch.rand(m.running_var.shape, generator=generator))
        model.fc.bias.copy_(0.1 * torch.randn(model.fc.bias.shape, generator=generator))


def to_torchvision_input(clip):
    """Our clip [B, T, 3, H, W] (ImageNet-normalised) as torchvision's input [B, 3, T, H, W] (Kinetics-normalised)."""
    shape = (1, 1, 3, 1, 1)
    const = lambda v: torch.tensor(v, dtype=clip.dtype).view(shape)
    pixels01 = clip * const(IMAGENET_STD) + const(IMAGENET_MEAN)
    x = (pixels01 - const(KINETICS_MEAN)) / const(KINETICS_STD)
    return x.permute(0, 2, 1, 3, 4).contiguous()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", choices=sorted(BUILDERS), required=True)
    p.add_argument("--classes", type=int, default=7)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--frames", type=int, default=8)
    p.add_argument("--image", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--train", action="store_true", help="one training step instead of eval-mode logits")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--wd", type=float, default=1e-4)
    p.add_argument("--out", required=True, help="path prefix of the files written")
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    generator = torch.Generator().manual_seed(a.seed + 1)
    model = BUILDERS[a.model](num_classes=a.classes)
    randomise_norms(model, generator)
    torch.save(model.state_dict(), a.out + ".weights.pth")
    clip = torch.randn(a.batch, a.frames, 3, a.image, a.image, generator=generator)
    x = to_torchvision_input(clip)
    if not a.train:
        model.eval()
        with torch.no_grad():
            logits = model(x)
        save_safetensors(a.out + ".io.safetensors", {"clip": clip, "logits": logits})
    else:
        labels = torch.randint(0, a.classes, (a.batch,), generator=generator)
        model.double()
        x = to_torchvision_input(clip.double())
        model.train()
        optimizer = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum, weight_decay=a.wd)
        optimizer.zero_grad()
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits, labels)
        loss.backward()
        grads = {"grad." + n: q.grad.clone() for n, q in model.named_parameters()}
        optimizer.step()
        after = {"after." + n: t.clone() for n, t in model.state_dict().items()}
        save_safetensors(a.out + ".io.safetensors", {"clip": clip, "logits": logits.detach(), "labels": labels, "loss": loss.detach().reshape(1)})
        save_safetensors(a.out + ".train.safetensors", {**grads, **after})
    print(json.dumps({"model": a.model, "params": sum(q.numel() for q in model.parameters()), "logits_shape": list(logits.shape)}))


if __name__ == "__main__":
    main()
