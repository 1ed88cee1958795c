#!/usr/bin/env bash
# Side by side on this machine: our `respike bench` (Release build) against the PyTorch reference's bench
# (../shared/reference/respike_ref.py, Debian python3-torch 1.13) on the same configuration, inference and training,
# every run in a fresh process, ours and the reference's alternating so background load hits both alike.
# Prints machine info and a ratio table (clips/s and peak RSS, ours / reference) against the issue-7 targets.
# Usage: bench/compare.sh [OUT_DIR]      env: STEPS (3), THREADS (2), ROUNDS (1; the best round of each counts),
#        BACKBONE (resnet18), IMAGE (112), FRAMES (16), STRIDE (4), BATCH (2), EXTRA (more flags for respike bench)
set -euo pipefail
cd "$(dirname "$0")/.."
ref=../shared/reference/respike_ref.py
out=${1:-$(mktemp -d)}
mkdir -p "$out"
steps=${STEPS:-3} threads=${THREADS:-2} rounds=${ROUNDS:-1}
backbone=${BACKBONE:-resnet18} image=${IMAGE:-112} frames=${FRAMES:-16} stride=${STRIDE:-4} batch=${BATCH:-2}
config=(--backbone "$backbone" --image "$image" --frames "$frames" --stride "$stride" --batch "$batch" --steps "$steps" --threads "$threads")
dotnet build src/ReSpike.Cli -c Release -v quiet -nologo >/dev/null
respike=src/ReSpike.Cli/bin/Release/net10.0/respike
"$respike" env --json "$out/env.json" >/dev/null

for round in $(seq 1 "$rounds"); do
  for mode in infer train; do
    flag=(); [ "$mode" = train ] && flag=(--train)
    /usr/bin/python3 "$ref" bench "${config[@]}" "${flag[@]}" > "$out/ref-$mode-$round.json"
    # shellcheck disable=SC2086
    "$respike" bench --model respike "${config[@]}" "${flag[@]}" ${EXTRA:-} --json "$out/ours-$mode-$round.json" >/dev/null
  done
done

python3 - "$out" "$rounds" <<'PY'
import json, os, platform, subprocess, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def load(kind, mode):
    runs = [json.load(open(f"{out}/{kind}-{mode}-{r}.json")) for r in range(1, rounds + 1)]
    return max(runs, key=lambda j: j["clips_per_s"])
env = json.load(open(f"{out}/env.json"))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
torch_version = subprocess.run(["/usr/bin/python3", "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True).stdout.strip()
print(f"CPU: {cpu}, {os.cpu_count()} cores; load average {open('/proc/loadavg').read().split()[0:3]}")
print(f"ours: ReSpike.NET on TorchSharp {env['torch_sharp_version']} / libtorch {env['lib_torch_version']}, {env['dot_net_version']}")
print(f"reference: respike_ref.py on PyTorch {torch_version} (Debian python3-torch)")
ri, rt = load("ref", "infer"), load("ref", "train")
oi, ot = load("ours", "infer"), load("ours", "train")
print(f"config: {ri['backbone']}, image {ri['image']}, {ri['frames']} frames, stride {ri['stride']}, batch {ri['batch']}, "
      f"threads {ri['threads']}, {oi['steps']} timed steps after 1 warm-up, best of {rounds} round(s)")
print(f"our allocator: infer {oi['allocator']}, train {ot['allocator']}; LIF kernel {ot['lif_kernel']}")
print()
rows = []
print(f"| mode | ours clips/s | ref clips/s | ratio | target | ours peak RSS MiB | ref peak RSS MiB | ratio | target |")
print(f"|---|---|---|---|---|---|---|---|---|")
for mode, o, r, speed_target, rss_target in [("inference", oi, ri, 2.0, None), ("training", ot, rt, 1.5, 0.75)]:
    speed = o["clips_per_s"] / r["clips_per_s"]
    rss = o["peak_rss_mb"] / r["peak_rss_mb"]
    st = f">= {speed_target}x {'ok' if speed >= speed_target else 'MISSED'}"
    rt_ = f"<= {rss_target}x {'ok' if rss <= rss_target else 'MISSED'}" if rss_target else "-"
    print(f"| {mode} | {o['clips_per_s']:.3f} | {r['clips_per_s']:.3f} | {speed:.2f}x | {st} | {o['peak_rss_mb']:.0f} | {r['peak_rss_mb']:.0f} | {rss:.2f}x | {rt_} |")
print()
print(f"s/step: ours infer {oi['s_per_step']} (steps {oi['step_seconds']}), train {ot['s_per_step']} (steps {ot['step_seconds']}); "
      f"reference infer {ri['s_per_step']}, train {rt['s_per_step']}")
print(f"JSON files in {out}")
PY
