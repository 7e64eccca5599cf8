#!/usr/bin/env python3
"""Prints finwidth vs plain Java vs PyTorch, networks/s and ratios (bench/README.md, "Peers").

Usage: peers_table.py OURS.json TORCH.json [OUT.json]
OURS.json is the Java suite's run (BenchSuite run peers), TORCH.json torch_peers.py's output.
Two tables: wall-clock networks/s, and networks per CPU second × threads (what each side does with
the CPU it gets: the number to read on a shared, loaded machine). Standard library only. With
OUT.json, the rates and ratios are also written there.
"""
import json
import os
import sys

GOALS = {"weights/torch explicit": 50, "weights/plain Java": 20, "conditional/torch conditional": 20}
LABELS = ["weights", "plain Java", "torch explicit", "conditional", "torch conditional"]


def rates(java, torch, measure):
    """{(label, threads): networks/s} for measure 'wall' or 'cpu'."""
    out = {}
    for r in java["rows"]:
        name, p = r["benchmark"], r["params"]
        value = r["score"] if measure == "wall" else r.get("cpuScore", float("nan"))
        if name.startswith("NetworkBenchmark."):
            out[(p["sampler"], r["threads"])] = float(value)
        elif name.startswith("PlainJavaNetworkBenchmark."):
            out[("plain Java", r["threads"])] = float(value)
    for r in torch["results"]:
        value = r["networksPerSecond"] if measure == "wall" else r.get("networksPerCpuSecond", float("nan"))
        out[("torch " + r["algorithm"], r["threads"])] = value
    return out


def table(title, rate):
    threads = sorted({t for (_, t) in rate})
    print(title)
    print(f"{'threads':>7} " + " ".join(f"{l:>18}" for l in LABELS))
    for t in threads:
        print(f"{t:>7} " + " ".join(f"{rate.get((l, t), float('nan')):18.1f}" for l in LABELS))
    print(f"{'threads':>7} {'ratio':<38} {'measured':>9} {'goal':>6}  verdict")
    ratios = []
    for t in threads:
        for ratio, goal in GOALS.items():
            num, den = ratio.split("/")
            value = rate.get((num, t), float("nan")) / rate.get((den, t), float("nan"))
            verdict = "met" if value >= goal else "MISSED"
            print(f"{t:>7} {'finwidth ' + ratio:<38} {value:9.1f} {goal:>5}x  {verdict}")
            ratios.append({"threads": t, "ratio": ratio, "value": value, "goal": goal})
    print()
    return ratios


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        java = json.load(f)
    with open(sys.argv[2]) as f:
        torch = json.load(f)
    print(f"width {torch['width']}, depth {torch['depth']}, ReLU, d = 1; torch {torch['torch']}; "
          f"load average before the Java runs {java['loadBefore']}, after torch {torch['loadAfter']}\n")
    doc = {"java": {"date": java["date"], "loadBefore": java["loadBefore"]}, "torch": torch["torch"]}
    for measure, title in (("wall", "networks/s (wall clock)"),
                           ("cpu", "networks per CPU second x threads (robust to other jobs)")):
        rate = rates(java, torch, measure)
        doc[measure] = {"rates": [{"sampler": l, "threads": t, "networksPerSecond": v}
                                  for (l, t), v in sorted(rate.items())],
                        "ratios": table(title, rate)}
    if len(sys.argv) == 4:
        tmp = sys.argv[3] + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f, indent=2)
        os.replace(tmp, sys.argv[3])


if __name__ == "__main__":
    main()
