#!/usr/bin/env bash
# Side-by-side benchmark: flowmatch4j (Java) vs PyTorch at its best configuration.
#
# For each configuration the Java and the torch command run IN ALTERNATION
# (java, torch, java, torch, ... for R rounds), so that load from other processes on this
# shared 2-core machine hits both sides alike. Java runs with 2 threads; torch runs through
# bench/torch_env.sh (OpenMP OpenBLAS, glibc malloc tunables) with --threads best, i.e. 1 and 2
# threads measured with interleaved chunks; torch's figure is the better thread count's
# median over rounds.
#
# Train-step timing: torch times chunks of 100 steps (wall time / steps) and reports the
# median over chunks; at H=512,B=4096 a step takes ~80 ms, so there chunks are 10 steps.
#
# Usage: bench/compare.sh [--rounds R] [--scale F] [--only train|gemm]
#   --rounds R   rounds per configuration (default 3)
#   --scale F    multiply all step counts by F (e.g. 0.1 for a quick smoke run)
#   FLOWMATCH=path  Java launcher to use (default ./flowmatch in the repository root)
# Output: a table on stdout; raw JSON lines and logs in bench/results/ (gitignored).
# Exit status: 0 all PASS, 1 some FAIL, 2 some measurement missing.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT" || exit 2
ROUNDS=3
SCALE=1
ONLY=all
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --scale) SCALE="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
FLOWMATCH="${FLOWMATCH:-./flowmatch}"
TORCH_ENV="$ROOT/bench/torch_env.sh"
JAVA_THREADS=2
GEMM_N=1024

# Train-step configurations: H B L java_steps torch_steps torch_chunk torch_warmup target
# Step counts give >= ~5 s per side (per thread count for torch) at the expected speeds
# (java ~0.13 / 1.4 / 6 / 100 ms, torch ~0.6 / 2.5 / 7.4 / 84 ms per step).
CONFIGS="
64 256 3 40000 8000 100 200 4.0
256 256 3 4000 2000 100 100 2.0
256 1024 3 1000 700 100 50 1.3
512 4096 3 60 60 10 5 1.0
"
GEMM_TARGET=0.85   # java GFLOP/s >= 0.85 x torch GFLOP/s

"$TORCH_ENV" -c 'import torch' || exit 2

mkdir -p "$ROOT/bench/results"
STAMP="$(date +%Y%m%d-%H%M%S)"
RAW="$ROOT/bench/results/compare-$STAMP.jsonl"
LOG="$ROOT/bench/results/compare-$STAMP.log"
: > "$RAW"; : > "$LOG"

scaled() {  # scaled N -> max(1, round(N * SCALE))
  python3 -c "import sys; print(max(1, int(round(float(sys.argv[1]) * float(sys.argv[2])))))" "$1" "$SCALE"
}

# run_one ROUND CONFIG SIDE CMD...: runs CMD, appends {"round","config","side","rc","cmd","raw"}
run_one() {
  local round="$1" config="$2" side="$3"; shift 3
  local out rc
  echo "== round $round $config $side: $*" >> "$LOG"
  out="$("$@" 2>>"$LOG")"; rc=$?
  printf '%s\n' "$out" >> "$LOG"
  printf '%s\n' "$out" | python3 -c '
import json, sys
round_, config, side, rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cmd = sys.argv[5:]
raw = None
for line in reversed(sys.stdin.read().splitlines()):
    line = line.strip()
    if line.startswith("{"):
        try:
            raw = json.loads(line)
            break
        except ValueError:
            pass
print(json.dumps({"round": int(round_), "config": config, "side": side, "rc": rc,
                  "cmd": " ".join(cmd), "raw": raw}))
' "$round" "$config" "$side" "$rc" "$@" >> "$RAW"
  if [ "$rc" -ne 0 ]; then echo "   ($side exited $rc; see $LOG)" >&2; fi
}

echo "compare.sh: $ROUNDS rounds, raw results -> ${RAW#$ROOT/}" >&2
if [ "$ONLY" = all ] || [ "$ONLY" = train ]; then
  printf '%s\n' "$CONFIGS" | while read -r H B L JS TS TC TW TARGET; do
    [ -n "$H" ] || continue
    JS="$(scaled "$JS")"; TS="$(scaled "$TS")"
    [ "$TC" -le "$TS" ] || TC="$TS"
    cfg="train H=$H B=$B L=$L"
    for r in $(seq 1 "$ROUNDS"); do
      echo "-- $cfg round $r/$ROUNDS" >&2
      run_one "$r" "$cfg" java "$FLOWMATCH" bench train-step --hidden "$H" --batch "$B" \
        --layers "$L" --steps "$JS" --threads "$JAVA_THREADS" < /dev/null
      run_one "$r" "$cfg" torch "$TORCH_ENV" "$ROOT/bench/torch_train_step.py" --hidden "$H" \
        --batch "$B" --layers "$L" --steps "$TS" --threads best --chunk "$TC" --warmup "$TW" < /dev/null
    done
  done
fi
if [ "$ONLY" = all ] || [ "$ONLY" = gemm ]; then
  cfg="gemm n=$GEMM_N"
  for r in $(seq 1 "$ROUNDS"); do
    echo "-- $cfg round $r/$ROUNDS" >&2
    run_one "$r" "$cfg" java "$FLOWMATCH" bench gemm --n "$GEMM_N" --threads "$JAVA_THREADS" < /dev/null
    run_one "$r" "$cfg" torch "$TORCH_ENV" "$ROOT/bench/torch_gemm.py" --n "$GEMM_N" --threads best < /dev/null
  done
fi

# Table.
python3 - "$RAW" "$GEMM_TARGET" "$CONFIGS" <<'PY'
import json, statistics, sys
raw_path, gemm_target, configs = sys.argv[1], float(sys.argv[2]), sys.argv[3]
targets = {}
for line in configs.strip().splitlines():
    f = line.split()
    targets[f"train H={f[0]} B={f[1]} L={f[2]}"] = float(f[7])
rows = [json.loads(l) for l in open(raw_path) if l.strip()]
order = []
for r in rows:
    if r["config"] not in order:
        order.append(r["config"])

def med(v):
    return statistics.median(v) if v else None

def fmt(x, p=3):
    return "n/a" if x is None else f"{x:.{p}f}"

status = 0
hdr = f"{'config':<24} {'java':>10} {'torch':>10} {'torch thr':>9} {'ratio':>7} {'target':>8}  result"
print(hdr)
print("-" * len(hdr))
for cfg in order:
    rs = [r for r in rows if r["config"] == cfg]
    java = [r["raw"] for r in rs if r["side"] == "java" and r["raw"] and r["rc"] == 0]
    torch = [r["raw"] for r in rs if r["side"] == "torch" and r["raw"] and r["rc"] == 0]
    gemm = cfg.startswith("gemm")
    key = "gflops" if gemm else "ms_per_step"
    byk = "gflops_by_threads" if gemm else "ms_per_step_by_threads"
    jv = med([j[key] for j in java if key in j])
    per_t = {}
    for t in torch:
        for th, v in (t.get(byk) or {str(t["threads"]): t[key]}).items():
            per_t.setdefault(th, []).append(v)
    per_t = {th: med(v) for th, v in per_t.items()}
    if per_t:
        pick = max if gemm else min
        tth = pick(per_t, key=lambda th: per_t[th])
        tv = per_t[tth]
        tdesc = ", ".join(f"{th}t={fmt(v, 1 if gemm else 3)}" for th, v in sorted(per_t.items()))
    else:
        tth, tv, tdesc = None, None, "n/a"
    if jv is None or tv is None:
        ratio, res = None, "ERROR (missing result)"
        status = max(status, 2)
    else:
        ratio = jv / tv if gemm else tv / jv
        tgt = gemm_target if gemm else targets.get(cfg, 1.0)
        res = "PASS" if ratio >= tgt else "FAIL"
        if res == "FAIL":
            status = max(status, 1)
    tgt = gemm_target if gemm else targets.get(cfg)
    unit = "GFLOP/s" if gemm else "ms/step"
    rlabel = "java/torch" if gemm else "torch/java"
    print(f"{cfg:<24} {fmt(jv, 1 if gemm else 4):>10} {fmt(tv, 1 if gemm else 4):>10} "
          f"{(tth or 'n/a'):>9} {fmt(ratio, 2):>7} {('>=' + fmt(tgt, 2)):>8}  {res}")
    print(f"{'':<24} ({unit}, median of {len(java)}/{len(torch)} rounds; ratio {rlabel}; torch by threads: {tdesc})")
print(f"raw: {raw_path}")
sys.exit(status)
PY
