#!/usr/bin/env python3
"""CSV load benchmark: Recbook's CSVReader against pandas.read_csv on the same files.

Generates ratings files (user,item,rating,timestamp; integers, like MovieLens)
deterministically into bench/data/ (git-ignored) when absent, then for each size
times pandas.read_csv (best of --repeat, in a fresh process, with its peak RSS)
and `recbook-bench csv-load` (best of --repeat fresh processes, each reporting its
own time and VmHWM), and prints a side-by-side table.

    pip install pandas
    swift build -c release --scratch-path .build-me --product recbook-bench
    python3 bench/csv_load.py [--rows 1000000 10000000] [--repeat 3] [--bin PATH]

Goal (the issue): Recbook's time <= 0.5x pandas, and Recbook's peak RSS <= 2x the
in-memory size of the columns (rows x 4 x 8 bytes).
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

PANDAS_CHILD = r"""
import json, sys, time
import pandas as pd
path, repeat = sys.argv[1], int(sys.argv[2])
best = None
for _ in range(repeat):
    t, c = time.perf_counter(), time.process_time()
    df = pd.read_csv(path)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    if best is None or dt < best[0]:
        best = (dt, dc)
    rows = len(df)
    del df
peak = 0.0
with open("/proc/self/status") as f:
    for line in f:
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
print(json.dumps({"rows": rows, "seconds": best[0], "cpu_seconds": best[1], "peak_rss_mb": peak}))
"""


def generate(path, rows, seed=42):
    """Writes `rows` ratings with numpy's seeded generator (same file on every run)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    chunk = 1_000_000
    with open(tmp, "w") as f:
        f.write("user,item,rating,timestamp\n")
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            user = rng.integers(1, 200_001, n)
            item = rng.integers(1, 50_001, n)
            rating = rng.integers(1, 6, n)
            ts = rng.integers(874_724_710, 1_600_000_000, n)
            lines = "\n".join(f"{a},{b},{c},{d}" for a, b, c, d in zip(user.tolist(), item.tolist(), rating.tolist(), ts.tolist()))
            f.write(lines + "\n")
    os.replace(tmp, path)


def run_pandas(path, repeat):
    out = subprocess.run([sys.executable, "-c", PANDAS_CHILD, path, str(repeat)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_swift(binary, rows, data_dir, repeat):
    runs = []
    for _ in range(repeat):
        out = subprocess.run([binary, "csv-load", "--rows", str(rows), "--dir", data_dir], check=True, capture_output=True, text=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    best["peak_rss_mb_max"] = max(r["peak_rss_mb"] for r in runs)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default=os.path.join(HERE, "data"))
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build-me", "release", "recbook-bench"))
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} not found: swift build -c release --scratch-path .build-me --product recbook-bench")

    results = []
    for rows in args.rows:
        path = os.path.join(args.dir, f"ratings_{rows}.csv")
        if not os.path.exists(path):
            print(f"generating {path} ...", file=sys.stderr)
            generate(path, rows)
        pandas = run_pandas(path, args.repeat)
        swift = run_swift(args.bin, rows, args.dir, args.repeat)
        assert pandas["rows"] == swift["rows"] == rows, (pandas, swift)
        results.append({"rows": rows, "mb": os.path.getsize(path) / 1e6, "pandas": pandas, "recbook": swift})

    print(f"{'rows':>11} {'file MB':>8} {'pandas s':>9} {'recbook s':>10} {'ratio':>6} {'goal':>5}"
          f" {'pandas cpu':>10} {'recbook cpu':>11} {'cpu ratio':>9}"
          f" {'pandas MB':>10} {'recbook MB':>11} {'columns MB':>11} {'peak/cols':>10} {'goal':>5}")
    for r in results:
        p, s = r["pandas"], r["recbook"]
        ratio = s["seconds"] / p["seconds"]
        mem = s["peak_rss_mb_max"] / s["columns_mb"]
        print(f"{r['rows']:>11,} {r['mb']:>8.1f} {p['seconds']:>9.3f} {s['seconds']:>10.3f} {ratio:>6.2f}"
              f" {'ok' if ratio <= 0.5 else 'MISS':>5}"
              f" {p['cpu_seconds']:>10.3f} {s['cpu_seconds']:>11.3f} {s['cpu_seconds'] / p['cpu_seconds']:>9.2f}"
              f" {p['peak_rss_mb']:>10.1f} {s['peak_rss_mb_max']:>11.1f}"
              f" {s['columns_mb']:>11.1f} {mem:>10.2f} {'ok' if mem <= 2 else 'MISS':>5}")
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "csv_load.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
