#!/usr/bin/env python3
"""Runs `recbook-bench nn` and `bench/nn_torch.py` back to back, several times, and prints the
median wall and CPU ms per step of each model for both, their ratio, and the load averages seen.

    python3 bench/compare_nn.py --python /tmp/torchvenv/bin/python --reps 5 [--steps 50]

The machine is shared: each repetition runs Swift and PyTorch one right after the other so that
both see about the same load; the medians over repetitions are the numbers to quote.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

LINE = re.compile(r"^(?P<name>.+?): (?P<wall>[0-9.]+) ms \(cpu (?P<cpu>[0-9.]+) ms\)$")
MODELS = [("NeuMF", "NeuMF step"), ("GRU4Rec full", "full softmax"), ("GRU4Rec sampled", "sampled softmax")]


def parse(output):
    found = {}
    for line in output.splitlines():
        m = LINE.match(line.strip())
        if not m:
            continue
        for model, key in MODELS:
            if key in m["name"] and "unfused" not in m["name"]:
                found[model] = (float(m["wall"]), float(m["cpu"]))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=sys.executable, help="a Python with torch installed")
    ap.add_argument("--bench", default=".build-me/release/recbook-bench")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    runs = {"swift": [], "torch": []}
    loads = []
    for rep in range(args.reps):
        loads.append(os.getloadavg()[0])
        swift = subprocess.run(
            [args.bench, "nn", "--steps", str(args.steps), "--threads", str(args.threads),
             "--only", "neumf,gru,sampled"], capture_output=True, text=True, check=True).stdout
        torch = subprocess.run(
            [args.python, os.path.join(here, "nn_torch.py"), "--steps", str(args.steps)],
            capture_output=True, text=True, check=True).stdout
        runs["swift"].append(parse(swift))
        runs["torch"].append(parse(torch))
        print(f"rep {rep + 1}: load {loads[-1]:.2f}; swift {runs['swift'][-1]}; torch {runs['torch'][-1]}",
              flush=True)
    print(f"\nload average (1 min) at each repetition: {', '.join(f'{x:.2f}' for x in loads)}")
    print(f"{'model':<16} {'Swift wall':>10} {'Swift cpu':>10} {'Torch wall':>11} {'Torch cpu':>10} "
          f"{'wall ratio':>10} {'cpu ratio':>10}")
    for model, _ in MODELS:
        sw = statistics.median(r[model][0] for r in runs["swift"])
        sc = statistics.median(r[model][1] for r in runs["swift"])
        tw = statistics.median(r[model][0] for r in runs["torch"])
        tc = statistics.median(r[model][1] for r in runs["torch"])
        # Per-repetition ratios (same load), then their median.
        wr = statistics.median(s[model][0] / t[model][0] for s, t in zip(runs["swift"], runs["torch"]))
        cr = statistics.median(s[model][1] / t[model][1] for s, t in zip(runs["swift"], runs["torch"]))
        print(f"{model:<16} {sw:>10.2f} {sc:>10.2f} {tw:>11.2f} {tc:>10.2f} {wr:>10.3f} {cr:>10.3f}")


if __name__ == "__main__":
    main()
