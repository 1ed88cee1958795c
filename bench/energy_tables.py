#!/usr/bin/env python3
"""Prints docs/energy.md's tables from the JSON reports bench/energy.sh writes (argument: that directory)."""
import json
import os
import re
import sys

out = sys.argv[1]


def load(name):
    with open(os.path.join(out, name + ".json")) as f:
        return json.load(f)


def pct(ours, paper):
    return f"{100 * (ours - paper) / paper:+.2f}%"


print("## Table 3, ours vs paper (per 16-frame clip, 224 px, fp32 45 nm)\n")
print("| row | GMACs ours | paper | diff | G adds ours | mJ ours | paper | diff |")
print("|---|---|---|---|---|---|---|---|")
for name, label, g, mj in [("ann18", "2D ResNet-18 x16 frames", 29.22, 134.40), ("ann50", "2D ResNet-50 x16 frames", 66.29, 304.92)]:
    r = load(name)
    print(f"| {label} | {r['total_gmacs']:.3f} | {g} | {pct(r['total_gmacs'], g)} | {r['total_gadds']:.4f} | {r['energy_mj']:.2f} | {mj} | {pct(r['energy_mj'], mj)} |")

print("\n## ReSpike s=4 split (firing rate 0.096 assumed = paper's 1.93 G SyOPs)\n")
print("| model | ANN GMACs (paper) | fusion GMACs (paper) | SNN GMACs | SNN GACs (paper SyOPs) | head GMACs | G adds | mJ (paper) | x 2D baseline |")
print("|---|---|---|---|---|---|---|---|---|")
for name, label, ann, mj in [("respike18", "ReSpike Res-18", 7.25, 68.31), ("respike50", "ReSpike Res-50", 16.35, 110.15)]:
    r = load(name)
    print(f"| {label} | {r['ann_gmacs']:.3f} ({ann}) | {r['fusion_gmacs']:.3f} (7.22) | {r['snn_gmacs']:.3f} | "
          f"{r['snn_gacs']:.3f} (1.93) | {r['head_gmacs']:.4f} | {r['total_gadds']:.4f} | {r['energy_mj']:.2f} ({mj}) | {r['energy_ratio_to_baseline']:.3f} |")

noise = load("respike18-noise")
print(f"\nuntrained ReSpike Res-18 on random clips: firing rate {noise['firing_rate']:.4f} ({noise['firing_rate_source']}), "
      f"{noise['snn_gacs']:.3f} GACs, {noise['energy_mj']:.2f} mJ; input: {noise['input']}")


def terms(report):
    """Fusion branch per clip, grouped by term over the four stages: (GMACs, G adds)."""
    groups = {}
    rules = [
        (r"self_attn\.to_[qkv]$", "self-attn Q, K, V projections"),
        (r"self_attn\.to_out$", "self-attn output projection (+bias)"),
        (r"cross_attn\.to_q$", "cross-attn Q projection"),
        (r"cross_attn\.to_out$", "cross-attn output projection (+bias)"),
        (r"cross_attn\.to_[kv]$", "cross-attn K, V projections of the ANN context"),
        (r"ff_in$", "GEGLU FF in (C -> 8C, +bias)"),
        (r"ff_out$", "GEGLU FF out (4C -> C, +bias)"),
        (r"proj_(in|out)$", "proj_in / proj_out 1x1 convs (+bias)"),
        (r"self_attn\.(qk|av)$", "self-attn products Q K^T, A V"),
        (r"cross_attn\.(qk|av)$", "cross-attn products Q K^T, A V"),
        (r"\.(norm|ln\d)$", "GroupNorm + 3 LayerNorms"),
        (r"grids\.\d+\.(token|context)_pool$", "average pooling to the 14x14 grid"),
        (r"grids\.\d+\.upsample$", "bilinear upsampling back"),
    ]
    for layer in report["layers"]:
        if layer["branch"] != "fusion":
            continue
        for pattern, term in rules:
            if re.search(pattern, layer["name"]):
                macs, adds = groups.get(term, (0, 0))
                groups[term] = (macs + layer["gmacs"], adds + layer["gadds"])
                break
        else:
            raise SystemExit(f"unclassified fusion layer {layer['name']}")
    return [(term, groups.get(term, (0, 0))) for _, term in rules]


def ops(macs_adds):
    macs, adds = macs_adds
    return f"{macs:.4f}" + (f" + {adds:.4f} adds" if adds else "")


r18, r50 = load("respike18"), load("respike50")
print("\n## Fusion GMACs (+ G adds) per clip, term by term (12 SNN timesteps, 4 key frames)\n")
print("| term | ReSpike Res-18 | ReSpike Res-50 |")
print("|---|---|---|")
for (term, a), (_, b) in zip(terms(r18), terms(r50)):
    print(f"| {term} | {ops(a)} | {ops(b)} |")
print(f"| **total** | **{ops((r18['fusion_gmacs'], r18['fusion_gadds']))}** | **{ops((r50['fusion_gmacs'], r50['fusion_gadds']))}** |")

print("\n## Precision presets (ReSpike Res-18, rate 0.096)\n")
print("| precision | E_MAC pJ | E_AC pJ | mJ per clip |")
print("|---|---|---|---|")
for name in ["respike18", "respike18-fp16", "respike18-int8"]:
    r = load(name)
    print(f"| {r['precision']} | {r['e_mac_pj']} | {r['e_ac_pj']} | {r['energy_mj']:.2f} |")
