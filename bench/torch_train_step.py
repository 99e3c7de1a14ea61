#!/usr/bin/env python3
"""PyTorch CFM training-step benchmark (the counterpart of `flowmatch bench train-step`).

Run through bench/torch_env.sh so that torch uses its best configuration (OpenMP OpenBLAS,
glibc malloc tunables). Times chunks of --chunk steps (wall time / steps) after --warmup
steps, and reports the median over chunks. --threads best measures 1 and 2 threads with
interleaved chunks (two identical models, same seed) and reports the faster.
Last stdout line: one JSON object.
"""
import argparse
import statistics
import sys

import cfm_torch as C


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hidden", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--layers", type=int, default=3)
    p.add_argument("--steps", type=int, required=True, help="timed steps (per thread count)")
    p.add_argument("--threads", default="best", help="1, 2, ... or 'best' (measures 1 and 2)")
    p.add_argument("--chunk", type=int, default=100)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--foreach", choices=["auto", "on", "off"], default="auto",
                   help="Adam foreach implementation (auto = torch default)")
    a = p.parse_args()

    blas = C.check_blas(verbose=True)
    if not blas["openblas_openmp"]:
        print("# WARNING: torch is not using the OpenMP OpenBLAS: " + str(blas["blas_libs"]),
              file=sys.stderr)
    foreach = {"auto": None, "on": True, "off": False}[a.foreach]
    tlist = [1, 2] if a.threads == "best" else [int(a.threads)]
    nchunks = max(1, a.steps // a.chunk)

    trainers = {}
    for T in tlist:
        C.set_threads(T)
        tr = C.Trainer(a.hidden, a.batch, a.layers, seed=a.seed, foreach=foreach)
        for _ in range(a.warmup):
            tr.step()
        trainers[T] = tr
    times = {T: [] for T in tlist}
    last_loss = {}
    for _ in range(nchunks):  # interleave thread counts chunk by chunk (fair under shared load)
        for T in tlist:
            C.set_threads(T)
            if len(tlist) > 1:
                trainers[T].step()  # one untimed step after switching thread count
            dt, loss = trainers[T].run_chunk(a.chunk)
            times[T].append(dt * 1e3)
            last_loss[T] = loss
    med = {T: statistics.median(v) for T, v in times.items()}
    for T in tlist:
        v = sorted(times[T])
        print(f"# threads={T} ms/step median={med[T]:.4f} min={v[0]:.4f} max={v[-1]:.4f} "
              f"chunks={len(v)}x{a.chunk} last-chunk loss={last_loss[T]:.4f}", file=sys.stderr)
    best = min(tlist, key=lambda T: med[T])
    out = {"impl": "torch", "hidden": a.hidden, "batch": a.batch, "layers": a.layers,
           "threads": best, "ms_per_step": round(med[best], 5),
           "final_loss": round(last_loss[best], 6)}
    if len(tlist) > 1:
        out["ms_per_step_by_threads"] = {str(T): round(med[T], 5) for T in tlist}
    out["chunk"] = a.chunk
    out["chunks"] = nchunks
    out["openblas_openmp"] = blas["openblas_openmp"]
    if "openblas_arch" in blas:
        out["openblas_arch"] = blas["openblas_arch"]
    C.emit(out)


if __name__ == "__main__":
    main()
