"""PyTorch reference for issue #3's quality target, at torchcfm's 2-D protocol.

I-CFM / OT-CFM from N(0, I) to a toy set: x_t = (1 - t) x0 + t x1 + sigma * eps, target x1 - x0,
MLP on [x_t, t] (3 hidden layers of 64, SELU), batch 256 of fresh data every step (torchcfm's
notebooks), Adam lr 1e-3, 5000 steps; OT-CFM pairs each batch by an exact assignment
(scipy linear_sum_assignment on squared Euclidean cost; torchcfm draws pairs with replacement from
the POT plan, an assignment is the exact-OT equivalent without replacement). No standardisation.
Then 5000 samples by Euler-100 and by dopri5 (rtol = atol = 1e-5, fm_common.dopri5), and the exact
W2 of each to the fixed held-out set (fm_common.heldout).

Usage (from the repository root):
  bench/torch_env.sh bench/torch_cfm_quality.py --data moons --method otcfm --seed 0 [--steps 5000]
      [--threads 1] [--samples-dir bench/results/quality]
Prints one JSON object as the last stdout line.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fm_common as fc  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--method", choices=["icfm", "otcfm"], required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=5000)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--sigma", type=float, default=0.1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--activation", default="selu", choices=["selu", "silu", "relu", "tanh", "gelu"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--samples-dir", default=None, help="write the sample CSVs here")
    ap.add_argument("--no-w2", action="store_true")
    ap.add_argument("--save-model", default=None, metavar="DIR",
                    help="also write the trained network as a flowmatch4j model directory (needs --config-template)")
    ap.add_argument("--config-template", default=None,
                    help="a flowmatch4j config.json of the same architecture, copied into --save-model")
    ap.add_argument("--standardize", action="store_true",
                    help="ablation: train on per-column standardised data (mean/std of 20000 points, "
                         "sigma applied there) and map samples back, as flowmatch4j's CLI does")
    ap.add_argument("--fixed-data", type=int, default=0,
                    help="ablation: draw batches (with replacement) from one fixed set of this many "
                         "points instead of fresh data every step (flowmatch4j's CLI uses 20000)")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng([a.seed, 7])
    net = fc.mlp(act=a.activation)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    if a.method == "otcfm":
        from scipy.optimize import linear_sum_assignment
    mean, std = np.zeros(2), np.ones(2)
    if a.standardize:
        ref = fc.toy(a.data, 20000, np.random.default_rng([a.seed, 8]))
        mean, std = ref.mean(0), ref.std(0)
    fixed = None
    if a.fixed_data:
        fixed = (fc.toy(a.data, a.fixed_data, np.random.default_rng([a.seed, 9])) - mean) / std

    def batch():
        if fixed is not None:
            return fixed[rng.integers(0, len(fixed), size=a.batch)]
        return (fc.toy(a.data, a.batch, rng) - mean) / std

    t_start = time.perf_counter()
    ot_seconds = 0.0
    losses = []
    for step in range(a.steps):
        x1 = torch.from_numpy(batch()).float()
        x0 = torch.randn(a.batch, 2)
        if a.method == "otcfm":
            t_ot = time.perf_counter()
            cost = torch.cdist(x0, x1) ** 2
            r, c = linear_sum_assignment(cost.numpy())
            x0, x1 = x0[r], x1[c]
            ot_seconds += time.perf_counter() - t_ot
        t = torch.rand(a.batch, 1)
        xt = (1 - t) * x0 + t * x1 + a.sigma * torch.randn(a.batch, 2)
        ut = x1 - x0
        loss = ((net(torch.cat([xt, t], 1)) - ut) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    train_seconds = time.perf_counter() - t_start

    net.eval()
    if a.save_model:
        fc.write_model_dir(a.save_model, net, a.config_template, mean, std)

    def f(t, y):
        with torch.no_grad():
            tt = torch.full((y.shape[0], 1), t, dtype=torch.float32)
            return net(torch.cat([y.float(), tt], 1)).double()

    gen = torch.Generator().manual_seed(a.seed + 1000)
    z = torch.randn(a.n, 2, generator=gen, dtype=torch.float64)
    t0 = time.perf_counter()
    xe, nfe_e = fc.euler(f, z, 0.0, 1.0, 100)
    euler_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    xd, nfe_d, acc, rej = fc.dopri5(f, z, 0.0, 1.0, rtol=1e-5, atol=1e-5)
    dopri_s = time.perf_counter() - t0
    xe, xd = xe.numpy() * std + mean, xd.numpy() * std + mean
    if a.samples_dir:
        os.makedirs(a.samples_dir, exist_ok=True)
        stem = os.path.join(a.samples_dir, "torch-%s-%s-s%d%s%s" % (
            a.data, a.method, a.seed, "-std" if a.standardize else "",
            "-fixed%d" % a.fixed_data if a.fixed_data else ""))
        fc.write_csv(stem + "-euler.csv", xe)
        fc.write_csv(stem + "-dopri5.csv", xd)
    res = {
        "side": "torch", "data": a.data, "method": a.method, "seed": a.seed, "steps": a.steps,
        "batch": a.batch, "sigma": a.sigma, "standardize": a.standardize, "fixed_data": a.fixed_data, "threads": a.threads, "torch": torch.__version__,
        "train_seconds": round(train_seconds, 3), "ot_seconds": round(ot_seconds, 3),
        "final_loss_mean_last500": float(np.mean(losses[-500:])),
        "euler_nfe": nfe_e, "euler_seconds": round(euler_s, 3),
        "dopri5_nfe": nfe_d, "dopri5_accepted": acc, "dopri5_rejected": rej,
        "dopri5_seconds": round(dopri_s, 3),
    }
    if not a.no_w2:
        ho = fc.heldout(a.data)
        res["w2_euler"] = fc.w2(xe, ho)
        res["w2_dopri5"] = fc.w2(xd, ho)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
