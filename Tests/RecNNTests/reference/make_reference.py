#!/usr/bin/env python3
"""Reference numbers for RecNN's tests, computed with PyTorch (CPU, float64 then rounded).

Rerun with PyTorch installed:  python3 Tests/RecNNTests/reference/make_reference.py
It rewrites reference.json beside this script; the Swift tests read that file and need no Python.

Every tensor is written as a flat row-major list with its shape. Weights are drawn here (seeded)
in float32 and given to both sides; the expected outputs and gradients are computed in float64
from those float32 weights so the only error left on the Swift side is its own float32 rounding.
"""
import json
import os

import torch

torch.manual_seed(0)


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def f32(*shape, scale=1.0):
    # Uniform in [-scale, scale), rounded to float32, kept as float64 for the computation.
    return ((torch.rand(*shape) * 2 - 1) * scale).float().double()


def neumf():
    """A small NeuMF (He et al. 2017): GMF and MLP branches, BCE-with-logits loss."""
    U, I, F, M = 5, 7, 4, 4  # users, items, GMF factors, MLP embedding per side
    users = [0, 1, 4, 2, 0, 3]
    items = [6, 0, 3, 3, 2, 5]
    labels = torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0, 0.0], dtype=torch.float64)
    p = {
        "gmfUser": f32(U, F, scale=0.5), "gmfItem": f32(I, F, scale=0.5),
        "mlpUser": f32(U, M, scale=0.5), "mlpItem": f32(I, M, scale=0.5),
        "w1": f32(6, 8, scale=0.4), "b1": f32(6, scale=0.1),
        "w2": f32(4, 6, scale=0.4), "b2": f32(4, scale=0.1),
        "wOut": f32(1, 8, scale=0.4), "bOut": f32(1, scale=0.1),
    }
    for v in p.values():
        v.requires_grad_(True)
    u = torch.tensor(users)
    i = torch.tensor(items)
    gmf = p["gmfUser"][u] * p["gmfItem"][i]
    h = torch.cat([p["mlpUser"][u], p["mlpItem"][i]], dim=1)
    h = torch.relu(h @ p["w1"].T + p["b1"])
    h = torch.relu(h @ p["w2"].T + p["b2"])
    logits = (torch.cat([gmf, h], dim=1) @ p["wOut"].T + p["bOut"]).reshape(-1)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels)
    loss.backward()
    out = {"users": users, "items": items, "labels": labels.tolist()}
    out["params"] = {k: flat(v) for k, v in p.items()}
    out["logits"] = flat(logits)
    out["loss"] = float(loss.detach())
    out["grads"] = {k: flat(v.grad) for k, v in p.items()}
    return out


def gru():
    """A GRU over padded sequences of lengths 5, 2, 1, 0, stepped with masks (nn.GRU's formulas)."""
    B, T, I, H = 4, 5, 3, 4
    lengths = [5, 2, 1, 0]
    x = f32(B, T, I).requires_grad_(True)
    wih = f32(3 * H, I, scale=0.5).requires_grad_(True)
    whh = f32(3 * H, H, scale=0.5).requires_grad_(True)
    bih = f32(3 * H, scale=0.5).requires_grad_(True)
    bhh = f32(3 * H, scale=0.5).requires_grad_(True)
    d_out = f32(B, T, H)
    d_last = f32(B, H)
    h = torch.zeros(B, H, dtype=torch.float64)
    outs = []
    for t in range(T):
        gi = x[:, t] @ wih.T + bih
        gh = h @ whh.T + bhh
        r = torch.sigmoid(gi[:, :H] + gh[:, :H])
        z = torch.sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
        n = torch.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
        h_new = (1 - z) * n + z * h
        m = torch.tensor([[1.0] if t < L else [0.0] for L in lengths], dtype=torch.float64)
        h = m * h_new + (1 - m) * h
        outs.append(m * h_new)
    outputs = torch.stack(outs, dim=1)
    # Cross-check the unpadded sequences against nn.GRU itself.
    ref = torch.nn.GRU(I, H, batch_first=True).double()
    with torch.no_grad():
        ref.weight_ih_l0.copy_(wih); ref.weight_hh_l0.copy_(whh)
        ref.bias_ih_l0.copy_(bih); ref.bias_hh_l0.copy_(bhh)
        o, _ = ref(x[:1])
        assert torch.allclose(o, outputs[:1], atol=1e-12)
    loss = (outputs * d_out).sum() + (h * d_last).sum()
    loss.backward()
    return {
        "lengths": lengths, "x": flat(x), "weightIH": flat(wih), "weightHH": flat(whh),
        "biasIH": flat(bih), "biasHH": flat(bhh), "dOutputs": flat(d_out), "dLast": flat(d_last),
        "outputs": flat(outputs), "last": flat(h), "dx": flat(x.grad), "dWeightIH": flat(wih.grad),
        "dWeightHH": flat(whh.grad), "dBiasIH": flat(bih.grad), "dBiasHH": flat(bhh.grad),
    }


def caser():
    """Caser's convolution block (Tang and Wang 2018): horizontal filters of heights 1, 2, 3
    over an L x d embedding matrix, ReLU, max-pool over time; a vertical L x 1 filter bank.
    Output = cat(vertical.view(B, -1), pooled horizontal), objective sum(out * dOut)."""
    B, L, d, nh, nv = 2, 5, 3, 2, 2
    heights = [1, 2, 3]
    x = f32(B, L, d).requires_grad_(True)
    hw = [f32(nh, 1, h, d, scale=0.6).requires_grad_(True) for h in heights]
    hb = [f32(nh, scale=0.3).requires_grad_(True) for _ in heights]
    vw = f32(nv, 1, L, 1, scale=0.6).requires_grad_(True)
    vb = f32(nv, scale=0.3).requires_grad_(True)
    img = x.unsqueeze(1)  # (B, 1, L, d)
    out_v = torch.nn.functional.conv2d(img, vw, vb).reshape(B, -1)  # (B, nv * d)
    pooled = []
    for w, b in zip(hw, hb):
        c = torch.relu(torch.nn.functional.conv2d(img, w, b).squeeze(3))  # (B, nh, L - h + 1)
        pooled.append(torch.nn.functional.max_pool1d(c, c.size(2)).squeeze(2))  # (B, nh)
    out = torch.cat([out_v] + pooled, dim=1)
    d_out = f32(*out.shape)
    (out * d_out).sum().backward()
    return {
        "heights": heights, "x": flat(x), "dOut": flat(d_out), "out": flat(out), "dx": flat(x.grad),
        "hWeights": [flat(w) for w in hw], "hBiases": [flat(b) for b in hb],
        "vWeight": flat(vw), "vBias": flat(vb),
        "dHWeights": [flat(w.grad) for w in hw], "dHBiases": [flat(b.grad) for b in hb],
        "dVWeight": flat(vw.grad), "dVBias": flat(vb.grad),
    }


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    result = {"torch": torch.__version__, "neumf": neumf(), "gru": gru(), "caser": caser()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
    with open(path, "w") as f:
        json.dump(result, f)
    print("wrote", path)
