#!/usr/bin/env python3
"""Writes MNIST-style IDX files (e.g. Debian's dataset-fashion-mnist) as class-per-folder PNGs in ImageNet's layout,
OUT/train/<class>/*.png and OUT/val/<class>/*.png, for `respike train --dataset image-folder` (docs/spikingresformer.md).

usage: idx_to_image_folder.py IDX_DIR OUT TRAIN_PER_CLASS VAL_PER_CLASS
Takes the first TRAIN_PER_CLASS images of each class from train-*, the first VAL_PER_CLASS from t10k-*. Standard library only.
"""
import gzip
import os
import struct
import sys
import zlib

FASHION = ["t-shirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"]


def read_idx(path):
    data = (gzip.open if path.endswith(".gz") else open)(path, "rb").read()
    dims = struct.unpack(">" + "I" * data[3], data[4:4 + 4 * data[3]])
    return dims, data[4 + 4 * data[3]:]


def find(root, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(root, name)):
            return os.path.join(root, name)
    sys.exit(f"error: {root} has no {stem}[.gz]")


def write_grey_png(path, width, height, pixels):
    rows = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)   # 8-bit greyscale
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    src, out, per_train, per_val = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    for prefix, split, per in (("train", "train", per_train), ("t10k", "val", per_val)):
        (count, height, width), pixels = read_idx(find(src, f"{prefix}-images-idx3-ubyte"))
        _, labels = read_idx(find(src, f"{prefix}-labels-idx1-ubyte"))
        names = FASHION if "fashion" in os.path.basename(os.path.abspath(src)) else [str(i) for i in range(10)]
        taken = [0] * len(names)
        for name in names:
            os.makedirs(os.path.join(out, split, name), exist_ok=True)
        size = height * width
        for i in range(count):
            label = labels[i]
            if taken[label] >= per:
                continue
            taken[label] += 1
            write_grey_png(os.path.join(out, split, names[label], f"{prefix}_{i:05d}.png"), width, height, pixels[i * size:(i + 1) * size])
        print(f"{split}: {sum(taken)} images")


if __name__ == "__main__":
    main()
