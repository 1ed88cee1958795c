#!/usr/bin/env python3
"""Generates the committed train-mode parity fixture: one training step of the PyTorch reference
(../shared/reference/respike_ref.py; train-mode BatchNorm, cross-entropy, backward, SGD) on the weights and
clip of generate.py's integer-hash formula, with fixed labels. 30 M gradients do not fit in a fixture, so
each gradient and each tensor after the step is stored as two numbers: its L2 norm and its dot product
with a fixed probe vector (uniform in [-1, 1) from the same hash, named "probe:<tensor>"). If our tensor is
within 1e-4 relative L2 of the reference's, both numbers are too (Cauchy-Schwarz), and a wrong value
almost surely moves the projection. The C# test (TrainParityFixtureTests) recomputes both numbers.

Run with Debian's python3-torch:  /usr/bin/python3 tests/ReSpike.Tests/Fixtures/parity/generate_train.py
"""
import json, os
import numpy as np
import torch
import torch.nn.functional as F

from generate import R, clip_for, uniform, value, write_fixture

LR, MOMENTUM, WD = 0.01, 0.9, 1e-4


def digest(name, t):
    a = t.detach().double().flatten()
    probe = torch.from_numpy(2.0 * uniform("probe:" + name, a.numel()) - 1.0)
    return [float(a.norm()), float(a @ probe)]


def main():
    cfg = dict(backbone="resnet18", classes=5, stride=4, frames=8, image=64, batch=2, labels=[3, 1])
    torch.set_num_threads(2)
    net = R.ReSpike(cfg["classes"], cfg["backbone"], cfg["stride"], cfg["image"])
    state = {k: torch.from_numpy(value(k, tuple(v.shape))) for k, v in net.state_dict().items()}
    net.load_state_dict(state)
    shape = (cfg["batch"], cfg["frames"], 3, cfg["image"], cfg["image"])
    clip = clip_for(shape)
    labels = torch.tensor(cfg["labels"])
    opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WD)
    net.train(); opt.zero_grad()
    logits = net(clip)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    grads = {n: digest(n, p.grad) for n, p in net.named_parameters()}
    opt.step()
    after = {n: digest(n, v) for n, v in net.state_dict().items()}
    out = dict(cfg, generator="tests/ReSpike.Tests/Fixtures/parity/generate_train.py", torch=torch.__version__,
               lr=LR, momentum=MOMENTUM, weight_decay=WD, loss=float(loss),
               logits=[[float(x) for x in row] for row in logits.detach().double()], grad=grads, after=after)
    write_fixture("resnet18-s4-f8-i64-train.json", out, indent=0)
    print(json.dumps(dict(loss=out["loss"], grads=len(grads), after=len(after))))


if __name__ == "__main__":
    main()
