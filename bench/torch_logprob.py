"""PyTorch log-likelihood of a flowmatch4j model directory (issue #3's likelihood-speed target).

Loads DIR/model.safetensors (net.layers.{0..L}.{weight,bias}, weight [out, in]) and DIR/config.json
(activation, normalization mean/std), rebuilds the MLP on [z, t] with z = (x - mean) / std, and
integrates [z, l] from t = 1 to t = 0 with dl/dt = div v (exact: one autograd backward pass per
dimension) through fm_common.dopri5 (float64 state, float32 network, batch-wide RMS error norm over
the concatenated [z, l] state). Then
  log p(x) = log N(z0; 0, I) + l(0) - sum(log std).
Times the solve (median of --reps, after one untimed warm-up solve on 64 rows).

Usage:
  bench/torch_env.sh bench/torch_logprob.py --model DIR --input test.csv [--out lp.csv]
      [--rtol 1e-5] [--atol 1e-5] [--threads 1] [--reps 3] [--java-out JAVA_LP.csv]
Prints one JSON object as the last stdout line (mean log-likelihood, NFE, seconds; with --java-out
also the mean and max absolute per-row difference to flowmatch4j's logprob CSV).
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fm_common as fc  # noqa: E402


def load(model_dir):
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    w = fc.read_safetensors(os.path.join(model_dir, "model.safetensors"))
    net = fc.mlp(dim=cfg["dim"], hidden=cfg["hidden"], layers=cfg["layers"], act=cfg["activation"])
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for i, lin in enumerate(linears):
            lin.weight.copy_(torch.from_numpy(w["net.layers.%d.weight" % i]))
            lin.bias.copy_(torch.from_numpy(w["net.layers.%d.bias" % i]))
    unused = set(w) - {"net.layers.%d.%s" % (i, p) for i in range(len(linears)) for p in ("weight", "bias")}
    if unused:
        raise SystemExit("unexpected tensors in model.safetensors: %s" % sorted(unused))
    mean = np.array(cfg["normalization"]["mean"])
    std = np.array(cfg["normalization"]["std"])
    return net, cfg, mean, std


def logprob(net, x, mean, std, rtol, atol):
    d = x.shape[1]
    z = torch.from_numpy((x - mean) / std)

    def f(t, y):
        with torch.enable_grad():
            zz = y[:, :d].float().requires_grad_(True)
            tt = torch.full((zz.shape[0], 1), t, dtype=torch.float32)
            v = net(torch.cat([zz, tt], 1))
            div = torch.zeros(zz.shape[0])
            for i in range(d):
                g, = torch.autograd.grad(v[:, i].sum(), zz, retain_graph=i < d - 1)
                div = div + g[:, i]
        return torch.cat([v.detach().double(), div.double()[:, None]], 1)

    y0 = torch.cat([z, torch.zeros(z.shape[0], 1, dtype=torch.float64)], 1)
    y, nfe, acc, rej = fc.dopri5(f, y0, 1.0, 0.0, rtol=rtol, atol=atol)
    z0 = y[:, :d]
    logp0 = -0.5 * (z0 ** 2).sum(1) - 0.5 * d * math.log(2 * math.pi)
    lp = logp0 + y[:, d] - float(np.log(std).sum())
    return lp.numpy(), nfe, acc, rej


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", default=None)
    ap.add_argument("--rtol", type=float, default=1e-5)
    ap.add_argument("--atol", type=float, default=1e-5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--java-out", default=None)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    net, cfg, mean, std = load(a.model)
    x = fc.read_csv(a.input)
    logprob(net, x[:64], mean, std, a.rtol, a.atol)  # warm-up
    secs = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        lp, nfe, acc, rej = logprob(net, x, mean, std, a.rtol, a.atol)
        secs.append(time.perf_counter() - t0)
    if a.out:
        np.savetxt(a.out, lp, header="logprob", comments="", fmt="%.8g")
    res = {"side": "torch", "model": a.model, "n": len(x), "rtol": a.rtol, "atol": a.atol,
           "threads": a.threads, "mean_logprob": float(lp.mean()), "nfe": nfe,
           "accepted": acc, "rejected": rej, "seconds_median": statistics.median(secs),
           "seconds": [round(s, 4) for s in secs]}
    if a.java_out:
        j = fc.read_csv(a.java_out)[:, 0]
        res["java_mean_logprob"] = float(j.mean())
        res["mean_diff"] = float(lp.mean() - j.mean())
        res["max_abs_row_diff"] = float(np.abs(lp - j).max())
        res["median_abs_row_diff"] = float(np.median(np.abs(lp - j)))
    print(json.dumps(res))


if __name__ == "__main__":
    main()
