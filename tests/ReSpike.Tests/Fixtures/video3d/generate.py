#!/usr/bin/env python3
"""Generates the committed fixture of the 3D baselines (Video3dTests): for R3D-18, MC3-18 and R(2+1)D-18 straight from
torchvision.models.video (Debian's python3-torchvision 0.14) -

  params_400   parameter count with Kinetics' 400 classes
  state        every state-dict name and shape (5 classes), so our names can be checked one by one
  logits       eval-mode logits for weights and a clip given by the integer-hash formula of ../parity/generate.py
               (DeterministicWeights.cs rebuilds both bit for bit), batch 2, 4 frames, 32 px, 5 classes

and for all four models the dense op count at 16 x 112^2 by forward hooks (bench/video3d/count_macs.py), which
`respike energy` must reproduce. A few kilobytes instead of 130 MB of weights per model.

Run with Debian's python3-torch:  /usr/bin/python3 tests/ReSpike.Tests/Fixtures/video3d/generate.py
"""
import importlib.util, json, os, sys
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


harness = load("bench/video3d/torchvision_parity.py", "torchvision_parity")
counter = load("bench/video3d/count_macs.py", "count_macs")

sys.path.insert(0, os.path.dirname(HERE))
from hash_weights import uniform, value, clip_for  # noqa: E402  (the formula DeterministicWeights.cs mirrors)


def main():
    torch.set_num_threads(1)
    cfg = dict(classes=5, batch=2, frames=4, image=32)
    out = dict(cfg, generator="tests/ReSpike.Tests/Fixtures/video3d/generate.py", torch=torch.__version__, models={})
    shape = (cfg["batch"], cfg["frames"], 3, cfg["image"], cfg["image"])
    clip = clip_for(shape)
    for name, build in harness.BUILDERS.items():
        params_400 = sum(p.numel() for p in build(num_classes=400).parameters())
        net = build(num_classes=cfg["classes"])
        state = {k: torch.from_numpy(value(k, tuple(v.shape))) for k, v in net.state_dict().items()}
        net.load_state_dict(state)
        net.eval()
        with torch.no_grad():
            logits = net(harness.to_torchvision_input(clip))
        out["models"][name] = dict(params_400=params_400,
                                   state=[[k, list(v.shape)] for k, v in net.state_dict().items()],
                                   logits=[[float(x) for x in row] for row in logits.double()])
    macs = {}
    for name in ["c3d", "r3d-18", "mc3-18", "r2plus1d-18"]:
        counts = counter.count(counter.build(name, 101, 16, 112), 16, 112)
        macs[name] = dict(total_macs=counts["total_macs"], pool_adds=counts["pool_adds"],
                          params_101=sum(p.numel() for p in counter.build(name, 101, 16, 112).parameters()))
    out["macs_16x112_101_classes"] = macs
    path = os.path.join(HERE, "video3d.json")
    with open(path + ".tmp", "w") as fh:
        json.dump(out, fh, indent=1)
    os.replace(path + ".tmp", path)
    print(json.dumps({k: v["logits"] for k, v in out["models"].items()}))
    print(json.dumps(macs))


if __name__ == "__main__":
    main()
