"""Shared pieces of the issue #3 quality/likelihood benchmarks (imported by torch_cfm_quality.py,
torch_logprob.py and w2.py; run those through bench/torch_env.sh).

- toy data generators with the same formulas as core/.../data/ToyDataset.java (numpy RNG, so the
  points are not the Java ones, only the same distribution);
- the torchcfm 2-D network (MLP on [x, t], 3 hidden layers of 64, SELU);
- a Dormand-Prince 5(4) integrator in torch with torchdiffeq's controller (batch-wide RMS error
  norm, safety 0.9, growth <= 10, shrink >= 0.2, Hairer's initial step) and an NFE counter;
- exact W2 between two equal-size point sets (scipy linear_sum_assignment on squared distances);
- a minimal safetensors reader (header length, JSON, raw little-endian floats).
"""
import json
import math
import os
import struct

import numpy as np

# ----------------------------------------------------------------------------------------------
# data (formulas from ToyDataset.java)


def toy(name, n, rng):
    """n points [n, 2] (float64) of the named toy set, drawn with numpy Generator rng."""
    if name == "8gaussians":
        k = rng.integers(0, 8, size=n)
        a = k * math.pi / 4
        return np.stack([2 * np.cos(a), 2 * np.sin(a)], 1) + 0.1 * rng.standard_normal((n, 2))
    if name == "moons":
        k = rng.integers(0, 2, size=n)
        t = math.pi * rng.random(n)
        x = np.where(k == 0, np.cos(t), 1 - np.cos(t))
        y = np.where(k == 0, np.sin(t), 0.5 - np.sin(t))
        return np.stack([x - 0.5, y - 0.25], 1) + 0.05 * rng.standard_normal((n, 2))
    if name == "checkerboard":
        c = rng.integers(0, 8, size=n)
        cy = c // 2 - 2
        cx = 2 * (c % 2) - 2 + np.mod(cy, 2)
        return np.stack([2 * (cx + rng.random(n)), 2 * (cy + rng.random(n))], 1)
    if name == "pinwheel":
        k = rng.integers(0, 5, size=n)
        f0 = 1 + 0.3 * rng.standard_normal(n)
        f1 = 0.1 * rng.standard_normal(n)
        a = 2 * math.pi * k / 5 + 0.25 * np.exp(f0)
        c, s = np.cos(a), np.sin(a)
        return np.stack([2 * (c * f0 - s * f1), 2 * (s * f0 + c * f1)], 1)
    raise ValueError("unknown toy set " + name)


def heldout(name, n=5000, seed=20261128):
    """The fixed held-out set used for every W2 of a data set (both sides)."""
    return toy(name, n, np.random.default_rng([seed, sum(map(ord, name))]))


def read_csv(path):
    return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def write_csv(path, arr, header="x,y"):
    np.savetxt(path, arr, delimiter=",", header=header, comments="", fmt="%.8g")


# ----------------------------------------------------------------------------------------------
# W2


def w2(a, b):
    """Exact W2 between equal-size empirical measures: sqrt(mean assigned squared distance)."""
    from scipy.optimize import linear_sum_assignment
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return float("nan")
    cost = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    r, c = linear_sum_assignment(cost)
    return float(math.sqrt(cost[r, c].mean()))


# ----------------------------------------------------------------------------------------------
# torch parts (imported lazily so w2.py needs only numpy/scipy)


def mlp(dim=2, hidden=64, layers=3, act="selu"):
    import torch.nn as nn
    acts = {"selu": nn.SELU, "silu": nn.SiLU, "relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU}
    mods = [nn.Linear(dim + 1, hidden), acts[act]()]
    for _ in range(layers - 1):
        mods += [nn.Linear(hidden, hidden), acts[act]()]
    mods.append(nn.Linear(hidden, dim))
    return nn.Sequential(*mods)


# Dormand-Prince 5(4) tableau
_C = [0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0]
_A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
]
_B5 = [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0]
_B4 = [5179 / 57600, 0.0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40]
_E = [b5 - b4 for b5, b4 in zip(_B5, _B4)]


def _rms(x):
    return x.pow(2).mean().sqrt()


def dopri5(f, y0, t0, t1, rtol=1e-5, atol=1e-5, max_steps=100000):
    """Integrate dy/dt = f(t, y) from t0 to t1 (either direction); y is one tensor (float64
    recommended). Returns (y1, nfe, accepted, rejected). Error norm: RMS over the whole batch of
    err / (atol + rtol * max(|y|, |y_new|)), as torchdiffeq's default for a single tensor."""
    import torch
    nfe = 0
    direction = 1.0 if t1 >= t0 else -1.0
    t = float(t0)
    y = y0
    k1 = f(t, y)
    nfe += 1
    # Hairer's initial step (torchdiffeq _select_initial_step, order 5)
    scale = atol + rtol * y.abs()
    d0 = _rms(y / scale).item()
    d1 = _rms(k1 / scale).item()
    h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
    y_ = y + direction * h0 * k1
    k_ = f(t + direction * h0, y_)
    nfe += 1
    d2 = _rms((k_ - k1) / scale).item() / h0
    if d1 <= 1e-15 and d2 <= 1e-15:
        h1 = max(1e-6, h0 * 1e-3)
    else:
        h1 = (0.01 / max(d1, d2)) ** (1.0 / 5)
    h = min(100 * h0, h1)
    accepted = rejected = 0
    span = abs(t1 - t0)
    done = 0.0
    while done < span * (1 - 1e-12):
        if accepted + rejected >= max_steps:
            raise RuntimeError("dopri5: more than %d steps" % max_steps)
        h = min(h, span - done)
        ks = [k1]
        for i in range(1, 7):
            yi = y
            for j, a in enumerate(_A[i]):
                if a != 0.0:
                    yi = yi + (direction * h * a) * ks[j]
            ks.append(f(t + direction * h * _C[i], yi))
            nfe += 1
        y_new = yi  # stage 7 input is the 5th-order solution (FSAL)
        err = None
        for e, k in zip(_E, ks):
            if e != 0.0:
                err = (direction * h * e) * k if err is None else err + (direction * h * e) * k
        tol = atol + rtol * torch.maximum(y.abs(), y_new.abs())
        ratio = _rms(err / tol).item()
        if ratio <= 1.0:
            accepted += 1
            done += h
            t = t0 + direction * done
            y = y_new
            k1 = ks[6]
        else:
            rejected += 1
        # torchdiffeq _optimal_step_size: an accepted step never shrinks the next one
        dfactor = 1.0 if ratio < 1.0 else 0.2
        if ratio == 0.0:
            factor = 10.0
        else:
            factor = min(10.0, max(0.9 * ratio ** (-1.0 / 5), dfactor))
        h = h * factor
    return y, nfe, accepted, rejected


def euler(f, y0, t0, t1, steps):
    y = y0
    h = (t1 - t0) / steps
    for i in range(steps):
        y = y + h * f(t0 + i * h, y)
    return y, steps


# ----------------------------------------------------------------------------------------------
# safetensors


def read_safetensors(path):
    """{name: numpy array} from a .safetensors file (F32/F64 only)."""
    with open(path, "rb") as fh:
        raw = fh.read()
    (hlen,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + hlen].decode("utf-8"))
    base = 8 + hlen
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        dt = {"F32": "<f4", "F64": "<f8"}[meta["dtype"]]
        s, e = meta["data_offsets"]
        out[name] = np.frombuffer(raw[base + s:base + e], dtype=dt).reshape(meta["shape"]).copy()
    return out


def write_model_dir(model_dir, net, template_config, mean, std):
    """Writes a torch nn.Sequential MLP as a flowmatch4j model directory: model.safetensors (plain safetensors,
    names net.layers.{i}.{weight,bias}, no checksum) and config.json copied from template_config (a flowmatch4j
    config.json of the same architecture) with this run's normalisation, so that the CLI can sample from it."""
    import torch
    os.makedirs(model_dir, exist_ok=True)
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    tensors = {}
    for i, lin in enumerate(linears):
        tensors["net.layers.%d.weight" % i] = lin.weight.detach().numpy().astype("<f4")
        tensors["net.layers.%d.bias" % i] = lin.bias.detach().numpy().astype("<f4")
    header, blobs, off = {}, [], 0
    for name, arr in tensors.items():
        b = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    # flowmatch4j's model files carry sha256(prefix + header with the checksum as 64 zeros + data)
    header["__metadata__"] = {"flowmatch4j.sha256": "0" * 64, "format": "flowmatch4j-model", "format_version": "1"}
    h = json.dumps(header).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    prefix = struct.pack("<Q", len(h))
    data = b"".join(blobs)
    import hashlib
    digest = hashlib.sha256(prefix + h + data).hexdigest().encode("ascii")
    h = h.replace(b"0" * 64, digest, 1)
    with open(os.path.join(model_dir, "model.safetensors"), "wb") as fh:
        fh.write(prefix + h + data)
    with open(template_config) as fh:
        cfg = json.load(fh)
    cfg["normalization"] = {"mean": [float(x) for x in mean], "std": [float(x) for x in std]}
    with open(os.path.join(model_dir, "config.json"), "w") as fh:
        json.dump(cfg, fh, indent=2)
