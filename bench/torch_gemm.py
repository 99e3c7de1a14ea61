#!/usr/bin/env python3
"""torch.mm GEMM benchmark (the counterpart of `flowmatch bench gemm`).

n x n float32 matrices, C = A @ B written into a preallocated output (no allocation in the
loop). Each rep times --inner consecutive mm calls; GFLOP/s = 2 n^3 / (time per mm);
reports the median over --reps reps after --warmup mm calls. --threads best measures 1 and 2
(reps interleaved) and reports the faster. Run through bench/torch_env.sh.
Last stdout line: one JSON object.
"""
import argparse
import statistics
import sys
import time

import torch

import cfm_torch as C


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=1024)
    p.add_argument("--threads", default="best")
    p.add_argument("--reps", type=int, default=30)
    p.add_argument("--inner", type=int, default=0,
                   help="mm calls per timed rep (0 = enough for ~50 ms)")
    p.add_argument("--warmup", type=int, default=10)
    a = p.parse_args()

    blas = C.check_blas(verbose=True)
    n = a.n
    g = torch.Generator().manual_seed(0)
    A = torch.randn(n, n, generator=g)
    B = torch.randn(n, n, generator=g)
    out = torch.empty(n, n)
    flop = 2.0 * n ** 3
    tlist = [1, 2] if a.threads == "best" else [int(a.threads)]
    inner = a.inner or max(1, int(0.05 / (flop / 100e9)))

    for T in tlist:
        C.set_threads(T)
        for _ in range(a.warmup):
            torch.mm(A, B, out=out)
    gf = {T: [] for T in tlist}
    for _ in range(a.reps):
        for T in tlist:
            C.set_threads(T)
            torch.mm(A, B, out=out)
            t0 = time.perf_counter()
            for _ in range(inner):
                torch.mm(A, B, out=out)
            dt = (time.perf_counter() - t0) / inner
            gf[T].append(flop / dt / 1e9)
    med = {T: statistics.median(v) for T, v in gf.items()}
    for T in tlist:
        v = sorted(gf[T])
        print(f"# threads={T} GFLOP/s median={med[T]:.1f} min={v[0]:.1f} max={v[-1]:.1f} "
              f"reps={len(v)}x{inner}", file=sys.stderr)
    best = max(tlist, key=lambda T: med[T])
    res = {"impl": "torch", "n": n, "threads": best, "gflops": round(med[best], 2)}
    if len(tlist) > 1:
        res["gflops_by_threads"] = {str(T): round(med[T], 2) for T in tlist}
    res["openblas_openmp"] = blas["openblas_openmp"]
    if "openblas_arch" in blas:
        res["openblas_arch"] = blas["openblas_arch"]
    C.emit(res)


if __name__ == "__main__":
    main()
