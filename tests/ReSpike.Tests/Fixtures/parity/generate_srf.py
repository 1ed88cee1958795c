#!/usr/bin/env python3
"""Generates the committed SpikingResformer parity fixtures: eval-mode per-timestep logits [T, B, N] of the OFFICIAL
SpikingResformer (not in this repository; see docs/spikingresformer.md for its set-up) for weights and an image given
by the integer-hash formula of generate.py, so no weights are committed. Firing-rate buffers get 0.1 + 0.3 u.
The C# test (SpikingResformerFixtureTests) rebuilds the same weights bit for bit.

  /usr/bin/python3 tests/ReSpike.Tests/Fixtures/parity/generate_srf.py --official /work/srf_official
"""
import argparse, json, os, sys, types

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
try:
    import respike_ref  # noqa: F401  (generate.py imports it; only its hash helpers are used here)
except ImportError:
    sys.modules["respike_ref"] = types.ModuleType("respike_ref")
from generate import uniform, value, clip_for, write_fixture  # noqa: E402

CASES = [
    dict(variant="ti", classes=5, timesteps=2, image=32, batch=2),
    dict(variant="dvsg", classes=5, timesteps=3, image=32, batch=2),
]


def srf_value(name, shape):
    if name.endswith(".firing_rate_x") or name.endswith(".firing_rate_attn"):
        n = int(np.prod(shape))
        return (0.1 + 0.3 * uniform(name, n)).astype(np.float32).reshape(shape)
    return value(name, shape)


TRAIN = dict(variant="ti", classes=5, timesteps=2, image=32, batch=2, labels=[3, 1], lr=0.01, momentum=0.9, weight_decay=1e-4)


def digest(name, t):
    """L2 norm and dot product with the probe "probe:<name>" (generate_train.py's digest)."""
    a = t.detach().double().flatten()
    probe = torch.from_numpy(2.0 * uniform("probe:" + name, a.numel()) - 1.0)
    return [float(a.norm()), float(a @ probe)]


def train_fixture(S, functional):
    """One official training step (train mode, cross-entropy of the time-averaged logits, SGD) as digests."""
    import torch.nn.functional as F
    cfg = TRAIN
    net = getattr(S, "spikingresformer_" + cfg["variant"])(img_size=cfg["image"], T=cfg["timesteps"], num_classes=cfg["classes"])
    net.load_state_dict({k: torch.from_numpy(srf_value(k, tuple(v.shape))) for k, v in net.state_dict().items()})
    image = clip_for((cfg["batch"], 3, cfg["image"], cfg["image"]))
    opt = torch.optim.SGD(net.parameters(), lr=cfg["lr"], momentum=cfg["momentum"], weight_decay=cfg["weight_decay"])
    net.train(); opt.zero_grad()
    logits = net(image)
    loss = F.cross_entropy(logits.mean(0), torch.tensor(cfg["labels"]))
    loss.backward()
    grads = {n: digest(n, p.grad) for n, p in net.named_parameters()}
    opt.step()
    functional.reset_net(net)
    after = {n: digest(n, v) for n, v in net.state_dict().items()}
    name = "srf-%s-t%d-i%d-train.json" % (cfg["variant"], cfg["timesteps"], cfg["image"])
    write_fixture(name, dict(cfg, generator="tests/ReSpike.Tests/Fixtures/parity/generate_srf.py", torch=torch.__version__,
                             loss=float(loss), grad=grads, after=after), indent=0)
    print(name, float(loss), len(grads), len(after))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--official", required=True, help="directory holding models/, spikingjelly/ and timm/")
    a = ap.parse_args()
    sys.path.insert(0, a.official)
    from models import spikingresformer as S
    from spikingjelly.activation_based import functional
    torch.set_num_threads(1)
    for cfg in CASES:
        net = getattr(S, "spikingresformer_" + cfg["variant"])(img_size=cfg["image"], T=cfg["timesteps"], num_classes=cfg["classes"])
        state = {k: torch.from_numpy(srf_value(k, tuple(v.shape))) for k, v in net.state_dict().items()}
        net.load_state_dict(state)
        net.eval()
        image = clip_for((cfg["batch"], 3, cfg["image"], cfg["image"]))
        with torch.no_grad():
            logits = net(image)
        functional.reset_net(net)
        name = "srf-%s-t%d-i%d.json" % (cfg["variant"], cfg["timesteps"], cfg["image"])
        out = dict(cfg, generator="tests/ReSpike.Tests/Fixtures/parity/generate_srf.py", torch=torch.__version__,
                   official="xyshi2000/SpikingResformer@3f75127, spikingjelly@671bcf4c",
                   logits=[[[float(x) for x in row] for row in step] for step in logits.double()])
        write_fixture(name, out)
        print(name, list(logits.shape), float(logits.abs().max()))
    train_fixture(S, functional)


if __name__ == "__main__":
    main()
