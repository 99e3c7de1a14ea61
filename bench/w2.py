"""Exact W2 of sample CSVs to the fixed held-out set of a toy data set (fm_common.heldout), or to a
second CSV; the same code scores the PyTorch and the flowmatch4j samples.

Usage:
  bench/torch_env.sh bench/w2.py --data moons SAMPLES.csv [MORE.csv ...]   # one JSON line per file
  bench/torch_env.sh bench/w2.py --data moons --floor [--seeds 3]          # W2 of fresh true samples
  bench/torch_env.sh bench/w2.py --data moons --write-heldout FILE.csv     # export the held-out set
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fm_common as fc  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--floor", action="store_true", help="W2 of independent true samples (the floor)")
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--write-heldout", default=None)
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    ho = fc.heldout(a.data)
    if a.write_heldout:
        fc.write_csv(a.write_heldout, ho)
    if a.floor:
        for s in range(a.seeds):
            x = fc.toy(a.data, len(ho), np.random.default_rng([s, 99]))
            print(json.dumps({"data": a.data, "floor_seed": s, "w2": fc.w2(x, ho)}))
    for f in a.files:
        x = fc.read_csv(f)
        print(json.dumps({"data": a.data, "file": f, "n": len(x), "w2": fc.w2(x, ho)}))


if __name__ == "__main__":
    main()
