#!/usr/bin/env python3
"""Generates the committed parity fixture of --fusion full3: eval-mode logits of the reference's non-downsample
model (AttentionResNet, where fusion1 is commented out: only the fusions after layers 2-4 run, at full resolution,
on the raw ANN stage tokens). ../shared/reference/respike_ref.py implements only the downsample model, so this
script builds the non-downsample forward from its modules. Weights and clip come from the same integer-hash
formula as generate.py (Full3ParityFixtureTests rebuilds them in C#). fusions.0 keeps its parameters (the state
dict is the reference's) but is never called.

Run with Debian's python3-torch:  /usr/bin/python3 tests/ReSpike.Tests/Fixtures/parity/generate_full3.py
"""
import json, os, sys
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate as G  # noqa: E402  (adds ../shared/reference to sys.path, hash formula)

R = G.R


class ReSpikeFull3(R.ReSpike):
    """respike_ref.ReSpike without --downsample: no pooling anywhere, fusion after stages 2-4 only."""

    def forward(self, clip):
        b, t, c, h, w = clip.shape
        s, k = self.stride, t // self.stride
        g = clip.view(b, k, s, c, h, w)
        key = g[:, :, 0].reshape(b * k, c, h, w)
        res = (g[:, :, 1:] - g[:, :, :1]).reshape(b * k, s - 1, c, h, w)
        feats, x = [], self.ann_stem(key)
        for layer in self.ann_layers:
            x = layer(x); feats.append(x)
        ctx = [f.flatten(2).transpose(1, 2) for f in feats]  # raw stage tokens, full resolution
        self.reset()
        outs = []
        for step in range(s - 1):
            y = self.snn_stem(res[:, step])
            for i, (layer, fusion, cx) in enumerate(zip(self.snn_layers, self.fusions, ctx)):
                y = layer(y)
                if i > 0:  # fusion1 is commented out in the reference's AttentionResNet
                    y = fusion(y, cx)
            outs.append(y)
        snn = torch.stack(outs, 1).mean(1)
        f = torch.cat([feats[-1], snn], 1).mean((2, 3))
        return self.fc(f).view(b, k, -1).mean(1)


def main():
    cfg = dict(backbone="resnet18", classes=5, stride=4, frames=8, image=64, batch=2, fusion="full3")
    torch.set_num_threads(2)
    net = ReSpikeFull3(cfg["classes"], cfg["backbone"], cfg["stride"], cfg["image"])
    state = {k: torch.from_numpy(G.value(k, tuple(v.shape))) for k, v in net.state_dict().items()}
    net.load_state_dict(state)
    net.eval()
    shape = (cfg["batch"], cfg["frames"], 3, cfg["image"], cfg["image"])
    clip = G.clip_for(shape)
    with torch.no_grad():
        logits = net(clip)
        # the same weights with the downsample forward, so the fixture shows the two modes differ
        pooled = R.ReSpike.forward(net, clip)
    params = sum(p.numel() for p in net.parameters())
    out = dict(cfg, generator="tests/ReSpike.Tests/Fixtures/parity/generate_full3.py", torch=torch.__version__,
               params=params, logits=[[float(x) for x in row] for row in logits.double()],
               pooled_logits=[[float(x) for x in row] for row in pooled.double()])
    G.write_fixture("resnet18-s4-f8-i64-full3.json", out)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
