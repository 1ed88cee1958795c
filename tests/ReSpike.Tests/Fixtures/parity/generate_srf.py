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


if __name__ == "__main__":
    main()
