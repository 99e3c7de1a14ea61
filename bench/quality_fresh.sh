#!/usr/bin/env bash
# Issue #3: our side of the 2-D quality protocol at torchcfm's data handling (raw scale) with 1.28M generator points
# (= 5000 steps x 256: as good as fresh data every step). W2 (dopri5) per run -> bench/results/quality-fresh-STAMP.jsonl;
# compare with the torch rows of bench/quality_compare.sh. Usage: bench/quality_fresh.sh
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./flowmatch --help >/dev/null 2>&1 || true   # build once (if sources changed), never during the runs
export FLOWMATCH_NO_BUILD=1
OUT=bench/results/quality-fresh-$(date +%Y%m%d-%H%M%S); mkdir -p $OUT
J=$OUT.jsonl
run() { data=$1; method=$2; seed=$3; coupling=independent; [ $method = otcfm ] && coupling=exact-ot
  m=$OUT/java-$data-$method-s$seed
  ./flowmatch train --data $data --out $m --force --path gaussian --sigma 0.1 --coupling $coupling --hidden 64 --layers 3 \
    --activation selu --batch 256 --lr 1e-3 --steps 5000 --threads 2 --seed $seed --standardize none --toy-points 1280000 2>/dev/null | tail -1 > $m.train.json
  ./flowmatch sample --model $m --n 5000 --out $m-dopri5.csv --solver dopri5 --rtol 1e-5 --atol 1e-5 --seed $((seed + 1000)) 2>/dev/null | tail -1 > /dev/null
  w=$(bench/torch_env.sh bench/w2.py --data $data $m-dopri5.csv 2>/dev/null | tail -1)
  python3 -c "import json,sys; t=json.load(open('$m.train.json')); w=json.loads('''$w'''); print(json.dumps({'data':'$data','method':'$method','seed':$seed,'w2_dopri5':w['w2'],'train_seconds':t['seconds'],'rows':t['rows']}))" >> $J
}
for s in 0 1 2 3 4 5 6 7 8 9; do run moons icfm $s; done
for s in 0 1 2 3 4; do run moons otcfm $s; run 8gaussians icfm $s; run 8gaussians otcfm $s; done
echo done $J
