"""Time implicit's recommend (top-10, filter liked items) for all users with random 64-factor models.

Side-by-side reference for `recbook-bench eval`. Needs implicit, numpy, scipy, threadpoolctl
(`python3 -m venv /tmp/v && /tmp/v/bin/pip install implicit`); run `OMP_NUM_THREADS=2 /tmp/v/bin/python
bench/eval_implicit.py`. Reads ../shared/bench/peers/splits/loo_train.tsv (from the repository root).
The synthetic set has the same shape as recbook-bench's (6,040 x 3,706, 1M pairs, squared-uniform
item draws) but not the same pairs; top-k cost depends on the shape and nnz, not on which pairs.
"""
import json, time, sys
import numpy as np, scipy.sparse as sp
from threadpoolctl import threadpool_limits
import implicit
from implicit.cpu.als import AlternatingLeastSquares

def bench(name, csr, reps=9):
    n_users, n_items = csr.shape
    m = AlternatingLeastSquares(factors=64, num_threads=2, random_state=1)
    rng = np.random.default_rng(1)
    m.user_factors = rng.normal(size=(n_users, 64)).astype(np.float32) / 8
    m.item_factors = rng.normal(size=(n_items, 64)).astype(np.float32) / 8
    users = np.arange(n_users)
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        m.recommend(users, csr[users], N=10, filter_already_liked_items=True)
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    print(json.dumps({"bench": "implicit-recommend", "data": name, "users": n_users, "items": n_items,
                      "nnz": int(csr.nnz), "ms_median": round(ts[len(ts) // 2], 3), "ms_min": round(ts[0], 3),
                      "implicit": implicit.__version__}))

with threadpool_limits(1, "blas"):
    tr = np.loadtxt("../shared/bench/peers/splits/loo_train.tsv", dtype=np.int64, delimiter="\t")
    csr = sp.csr_matrix((np.ones(len(tr), np.float32), (tr[:, 0] - 1, tr[:, 1] - 1)), shape=(943, 1682))
    bench("ml-100k", csr)
    rng = np.random.default_rng(7)
    nu, ni, n = 6040, 3706, 1_000_000
    # Zipf-like items (squared uniform), distinct pairs, about 1M
    u = rng.integers(0, nu, size=int(n * 1.15))
    i = np.minimum(ni - 1, (rng.random(size=len(u)) ** 2 * ni).astype(np.int64))
    key = np.unique(u * ni + i)[:n]
    csr = sp.csr_matrix((np.ones(len(key), np.float32), (key // ni, key % ni)), shape=(nu, ni))
    bench("synth-1M", csr)
