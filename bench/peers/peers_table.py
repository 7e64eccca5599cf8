#!/usr/bin/env python3
"""Prints finwidth vs plain Java vs PyTorch, networks/s and ratios (bench/README.md, "Peers").

Usage: peers_table.py OURS.json TORCH.json [OUT.json]
OURS.json is the Java suite's run (BenchSuite run peers), TORCH.json torch_peers.py's output.
Standard library only. With OUT.json, the merged table is also written there.
"""
import json
import os
import sys

GOALS = {"weights/torch explicit": 50, "weights/plain Java": 20, "conditional/torch conditional": 20}


def ours(run):
    """{(label, threads): networks/s} from the Java suite's rows."""
    out = {}
    for r in run["rows"]:
        name, p = r["benchmark"], r["params"]
        if name.startswith("NetworkBenchmark."):
            out[(p["sampler"], r["threads"])] = r["score"]
        elif name.startswith("PlainJavaNetworkBenchmark."):
            out[("plain Java", r["threads"])] = r["score"]
    return out


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        java = json.load(f)
    with open(sys.argv[2]) as f:
        torch = json.load(f)
    rates = ours(java)
    for r in torch["results"]:
        rates[("torch " + r["algorithm"], r["threads"])] = r["networksPerSecond"]
    threads = sorted({t for (_, t) in rates})
    labels = ["weights", "plain Java", "torch explicit", "conditional", "torch conditional"]
    print(f"networks/s, width {torch['width']}, depth {torch['depth']}, ReLU, d = 1 "
          f"(torch {torch['torch']}; load before the Java runs {java['loadBefore']}, after torch {torch['loadAfter']})")
    print(f"{'threads':>7} " + " ".join(f"{l:>18}" for l in labels))
    for t in threads:
        print(f"{t:>7} " + " ".join(f"{rates.get((l, t), float('nan')):18.1f}" for l in labels))
    print()
    print(f"{'threads':>7} {'ratio':<32} {'measured':>9} {'goal':>6}  verdict")
    merged = []
    for t in threads:
        for ratio, goal in GOALS.items():
            num, den = ratio.split("/")
            value = rates.get((num, t), float("nan")) / rates.get((den, t), float("nan"))
            verdict = "met" if value >= goal else "MISSED"
            print(f"{t:>7} {'finwidth ' + ratio:<32} {value:9.1f} {goal:>5}x  {verdict}")
            merged.append({"threads": t, "ratio": ratio, "value": value, "goal": goal})
    if len(sys.argv) == 4:
        doc = {"rates": [{"sampler": l, "threads": t, "networksPerSecond": v} for (l, t), v in sorted(rates.items())],
               "ratios": merged, "java": {"date": java["date"], "loadBefore": java["loadBefore"]},
               "torch": torch["torch"]}
        tmp = sys.argv[3] + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f, indent=2)
        os.replace(tmp, sys.argv[3])


if __name__ == "__main__":
    main()
