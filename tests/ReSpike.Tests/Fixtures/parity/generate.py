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

sys.path.insert(0, os.path.dirname(HERE))
from hash_weights import M32, fnv1a, uniform, value, clip_for  # noqa: E402,F401  (re-exported to the other generators)


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
