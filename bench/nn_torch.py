#!/usr/bin/env python3
"""PyTorch's time per training step for the shapes of `recbook-bench nn` (CPU, 2 threads).

    python3 bench/nn_torch.py [--steps 50]

NeuMF: GMF 8 factors + MLP [64, 32, 16, 8] on 943 users x 1682 items, batch 256, BCE, Adam.
GRU4Rec: item embedding 64, GRU hidden 64, sequences of 20, batch 64, Linear(64, 1682) at every
position, full softmax cross-entropy, Adam. Sampled variant: the target and 256 negatives drawn
uniformly once per batch and shared by every position (output item vectors and biases as
embeddings), softmax cross-entropy with the target in column 0. Random indices, as in the Swift
bench. Each line gives wall ms per step and process CPU ms per step (all threads).
"""
import argparse
import time

import torch
import torch.nn as nn

torch.set_num_threads(2)
torch.manual_seed(0)


class NeuMF(nn.Module):
    def __init__(self, users=943, items=1682):
        super().__init__()
        self.gu, self.gi = nn.Embedding(users, 8), nn.Embedding(items, 8)
        self.mu, self.mi = nn.Embedding(users, 32), nn.Embedding(items, 32)
        self.mlp = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU())
        self.out = nn.Linear(16, 1)

    def forward(self, u, i):
        gmf = self.gu(u) * self.gi(i)
        h = self.mlp(torch.cat([self.mu(u), self.mi(i)], dim=1))
        return self.out(torch.cat([gmf, h], dim=1)).squeeze(1)


class GRU4Rec(nn.Module):
    def __init__(self, items=1682):
        super().__init__()
        self.emb = nn.Embedding(items, 64)
        self.gru = nn.GRU(64, 64, batch_first=True)
        self.out = nn.Linear(64, items)

    def forward(self, seq):
        h, _ = self.gru(self.emb(seq))
        return self.out(h.reshape(-1, 64))


class SampledGRU4Rec(nn.Module):
    def __init__(self, items=1682):
        super().__init__()
        self.emb = nn.Embedding(items, 64)
        self.gru = nn.GRU(64, 64, batch_first=True)
        self.w = nn.Embedding(items, 64)
        self.b = nn.Embedding(items, 1)

    def forward(self, seq, tgt, neg):
        h, _ = self.gru(self.emb(seq))
        h = h.reshape(-1, 64)
        pos = (h * self.w(tgt)).sum(1, keepdim=True) + self.b(tgt)
        negs = h @ self.w(neg).t() + self.b(neg).t()
        return torch.cat([pos, negs], dim=1)


def time_steps(step, steps, warmup=3):
    for _ in range(warmup):
        step()
    t, c = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    return (time.perf_counter() - t) * 1000 / steps, (time.process_time() - c) * 1000 / steps


def report(name, t):
    print(f"{name}: {t[0]:.3f} ms (cpu {t[1]:.3f} ms)", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=50)
    args = ap.parse_args()
    print(f"PyTorch {torch.__version__}, threads {torch.get_num_threads()}, steps {args.steps}")

    m = NeuMF()
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    y = (torch.arange(256) % 2).float()

    def neumf_step():
        u = torch.randint(0, 943, (256,))
        i = torch.randint(0, 1682, (256,))
        opt.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(m(u, i), y)
        loss.backward()
        opt.step()

    report("NeuMF step (batch 256, GMF 8, MLP [64,32,16,8], Adam)", time_steps(neumf_step, args.steps))

    g = GRU4Rec()
    gopt = torch.optim.Adam(g.parameters(), lr=1e-3)

    def gru_step():
        seq = torch.randint(0, 1682, (64, 20))
        tgt = torch.randint(0, 1682, (64 * 20,))
        gopt.zero_grad()
        loss = nn.functional.cross_entropy(g(seq), tgt)
        loss.backward()
        gopt.step()

    t = time_steps(gru_step, max(5, args.steps // 5))
    report("GRU4Rec step (batch 64 x 20, hidden 64, 1682 items, full softmax, Adam)", t)

    s = SampledGRU4Rec()
    sopt = torch.optim.Adam(s.parameters(), lr=1e-3)
    zeros = torch.zeros(64 * 20, dtype=torch.long)

    def sampled_step():
        seq = torch.randint(0, 1682, (64, 20))
        tgt = torch.randint(0, 1682, (64 * 20,))
        neg = torch.randint(0, 1682, (256,))
        sopt.zero_grad()
        loss = nn.functional.cross_entropy(s(seq, tgt, neg), zeros)
        loss.backward()
        sopt.step()

    t = time_steps(sampled_step, args.steps)
    report("GRU4Rec step (batch 64 x 20, hidden 64, 1682 items, sampled softmax 256 shared, Adam)", t)


if __name__ == "__main__":
    main()
