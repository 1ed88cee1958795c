#!/usr/bin/env bash
# Side by side on this machine: our `respike bench` (Release build) against the PyTorch reference's bench
# (../shared/reference/respike_ref.py, Debian python3-torch) on the same configuration, inference and training,
# every run in a fresh process, ours and the reference's alternating so background load hits both alike.
# The reference must run on an optimised BLAS (a user who installs PyTorch any usual way gets one): Debian's torch
# calls the system libblas.so.3, which is netlib's reference BLAS unless OpenBLAS is installed, so this script installs
# libopenblas0-pthread when the reference would load netlib, and prints the BLAS each side uses and its matmul GMAC/s.
# Training runs three times for us: as `respike train` does by default (--allocator auto = tcmalloc, which this script
# installs: libtcmalloc-minimal4), the same with --recompute-spike-layers (less memory), and on glibc's own malloc
# (--allocator default). The reference's training also runs once more on tcmalloc (LD_PRELOAD), for information.
# Prints a ratio table (clips/s and peak RSS, ours / reference) against the targets.
# Usage: bench/compare.sh [OUT_DIR]      env: STEPS (3), THREADS (2), ROUNDS (2; the best round of each counts),
#        BACKBONE (resnet18), IMAGE (112), FRAMES (16), STRIDE (4), BATCH (2), EXTRA (more flags for respike bench)
set -euo pipefail
cd "$(dirname "$0")/.."
ref=../shared/reference/respike_ref.py
out=${1:-$(mktemp -d)}
mkdir -p "$out"
steps=${STEPS:-3} threads=${THREADS:-2} rounds=${ROUNDS:-2}
backbone=${BACKBONE:-resnet18} image=${IMAGE:-112} frames=${FRAMES:-16} stride=${STRIDE:-4} batch=${BATCH:-2}
config=(--backbone "$backbone" --image "$image" --frames "$frames" --stride "$stride" --batch "$batch" --steps "$steps" --threads "$threads")
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# which BLAS the reference's torch loads, and how fast its matmul is (2048^3, the threads of the bench)
reference_blas() {
  /usr/bin/python3 - "$threads" <<'PY'
import sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
a @ b
best = min((lambda t0: (a @ b, time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(3))
lib = next((l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower() and ".so" in l), "none found")
print(f"{lib}\t{2048**3 / best / 1e9:.1f}")
PY
}
IFS=$'\t' read -r ref_blas ref_gmacs < <(reference_blas)
case "$ref_blas" in
  */openblas*|*mkl*|*blis*|*atlas*) ;;
  *)
    echo "== the reference's torch loads $ref_blas ($ref_gmacs GMAC/s): installing libopenblas0-pthread (apt-get) for a fair anchor"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libopenblas0-pthread >/dev/null
    IFS=$'\t' read -r ref_blas ref_gmacs < <(reference_blas)
    case "$ref_blas" in */openblas*) ;; *) echo "error: the reference still loads $ref_blas; select OpenBLAS with update-alternatives --config libblas.so.3-x86_64-linux-gnu" >&2; exit 1 ;; esac
    ;;
esac
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
if [ ! -e "$tcmalloc" ]; then
  echo "== installing libtcmalloc-minimal4 (apt-get): respike train's default allocator where it is installed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libtcmalloc-minimal4 >/dev/null
fi

dotnet build src/ReSpike.Cli -c Release -v quiet -nologo >/dev/null
respike=src/ReSpike.Cli/bin/Release/net10.0/respike
native=$(dirname "$(readlink -f "$respike")")/runtimes/linux-x64/native/libtorch_cpu.so
our_blas=$(grep -q "Math Kernel Library" "$native" && echo "Intel MKL, linked statically into libtorch_cpu.so" || echo "the BLAS built into libtorch_cpu.so")
"$respike" env --json "$out/env.json" >/dev/null
# the profile measures our machine limit (same libtorch, same threads) and where each step's time goes
"$respike" bench --profile --model respike "${config[@]}" --json "$out/profile.json" > "$out/profile.txt"

for round in $(seq 1 "$rounds"); do
  for mode in infer train train-recompute train-glibc; do
    flag=(); ours=()
    case $mode in
      train) flag=(--train) ;;
      train-recompute) flag=(--train); ours=(--recompute-spike-layers) ;;
      train-glibc) flag=(--train); ours=(--allocator default) ;;
    esac
    case $mode in
      infer|train) /usr/bin/python3 "$ref" bench "${config[@]}" "${flag[@]}" > "$out/ref-$mode-$round.json" ;;
      train-glibc) LD_PRELOAD="$tcmalloc" /usr/bin/python3 "$ref" bench "${config[@]}" "${flag[@]}" > "$out/ref-train-tcmalloc-$round.json" ;;
    esac
    # shellcheck disable=SC2086
    "$respike" bench --model respike "${config[@]}" "${flag[@]}" "${ours[@]}" ${EXTRA:-} --json "$out/ours-$mode-$round.json" >/dev/null
  done
done

python3 - "$out" "$rounds" "$ref_blas" "$ref_gmacs" "$our_blas" <<'PY'
import json, os, platform, subprocess, sys
out, rounds, ref_blas, ref_gmacs, our_blas = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
def load(kind, mode):
    runs = [json.load(open(f"{out}/{kind}-{mode}-{r}.json")) for r in range(1, rounds + 1)]
    return max(runs, key=lambda j: j["clips_per_s"])
env = json.load(open(f"{out}/env.json"))
profile = json.load(open(f"{out}/profile.json"))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
torch_version = subprocess.run(["/usr/bin/python3", "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True).stdout.strip()
print(f"CPU: {cpu}, {os.cpu_count()} cores; load average {open('/proc/loadavg').read().split()[0:3]}")
print(f"ours: ReSpike.NET on TorchSharp {env['torch_sharp_version']} / libtorch {env['lib_torch_version']}, {env['dot_net_version']}; "
      f"BLAS: {our_blas}; matmul {profile['machine_limit']['matmul_gmac_per_s']} GMAC/s")
print(f"reference: respike_ref.py on PyTorch {torch_version} (Debian python3-torch); BLAS: {ref_blas}; matmul {ref_gmacs} GMAC/s")
ri, rt = load("ref", "infer"), load("ref", "train")
oi, ot, orc, og = load("ours", "infer"), load("ours", "train"), load("ours", "train-recompute"), load("ours", "train-glibc")
rtc = load("ref", "train-tcmalloc")
print(f"config: {ri['backbone']}, image {ri['image']}, {ri['frames']} frames, stride {ri['stride']}, batch {ri['batch']}, "
      f"threads {ri['threads']}, {oi['steps']} timed steps after 1 warm-up, best of {rounds} round(s); random weights, standard-normal clips")
print(f"our spike convolutions: {oi['spike_convolution']} (inference firing rate {oi['firing_rate']}); LIF kernel {ot['lif_kernel']}; "
      f"inference layout {oi['layout']}")
print()
print(f"| mode | ours clips/s | ref clips/s | ratio | target | ours peak RSS MiB | ref peak RSS MiB | ratio | target |")
print(f"|---|---|---|---|---|---|---|---|---|")
def allocator(o): return o['allocator'].split('(')[0].strip()
rows = [("inference", oi, ri, 3.0, None), (f"training, {allocator(ot)}", ot, rt, 1.5, 0.7),
        (f"training, {allocator(orc)} + --recompute-spike-layers", orc, rt, 1.5, 0.7),
        (f"training, {allocator(og)}", og, rt, 1.5, 0.7)]
for mode, o, r, speed_target, rss_target in rows:
    speed = o["clips_per_s"] / r["clips_per_s"]
    rss = o["peak_rss_mb"] / r["peak_rss_mb"]
    st = f">= {speed_target}x {'ok' if speed >= speed_target else 'MISSED'}"
    rt_ = f"<= {rss_target}x {'ok' if rss <= rss_target else 'MISSED'}" if rss_target else "-"
    print(f"| {mode} | {o['clips_per_s']:.3f} | {r['clips_per_s']:.3f} | {speed:.2f}x | {st} | {o['peak_rss_mb']:.0f} | {r['peak_rss_mb']:.0f} | {rss:.2f}x | {rt_} |")
print()
print(f"s/step: ours infer {oi['s_per_step']} (steps {oi['step_seconds']}), train {ot['s_per_step']} (steps {ot['step_seconds']}), "
      f"with --recompute-spike-layers {orc['s_per_step']} (steps {orc['step_seconds']}), on glibc {og['s_per_step']}; "
      f"reference infer {ri['s_per_step']}, train {rt['s_per_step']}")
print(f"for information, the reference's training on tcmalloc too (LD_PRELOAD): {rtc['clips_per_s']:.3f} clips/s, peak RSS {rtc['peak_rss_mb']:.0f} MiB; "
      f"ours with --recompute-spike-layers against it: {orc['clips_per_s'] / rtc['clips_per_s']:.2f}x clips/s, {orc['peak_rss_mb'] / rtc['peak_rss_mb']:.2f}x peak RSS")
inf = profile["inference"]
print(f"inference: {inf['dense_gmacs']} dense GMAC per step at {inf['dense_gmac_per_s']} GMAC/s = "
      f"{100 * profile['inference_fraction_of_matmul']:.1f} % of our matmul limit (profile in {out}/profile.txt)")
print(f"JSON files in {out}")
PY
