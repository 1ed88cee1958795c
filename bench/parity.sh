#!/usr/bin/env bash
# Parity of the C# network against the PyTorch reference (../shared/reference/respike_ref.py) on the
# reference's own random weights: resnet18/resnet50 x strides 2/4/8 x images 64/112, batch 2, 16 frames.
# Two tables: eval-mode logits, then one training step (respike_ref.py parity --train: train-mode BatchNorm,
# cross-entropy, backward, SGD lr 0.01 / momentum 0.9 / wd 1e-4) - loss, every gradient, every tensor after the step.
# Needs Debian's python3-torch and python3-torchvision (apt-get install -y python3-torch python3-torchvision).
# Third table (which = all or video): the 3D baselines R3D-18, MC3-18, R(2+1)D-18 against torchvision.models.video
# (bench/video3d/torchvision_parity.py; torchvision .pth weights; eval logits at two clip shapes, then one float64
# training step), see docs/baselines.md.
# Usage: bench/parity.sh [OUT_DIR] [all|eval|train|video|srf]   prints one line per case; exit 1 if any case fails.
# srf: SpikingResformer against its official code (every variant, eval at two sizes/timesteps, one train step each),
# run when SRF_OFFICIAL names the directory set up as in docs/spikingresformer.md (also by "all" then).
# "ties" counts LIF sites within float32 rounding of the threshold that were decided as the reference's logits
# require (docs/parity.md, "Threshold ties").
set -euo pipefail
cd "$(dirname "$0")/.."
ref=../shared/reference/respike_ref.py
out=${1:-$(mktemp -d)}
which=${2:-all}
mkdir -p "$out"
dotnet build src/ReSpike.Cli -c Release -v quiet -nologo >/dev/null
respike=src/ReSpike.Cli/bin/Release/net10.0/respike
classes=13
fail=0
if [ "$which" = srf ] || { [ "$which" = all ] && [ -n "${SRF_OFFICIAL:-}" ]; }; then
  : "${SRF_OFFICIAL:?set SRF_OFFICIAL to the official SpikingResformer set-up (docs/spikingresformer.md)}"
  srfref=bench/spikingresformer_ref.py
  printf "%-8s %5s %3s %12s %12s %s\n" variant image T max_abs_err rel_err result
  for variant in ti s m l dvsg cifar; do
    for case in "64 2" "96 4"; do
      set -- $case; image=$1; T=$2
      base="$out/srf-$variant-i$image-t$T"
      /usr/bin/python3 $srfref parity --official "$SRF_OFFICIAL" --variant $variant --image $image --timesteps $T --classes $classes \
        --batch 2 --out "$base" >/dev/null
      if "$respike" parity --model spikingresformer-$variant --weights "$base.weights.safetensors" --io "$base.io.safetensors" \
           --image $image --timesteps $T --classes $classes --json "$base.json" >/dev/null; then r=ok; else r=FAIL; fail=1; fi
      python3 -c "import json; j=json.load(open('$base.json')); print('%-8s %5d %3d %12.3e %12.3e %s' % ('$variant', $image, $T, j['max_abs_err'], j['rel_err'], '$r'))"
      rm -f "$base.weights.safetensors"
    done
  done
  echo
  printf "%-8s %5s %3s %12s %16s %17s %4s %s\n" variant image T loss_rel_err max_grad_rel_err max_after_rel_err ties result
  for variant in ti s m l dvsg cifar; do
    image=64; T=2; base="$out/srf-train-$variant"
    /usr/bin/python3 $srfref parity --train --official "$SRF_OFFICIAL" --variant $variant --image $image --timesteps $T \
      --classes $classes --batch 2 --out "$base" >/dev/null
    if "$respike" parity --train --model spikingresformer-$variant --weights "$base.weights.safetensors" --io "$base.io.safetensors" \
         --expected "$base.train.safetensors" --image $image --timesteps $T --classes $classes --json "$base.json" >/dev/null; then r=ok; else r=FAIL; fail=1; fi
    python3 -c "import json; j=json.load(open('$base.json')); print('%-8s %5d %3d %12.3e %16.3e %17.3e %4d %s' % ('$variant', $image, $T, j['loss_rel_err'], j['max_grad_rel_err'], j['max_after_rel_err'], len(j['threshold_ties']), '$r'))"
    rm -f "$base.weights.safetensors" "$base.train.safetensors"
  done
  [ "$which" = srf ] && exit $fail
  echo
fi
if [ "$which" = all ] || [ "$which" = eval ]; then
printf "%-9s %6s %5s %12s %12s %s\n" backbone stride image max_abs_err rel_err result
for backbone in resnet18 resnet50; do
  for stride in 2 4 8; do
    for image in 64 112; do
      base="$out/$backbone-s$stride-i$image"
      /usr/bin/python3 "$ref" parity --backbone $backbone --classes $classes --stride $stride --image $image \
        --batch 2 --frames 16 --out "$base" >/dev/null
      if "$respike" parity --weights "$base.weights.safetensors" --io "$base.io.safetensors" --backbone $backbone \
           --classes $classes --stride $stride --image $image --json "$base.json" >/dev/null; then r=ok; else r=FAIL; fail=1; fi
      python3 -c "import json,sys; j=json.load(open('$base.json')); print('%-9s %6d %5d %12.3e %12.3e %s' % ('$backbone', $stride, $image, j['max_abs_err'], j['rel_err'], '$r'))"
      rm -f "$base.weights.safetensors"
    done
  done
done
fi
if [ "$which" = all ] || [ "$which" = train ]; then
echo
printf "%-9s %6s %5s %12s %16s %17s %4s %-36s %s\n" backbone stride image loss_rel_err max_grad_rel_err max_after_rel_err ties worst_grad result
for backbone in resnet18 resnet50; do
  for stride in 2 4 8; do
    for image in 64 112; do
      base="$out/train-$backbone-s$stride-i$image"
      /usr/bin/python3 "$ref" parity --train --backbone $backbone --classes $classes --stride $stride --image $image \
        --batch 2 --frames 16 --out "$base" >/dev/null
      if "$respike" parity --train --weights "$base.weights.safetensors" --io "$base.io.safetensors" \
           --expected "$base.train.safetensors" --backbone $backbone --classes $classes --stride $stride --image $image \
           --json "$base.json" >/dev/null; then r=ok; else r=FAIL; fail=1; fi
      python3 -c "import json; j=json.load(open('$base.json')); print('%-9s %6d %5d %12.3e %16.3e %17.3e %4d %-36s %s' % ('$backbone', $stride, $image, j['loss_rel_err'], j['max_grad_rel_err'], j['max_after_rel_err'], len(j['threshold_ties']), j['worst']['grad'], '$r'))"
      rm -f "$base.weights.safetensors" "$base.train.safetensors"
    done
  done
done
fi
if [ "$which" = all ] || [ "$which" = video ]; then
echo
printf "%-12s %5s %6s %5s %7s %12s %12s %16s %17s %s\n" model batch frames image mode max_abs_err rel_err max_grad_rel_err max_after_rel_err result
for model in r3d-18 mc3-18 r2plus1d-18; do
  for shape in "1 8 64" "3 16 112"; do
    set -- $shape
    base="$out/$model-b$1-f$2-i$3"
    /usr/bin/python3 bench/video3d/torchvision_parity.py --model $model --classes $classes --batch $1 --frames $2 --image $3 \
      --seed 7 --out "$base" >/dev/null
    if "$respike" parity --model $model --weights "$base.weights.pth" --io "$base.io.safetensors" --classes $classes \
         --json "$base.json" >/dev/null; then r=ok; else r=FAIL; fail=1; fi
    python3 -c "import json; j=json.load(open('$base.json')); print('%-12s %5d %6d %5d %7s %12.3e %12.3e %16s %17s %s' % ('$model', $1, $2, $3, 'eval', j['max_abs_err'], j['rel_err'], '', '', '$r'))"
    rm -f "$base.weights.pth"
  done
  base="$out/train-$model-b2-f8-i64"
  /usr/bin/python3 bench/video3d/torchvision_parity.py --model $model --classes $classes --batch 2 --frames 8 --image 64 \
    --seed 7 --train --out "$base" >/dev/null
  if "$respike" parity --model $model --train --weights "$base.weights.pth" --io "$base.io.safetensors" \
       --expected "$base.train.safetensors" --classes $classes --json "$base.json" >/dev/null; then r=ok; else r=FAIL; fail=1; fi
  python3 -c "import json; j=json.load(open('$base.json')); print('%-12s %5d %6d %5d %7s %12s %12.3e %16.3e %17.3e %s' % ('$model', 2, 8, 64, 'train', '', j['loss_rel_err'], j['max_grad_rel_err'], j['max_after_rel_err'], '$r'))"
  rm -f "$base.weights.pth" "$base.train.safetensors"
done
fi
exit $fail
