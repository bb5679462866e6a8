#!/usr/bin/env python3
"""Side-by-side fit time: Recbook's als / bpr against implicit's, same data, same machine, same run.

ALS: implicit AlternatingLeastSquares (CG, 3 steps) against `recbook-bench factor-speed --model als`
on the ML-1M-sized synthetic set of ../shared/bench/peers/synth.py (6,040 x 3,706, 1M
interactions; written once to --synth-dir), 64 factors, 15 iterations, 2 threads.
BPR: implicit BayesianPersonalizedRanking against `--model bpr` on the shared ml-100k
loo_train.tsv, 64 factors, 100 epochs, lr 0.01, reg 0.03, 2 threads (Recbook's BPR is
single-threaded by design: deterministic).

Each system runs --reps times, alternating, each Recbook run in a fresh process; prints one JSON
line per run and a summary line with best-of times and the ratio recbook / implicit.

    python3 -m venv /tmp/peervenv && /tmp/peervenv/bin/pip install implicit==0.7.3
    swift build -c release --scratch-path .build-me --product recbook-bench
    /tmp/peervenv/bin/python bench/als_bpr_implicit.py [--reps 3] [--only als,bpr]

implicit's alpha multiplies the data (confidence = alpha * 1 on binary data); Recbook's is Hu
et al.'s 1 + alpha, so implicit alpha=5 is Recbook alpha=4 (same confidence, same work).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def load_csr(path):
    import numpy as np
    import scipy.sparse as sp

    a = np.loadtxt(path, delimiter="\t", usecols=(0, 1), dtype=np.int64)
    users, items = np.unique(a[:, 0], return_inverse=True)[1], np.unique(a[:, 1], return_inverse=True)[1]
    m = sp.csr_matrix((np.ones(len(a), dtype=np.float32), (users, items)))
    m.sum_duplicates()
    m.data[:] = 1
    return m


def implicit_fit(model, path, threads):
    from implicit.als import AlternatingLeastSquares
    from implicit.bpr import BayesianPersonalizedRanking
    import implicit

    X = load_csr(path)
    if model == "als":
        m = AlternatingLeastSquares(factors=64, regularization=0.05, alpha=5.0, iterations=15,
                                    num_threads=threads, random_state=0)
    else:
        m = BayesianPersonalizedRanking(factors=64, iterations=100, learning_rate=0.01, regularization=0.03,
                                        num_threads=threads, random_state=0)
    c0 = time.process_time()
    t0 = time.perf_counter()
    m.fit(X, show_progress=False)
    fit = time.perf_counter() - t0
    return {"system": f"implicit {implicit.__version__}", "model": model, "tsv": str(path),
            "users": X.shape[0], "items": X.shape[1], "events": int(X.nnz), "threads": threads,
            "fit_s": round(fit, 4), "cpu_s": round(time.process_time() - c0, 4),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def recbook_fit(binary, model, path, threads):
    settings = {"als": "factors=64,regularization=0.05,alpha=4,epochs=15",
                "bpr": "factors=64,epochs=100,learning-rate=0.01,regularization=0.03"}[model]
    out = subprocess.run([binary, "factor-speed", "--model", model, "--tsv", str(path), "--set", settings,
                          "--threads", str(threads)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peers", type=Path, default=ROOT.parent / "shared" / "bench" / "peers")
    ap.add_argument("--synth-dir", type=Path, default=Path("/tmp/recbook-synth"))
    ap.add_argument("--binary", default=str(ROOT / ".build-me" / "release" / "recbook-bench"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="als,bpr")
    args = ap.parse_args()

    synth = args.synth_dir / "synth_M_seed0.tsv"
    if "als" in args.only and not synth.exists():
        subprocess.run([sys.executable, str(args.peers / "synth.py"), "--size", "M", "--out", str(args.synth_dir)],
                       check=True, capture_output=True)
    data = {"als": synth, "bpr": args.peers / "splits" / "loo_train.tsv"}
    summary = {}
    for model in args.only.split(","):
        best = {}
        for _ in range(args.reps):
            # implicit in a fresh interpreter too, so its peak RSS is its own run's.
            code = (f"import sys, json; sys.path.insert(0, {str(HERE)!r}); import als_bpr_implicit as b; "
                    f"print(json.dumps(b.implicit_fit({model!r}, {str(data[model])!r}, {args.threads})))")
            imp = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                            check=True).stdout.strip().splitlines()[-1])
            rec = recbook_fit(args.binary, model, data[model], args.threads)
            for r in (imp, rec):
                r["load1"] = round(os.getloadavg()[0], 2)
                print(json.dumps(r), flush=True)
                key = r["system"].split()[0]
                best[key] = min(best.get(key, float("inf")), r["fit_s"])
        summary[model] = {"implicit_best_s": best["implicit"], "recbook_best_s": best["recbook"],
                          "ratio": round(best["recbook"] / best["implicit"], 3)}
    print(json.dumps({"summary": summary}))


if __name__ == "__main__":
    main()
