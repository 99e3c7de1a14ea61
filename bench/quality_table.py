"""Summarise bench/quality_compare.sh output: one markdown row per (data, method, solver) with W2
per side (median over seeds, and the per-seed values), dopri5 NFE, and training seconds per side.

Usage: python3 bench/quality_table.py bench/results/quality-*.jsonl
"""
import collections
import json
import statistics
import sys


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt(xs, p=3):
    if not xs:
        return "–"
    s = ("%." + str(p) + "f") % med(xs)
    if len(xs) > 1:
        s += " (" + ", ".join(("%." + str(p) + "f") % x for x in xs) + ")"
    return s


def base(method):
    """The torch row a Java variant is compared with: the method without our option suffix."""
    return method.split(" (ours:")[0]


def main():
    w2 = collections.defaultdict(list)        # (side, data, method, solver) -> [w2]
    nfe = collections.defaultdict(list)       # (side, data, method) -> [dopri5 nfe]
    train = collections.defaultdict(list)     # (side, data, method) -> [seconds]
    for path in sys.argv[1:]:
        for line in open(path):
            o = json.loads(line)
            side, what = o.get("side"), o.get("what")
            if side == "java" and o.get("standardize", "per-column") != "per-column":
                o["method"] += " (ours: --standardize %s)" % o["standardize"]
            if side == "java" and what == "train":
                train[("java", o["data"], o["method"])].append(o["seconds"])
            elif side == "java" and what == "sample" and o["solver"] == "dopri5":
                nfe[("java", o["data"], o["method"])].append(o["nfe"])
            elif side == "java" and what == "w2":
                w2[("java", o["data"], o["method"], o["solver"])].append(o["w2"])
            elif side == "torch":
                tags = (["std"] if o.get("standardize") else []) + (
                    ["fixed%d" % o["fixed_data"]] if o.get("fixed_data") else [])
                k = (o["data"], o["method"] + (" [torch ablation: %s]" % "+".join(tags) if tags else ""))
                train[("torch",) + k].append(o["train_seconds"])
                nfe[("torch",) + k].append(o["dopri5_nfe"])
                if "w2_euler" in o:
                    w2[("torch",) + k + ("euler",)].append(o["w2_euler"])
                    w2[("torch",) + k + ("dopri5",)].append(o["w2_dopri5"])
    keys = sorted({k[1:] for k in w2})
    print("| data | method | solver | W2 flowmatch4j | W2 torch | dopri5 NFE ours / torch | train s ours / torch |")
    print("|---|---|---|---|---|---|---|")
    for data, method, solver in keys:
        n = "%s / %s" % (fmt(nfe[("java", data, method)], 0), fmt(nfe[("torch", data, base(method))], 0)) \
            if solver == "dopri5" else "100 / 100"
        tr = "%s / %s" % (fmt(train[("java", data, method)], 1), fmt(train[("torch", data, base(method))], 1))
        print("| %s | %s | %s | %s | %s | %s | %s |" % (
            data, method, solver, fmt(w2[("java", data, method, solver)]),
            fmt(w2[("torch", data, base(method), solver)]), n, tr))


if __name__ == "__main__":
    main()
