#!/usr/bin/env bash
# Reproduces docs/energy.md: the paper's Table 3 rows counted on our own models (224 px, 16 frames), the
# fusion cost term by term, and the precision presets. Op counts are deterministic; ~5 minutes on 2 cores.
# Usage: bench/energy.sh [OUT_DIR]      prints the tables; the JSON reports stay in OUT_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
dotnet build src/ReSpike.Cli -c Release -v quiet -nologo >/dev/null
respike=src/ReSpike.Cli/bin/Release/net10.0/respike
run() { local name=$1; shift; "$respike" energy "$@" --layers none --json "$out/$name.json" >"$out/$name.txt"; }
clip="--image 224 --frames 16"
run ann18 --model ann --backbone resnet18 $clip --stride 1 --classes 1000
run ann50 --model ann --backbone resnet50 $clip --stride 1 --classes 1000
# 0.096 x our 20.14 G spike-driven synaptic ops = the paper's 1.93 G SyOPs (its trained HMDB-51 rate)
run respike18 --model respike --backbone resnet18 $clip --stride 4 --firing-rate 0.096
run respike50 --model respike --backbone resnet50 $clip --stride 4 --firing-rate 0.096
run respike18-noise --model respike --backbone resnet18 $clip --stride 4
for p in fp16 int8; do run respike18-$p --model respike --backbone resnet18 $clip --stride 4 --firing-rate 0.096 --precision $p; done
python3 bench/energy_tables.py "$out"
