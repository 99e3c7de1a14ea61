#!/usr/bin/env python3
"""Loss plateau of the PyTorch CFM workload (reference for the Java side's convergence).

Trains H=256, B=256, L=3 (defaults) for 3000 steps with the given seed and prints the mean
loss over the last 500 steps. Run through bench/torch_env.sh.
Last stdout line: one JSON object.
"""
import argparse
import time

import cfm_torch as C


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--layers", type=int, default=3)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--last", type=int, default=500)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    C.set_threads(a.threads)
    tr = C.Trainer(a.hidden, a.batch, a.layers, seed=a.seed)
    losses = []
    t0 = time.perf_counter()
    for _ in range(a.steps):
        losses.append(tr.step())
    dt = time.perf_counter() - t0
    tail = losses[-a.last:]
    C.emit({"impl": "torch", "hidden": a.hidden, "batch": a.batch, "layers": a.layers,
            "seed": a.seed, "steps": a.steps, "last": len(tail),
            "plateau_loss": round(sum(tail) / len(tail), 6),
            "first_loss": round(losses[0], 6), "seconds": round(dt, 2)})


if __name__ == "__main__":
    main()
