#!/usr/bin/env python3
"""PyTorch peers of finwidth's samplers (bench/README.md, "Peers").

Samples the ensemble of finwidth's NetworkBenchmark spec (one input x = (1, ..., 1) of dimension n,
L layers of width n, C_b = 0, C_W = 2, ReLU) on the CPU, two ways, a batch of networks at once:

  explicit     the network as it is: W ~ N(0, 1) per layer (Tensor.normal_ into a preallocated
               buffer), z = b·sqrt(C_b) + sqrt(C_W/n) W h by torch.baddbmm, h = relu(z)
  conditional  finwidth's conditional sampler (docs/theory.md §1.4): G = C_b + C_W·mean_j σ(z_j)², then
               z = sqrt(G)·g with g ~ N(0, 1) (the Cholesky factor of the 1×1 metric)

and reports networks per second (wall clock, and per CPU second × threads as finwidth's suites do)
for each thread count (torch.set_num_threads), at the best of a few batch sizes (the peer gets its
best case). Before timing, each algorithm must reproduce E[z²] = C_W
at layer L (exact for ReLU at C_W = 2) within 6 standard errors over 512 networks (false failure
≈ 2e-9), so that a wrong scale cannot post a rate. Writes JSON (--out) and prints one line per
measurement.
"""
import argparse
import json
import math
import os
import sys
import time

import torch


def explicit(batch, n, depth, cw, cb, buffers):
    """One batch of networks with explicit weights; returns the last layer (batch, n, 1)."""
    w, bias = buffers
    h = torch.ones(batch, n, 1)
    z = h
    for _ in range(depth):
        w.normal_()
        bias.normal_()
        z = torch.baddbmm(bias, w, h, beta=math.sqrt(cb), alpha=math.sqrt(cw / n))
        h = torch.relu(z)
    return z


def explicit_buffers(batch, n):
    return torch.empty(batch, n, n), torch.empty(batch, n, 1)


def conditional(batch, n, depth, cw, cb, buffers):
    """One batch of networks by the conditional sampler; returns the last layer (batch, n)."""
    (g,) = buffers
    metric = torch.full((batch, 1), cb + cw * 1.0)  # |x|^2 / n0 = 1
    z = g
    for _ in range(depth):
        g.normal_()
        z = g * metric.sqrt()
        metric = cb + cw * torch.relu(z).square().mean(dim=1, keepdim=True)
    return z


def conditional_buffers(batch, n):
    return (torch.empty(batch, n),)


ALGORITHMS = {
    "explicit": (explicit, explicit_buffers, (1, 8, 32)),
    "conditional": (conditional, conditional_buffers, (256, 1024, 4096)),
}


def check(name, fn, make, n, depth, cw, cb):
    """E[z^2] at layer L must be C_W within 6 standard errors of the mean over 512 networks."""
    batch = 64
    means = []
    for _ in range(512 // batch):
        z = fn(batch, n, depth, cw, cb, make(batch, n)).reshape(batch, n)
        means.extend(z.double().square().mean(dim=1).tolist())
    k = len(means)
    mean = sum(means) / k
    se = math.sqrt(sum((m - mean) ** 2 for m in means) / (k - 1) / k)
    if not abs(mean - cw) <= 6 * se:
        sys.exit(f"torch {name}: E[z^2] at layer {depth} is {mean:.4f} +- {se:.4f}, exact {cw}: wrong sampler")


def rate(fn, make, batch, n, depth, cw, cb, seconds, threads):
    """(networks per wall second, networks per CPU second × threads) over at least `seconds`, after
    one second of warm-up. The second is finwidth's CpuTimeProfiler measure: what the peer does with
    the CPU it gets on a shared machine (process CPU time, all of torch's threads)."""
    buffers = make(batch, n)
    with torch.inference_mode():
        for limit in (1.0, seconds):
            count, start, cpu = 0, time.perf_counter(), time.process_time()
            while True:
                fn(batch, n, depth, cw, cb, buffers)
                count += batch
                elapsed = time.perf_counter() - start
                if elapsed >= limit:
                    break
            cpu = time.process_time() - cpu
    return count / elapsed, count * threads / cpu


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--depth", type=int, default=10)
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--seconds", type=float, default=3.0, help="measurement time per batch size")
    p.add_argument("--out", help="JSON output file")
    a = p.parse_args()
    cw, cb = 2.0, 0.0
    torch.manual_seed(20261128)
    torch.set_num_interop_threads(1)
    results = []
    for name, (fn, make, batches) in ALGORITHMS.items():
        with torch.inference_mode():
            check(name, fn, make, a.width, a.depth, cw, cb)
        for threads in [int(t) for t in a.threads.split(",")]:
            torch.set_num_threads(threads)
            measured = {b: rate(fn, make, b, a.width, a.depth, cw, cb, a.seconds, threads) for b in batches}
            best = max(measured, key=lambda b: measured[b][1])
            wall, per_cpu = measured[best]
            print(f"torch {name:11s} threads={threads} best batch={best:5d}: {wall:12.1f} networks/s, "
                  f"{per_cpu:12.1f} per CPU second  (by batch: "
                  f"{', '.join(f'{b}: {r[0]:.1f}/{r[1]:.1f}' for b, r in measured.items())})", file=sys.stderr)
            results.append({"algorithm": name, "threads": threads, "batch": best, "networksPerSecond": wall,
                            "networksPerCpuSecond": per_cpu, "byBatch": {b: r[0] for b, r in measured.items()}})
    doc = {"torch": torch.__version__, "width": a.width, "depth": a.depth, "activation": "relu", "cb": cb, "cw": cw,
           "loadAfter": list(os.getloadavg()), "results": results}
    if a.out:
        tmp = a.out + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f, indent=2)
        os.replace(tmp, a.out)
    else:
        json.dump(doc, sys.stdout, indent=2)


if __name__ == "__main__":
    main()
