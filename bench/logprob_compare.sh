#!/usr/bin/env bash
# Issue #3 likelihood speed: `flowmatch logprob` (dopri5, rtol = atol = 1e-5, exact divergence) vs
# PyTorch computing the same log p(x) for the same weights (bench/torch_logprob.py: autograd exact
# divergence, torch dopri5), alternating java / torch for --rounds rounds on N held-out points.
#
# Usage: bench/logprob_compare.sh --model DIR [--data moons] [--n 2000] [--rounds 3]
#            [--torch-threads 1]
# Output: bench/results/logprob-<stamp>.jsonl; each torch line carries the Java mean and the
# per-row differences of the preceding Java run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MODEL=""; DATA=moons; N=2000; ROUNDS=3; TT=1
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2;;
    --data) DATA="$2"; shift 2;;
    --n) N="$2"; shift 2;;
    --rounds) ROUNDS="$2"; shift 2;;
    --torch-threads) TT="$2"; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
[ -n "$MODEL" ] || { echo "--model DIR is required" >&2; exit 2; }

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=bench/results/logprob-$STAMP
mkdir -p "$OUT"
JSONL=bench/results/logprob-$STAMP.jsonl
LOG=bench/results/logprob-$STAMP.log
./flowmatch --help >/dev/null 2>>"$LOG" || true
export FLOWMATCH_NO_BUILD=1

# the first N points of the fixed held-out set (never seen in training)
/usr/bin/python3 - "$DATA" "$N" "$OUT/test.csv" <<'EOF'
import sys, os
sys.path.insert(0, "bench")
import fm_common as fc
fc.write_csv(sys.argv[3], fc.heldout(sys.argv[1])[: int(sys.argv[2])])
EOF

for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: java" | tee -a "$LOG" >&2
  t0=$(date +%s.%N)
  res=$(./flowmatch logprob --model "$MODEL" --input "$OUT/test.csv" --out "$OUT/java-lp.csv" \
        --solver dopri5 --rtol 1e-5 --atol 1e-5 2>>"$LOG")
  t1=$(date +%s.%N)
  echo "$res" | /usr/bin/python3 -c '
import json, sys
o = json.loads(sys.stdin.read().strip().splitlines()[-1])
o.update(side="java", round=int(sys.argv[1]), wall_seconds=round(float(sys.argv[3]) - float(sys.argv[2]), 3))
print(json.dumps(o))' "$r" "$t0" "$t1" | tee -a "$JSONL"
  echo "== round $r: torch" | tee -a "$LOG" >&2
  t0=$(date +%s.%N)
  res=$(bench/torch_env.sh bench/torch_logprob.py --model "$MODEL" --input "$OUT/test.csv" \
        --out "$OUT/torch-lp.csv" --threads "$TT" --reps 3 --java-out "$OUT/java-lp.csv" 2>>"$LOG")
  t1=$(date +%s.%N)
  echo "$res" | /usr/bin/python3 -c '
import json, sys
o = json.loads(sys.stdin.read().strip().splitlines()[-1])
o.update(round=int(sys.argv[1]), wall_seconds=round(float(sys.argv[3]) - float(sys.argv[2]), 3))
print(json.dumps(o))' "$r" "$t0" "$t1" | tee -a "$JSONL"
done
echo "results: $JSONL" >&2
