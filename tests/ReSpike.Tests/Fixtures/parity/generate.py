#!/usr/bin/env python3
"""Generates the committed parity fixture: eval-mode logits of the PyTorch reference
(../shared/reference/respike_ref.py) for weights and a clip given by a deterministic integer-hash
formula, so the fixture is a few hundred bytes instead of 120 MB of weights. The C# test
(ParityFixtureTests) rebuilds the same weights bit for bit (DeterministicWeights.cs) and compares logits.

Run with Debian's python3-torch:  /usr/bin/python3 tests/ReSpike.Tests/Fixtures/parity/generate.py
"""
import json, os, sys
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "reference"))
sys.path.insert(0, REF)
import respike_ref as R  # noqa: E402

M32 = 0xFFFFFFFF


def fnv1a(name):
    h = 0x811C9DC5
    for b in name.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & M32
    return h


def uniform(name, n):
    """n values in [0, 1): lowbias32 hash of (index + fnv1a(name)), exact in integers."""
    x = (np.arange(n, dtype=np.uint64) + np.uint64(fnv1a(name))) & np.uint64(M32)
    x ^= x >> np.uint64(16); x = (x * np.uint64(0x7FEB352D)) & np.uint64(M32)
    x ^= x >> np.uint64(15); x = (x * np.uint64(0x846CA68B)) & np.uint64(M32)
    x ^= x >> np.uint64(16)
    return x.astype(np.float64) / 4294967296.0


def value(name, shape):
    n = int(np.prod(shape)) if len(shape) else 1
    u = uniform(name, n)
    leaf = name.rsplit(".", 1)[-1]
    if leaf == "num_batches_tracked":
        return np.zeros(shape, dtype=np.int64)
    if leaf == "running_var":
        v = 1.0 + 0.5 * u
    elif leaf == "running_mean":
        v = 0.1 * (2.0 * u - 1.0)
    elif len(shape) >= 2:  # conv / linear weight: uniform with variance 2 / fan_in (He)
        fan_in = n // shape[0]
        v = (2.0 * u - 1.0) * np.sqrt(6.0 / fan_in)
    elif leaf == "weight":  # norm scales
        v = 1.0 + 0.1 * (2.0 * u - 1.0)
    else:  # biases
        v = 0.05 * (2.0 * u - 1.0)
    return v.astype(np.float32).reshape(shape)


def clip_for(shape):
    """The clip [B, T, 3, H, W]: uniform in [-2, 2) from the hash of "clip" (DeterministicWeights.Clip)."""
    return torch.from_numpy((2.0 * (2.0 * uniform("clip", int(np.prod(shape))) - 1.0)).astype(np.float32).reshape(shape))


def write_fixture(name, out, indent=1):
    """Writes out as HERE/name atomically (temp file, then rename)."""
    path = os.path.join(HERE, name)
    with open(path + ".tmp", "w") as fh:
        json.dump(out, fh, indent=indent)
    os.replace(path + ".tmp", path)


def main():
    cfg = dict(backbone="resnet18", classes=5, stride=4, frames=8, image=64, batch=2)
    torch.set_num_threads(2)
    net = R.ReSpike(cfg["classes"], cfg["backbone"], cfg["stride"], cfg["image"])
    state = {k: torch.from_numpy(value(k, tuple(v.shape))) for k, v in net.state_dict().items()}
    net.load_state_dict(state)
    net.eval()
    shape = (cfg["batch"], cfg["frames"], 3, cfg["image"], cfg["image"])
    clip = clip_for(shape)
    with torch.no_grad():
        logits = net(clip)
    out = dict(cfg, generator="tests/ReSpike.Tests/Fixtures/parity/generate.py", torch=torch.__version__,
               logits=[[float(x) for x in row] for row in logits.double()])
    write_fixture("resnet18-s4-f8-i64.json", out)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
