"""The integer-hash weights and clip of the committed fixtures, shared by every fixture generator (parity/,
video3d/) and mirrored bit for bit by DeterministicWeights.cs: values from a lowbias32 hash of (index + fnv1a(name)),
exact in integers, so Python and C# build identical float32 tensors without committing any weights."""
import numpy as np
import torch

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
    """The tensor called name: BatchNorm statistics, He-uniform weights, near-1 norm scales, small biases."""
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
