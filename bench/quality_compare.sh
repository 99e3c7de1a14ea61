#!/usr/bin/env bash
# Issue #3 quality comparison: flowmatch4j CLI vs a PyTorch I-CFM/OT-CFM reference at torchcfm's
# 2-D protocol (sigma 0.1, 3x64 SELU MLP on [x_t, t], batch 256, Adam 1e-3, 5000 steps), run one
# after the other (java, torch, java, torch, ...) on the same machine. For each (data, method,
# seed): train both, draw 5000 samples with Euler-100 and dopri5 (rtol = atol = 1e-5), score both
# sides with the same exact-OT W2 to the same held-out 5000 points (bench/w2.py, fm_common.heldout).
#
# Usage: bench/quality_compare.sh [--data "8gaussians moons"] [--methods "icfm otcfm"]
#            [--seeds "0"] [--steps 5000] [--java-threads 2] [--torch-threads 1]
#            [--java-standardize "per-column none"]   (each value is one more Java run per seed)
# Output: bench/results/quality-<stamp>.jsonl (one JSON object per line, tagged with
# side/data/method/seed/what), the samples and models under bench/results/quality-<stamp>/;
# summarise with bench/quality_table.py FILE.jsonl.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DATA="8gaussians moons"; METHODS="icfm otcfm"; SEEDS="0"; STEPS=5000; JT=2; TT=1; JSTD="per-column"
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA="$2"; shift 2;;
    --methods) METHODS="$2"; shift 2;;
    --seeds) SEEDS="$2"; shift 2;;
    --steps) STEPS="$2"; shift 2;;
    --java-threads) JT="$2"; shift 2;;
    --torch-threads) TT="$2"; shift 2;;
    --java-standardize) JSTD="$2"; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=bench/results/quality-$STAMP
mkdir -p "$OUT"
JSONL=bench/results/quality-$STAMP.jsonl
LOG=bench/results/quality-$STAMP.log
# build once (if sources changed) before timing anything, then never again during the run
./flowmatch --help >/dev/null 2>>"$LOG" || true
export FLOWMATCH_NO_BUILD=1
COMMIT=$(git rev-parse --short HEAD)

tag() {  # tag KEY=VALUE... ; reads one JSON object on stdin, adds the keys, appends to $JSONL
  /usr/bin/python3 -c '
import json, sys
o = json.loads(sys.stdin.read().strip().splitlines()[-1])
for kv in sys.argv[1:]:
    k, v = kv.split("=", 1)
    try: v = json.loads(v)
    except ValueError: pass
    o[k] = v
print(json.dumps(o))' "$@" | tee -a "$JSONL"
}

for seed in $SEEDS; do
  for data in $DATA; do
    for method in $METHODS; do
      coupling=independent; [ "$method" = otcfm ] && coupling=exact-ot
      for std in $JSTD; do
      m="$OUT/java-$data-$method-s$seed"; [ "$std" = per-column ] || m="$m-$std"
      echo "== $data $method seed $seed: java train (--standardize $std)" | tee -a "$LOG" >&2
      t0=$(date +%s.%N)
      res=$(./flowmatch train --data "$data" --out "$m" --force --path gaussian --sigma 0.1 \
        --coupling $coupling --hidden 64 --layers 3 --activation selu --batch 256 --lr 1e-3 \
        --steps "$STEPS" --threads "$JT" --seed "$seed" --standardize "$std" 2>>"$LOG")
      t1=$(date +%s.%N)
      echo "$res" | tag commit=$COMMIT side=java what=train data="$data" method=$method seed="$seed" standardize="\"$std\"" \
        wall_seconds="$(/usr/bin/python3 -c "print(round($t1 - $t0, 3))")"
      for solver in euler dopri5; do
        if [ $solver = euler ]; then sopt="--solver euler --steps 100"; else sopt="--solver dopri5 --rtol 1e-5 --atol 1e-5"; fi
        ./flowmatch sample --model "$m" --n 5000 --out "$m-$solver.csv" $sopt --seed $((seed + 1000)) 2>>"$LOG" \
          | tag side=java what=sample data="$data" method=$method seed="$seed" solver=$solver standardize="\"$std\""
      done
      done
      echo "== $data $method seed $seed: torch" | tee -a "$LOG" >&2
      bench/torch_env.sh bench/torch_cfm_quality.py --data "$data" --method $method --seed "$seed" \
        --steps "$STEPS" --threads "$TT" --samples-dir "$OUT" 2>>"$LOG" \
        | tag what=train_sample_w2
      for std in $JSTD; do
        m="$OUT/java-$data-$method-s$seed"; [ "$std" = per-column ] || m="$m-$std"
        for solver in euler dopri5; do
          bench/torch_env.sh bench/w2.py --data "$data" "$m-$solver.csv" 2>>"$LOG" \
            | tag side=java what=w2 data="$data" method=$method seed="$seed" solver=$solver standardize="\"$std\""
        done
      done
    done
  done
done
echo "results: $JSONL" >&2
