"""Shared PyTorch side of the flowmatch4j benchmarks (imported by torch_*.py).

The workload is the Conditional Flow Matching training step of the Java side:
  x0 ~ N(0, I) in 2D, x1 ~ 8 Gaussians (centres on a circle of radius 2 at
  angles k*pi/4, std 0.1), t ~ U[0,1] of shape [B,1], x_t = (1-t) x0 + t x1,
  input [x_t, t] (3 columns) -> Linear(3,H) -> SiLU -> (Linear(H,H) -> SiLU) x (L-1)
  -> Linear(H,2); loss = MSE (mean over all elements) to x1 - x0; Adam lr 1e-3.
Fresh data is sampled every step, inside the timed loop.
"""
import json
import math
import os
import statistics
import sys
import time

import torch


def check_blas(verbose=False):
    """Return a dict describing the BLAS torch actually loaded (after one matmul)."""
    a = torch.randn(64, 64)
    (a @ a).sum().item()
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and ("blas" in parts[-1] or "lapack" in parts[-1]):
                libs.add(parts[-1])
    info = {"blas_libs": sorted(libs)}
    info["openblas_openmp"] = any("openblas-openmp" in p for p in libs)
    try:
        from threadpoolctl import threadpool_info
        for d in threadpool_info():
            if d.get("internal_api") == "openblas":
                info["openblas_arch"] = d.get("architecture")
                info["openblas_threading"] = d.get("threading_layer")
                info["openblas_version"] = d.get("version")
    except Exception:  # threadpoolctl is optional
        pass
    if verbose:
        print("# blas: " + json.dumps(info), file=sys.stderr)
    return info


def set_threads(n):
    torch.set_num_threads(int(n))


def build_model(hidden, layers):
    mods = [torch.nn.Linear(3, hidden), torch.nn.SiLU()]
    for _ in range(layers - 1):
        mods += [torch.nn.Linear(hidden, hidden), torch.nn.SiLU()]
    mods.append(torch.nn.Linear(hidden, 2))
    return torch.nn.Sequential(*mods)


class Trainer:
    """One CFM model + Adam + its own RNG; step() runs one full training step."""

    def __init__(self, hidden, batch, layers, seed=0, foreach=None):
        torch.manual_seed(seed)
        self.gen = torch.Generator().manual_seed(seed + 12345)
        self.batch = batch
        self.model = build_model(hidden, layers)
        kw = {} if foreach is None else {"foreach": foreach}
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3, **kw)
        ang = torch.arange(8, dtype=torch.float32) * (math.pi / 4)
        self.centres = torch.stack([2 * torch.cos(ang), 2 * torch.sin(ang)], dim=1)

    def step(self):
        B, g = self.batch, self.gen
        x0 = torch.randn(B, 2, generator=g)
        k = torch.randint(0, 8, (B,), generator=g)
        x1 = self.centres[k] + 0.1 * torch.randn(B, 2, generator=g)
        t = torch.rand(B, 1, generator=g)
        xt = (1 - t) * x0 + t * x1
        inp = torch.cat([xt, t], dim=1)
        pred = self.model(inp)
        loss = torch.nn.functional.mse_loss(pred, x1 - x0)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.item()

    def run_chunk(self, n):
        """Run n steps; return (wall seconds / n, mean loss over the n steps)."""
        s = 0.0
        t0 = time.perf_counter()
        for _ in range(n):
            s += self.step()
        dt = time.perf_counter() - t0
        return dt / n, s / n


def emit(obj):
    sys.stdout.flush()
    print(json.dumps(obj), flush=True)
