"""Memory that a graph keeps after backward (issue 9), ours next to PyTorch.

MLP 1024-2048-2048-2048-10 (ReLU), cross-entropy, batch 512, float64. After one warm-up
step (so that parameters and their gradients exist), measured:

- a live ``loss`` after ``loss.backward()``;
- a list of 20 such losses (the everyday ``history.append(loss)``);
- a live loss after ``backward(retain_graph=True)`` (the graph is kept on purpose), then
  after a final plain backward.

Each figure is the growth of the process's resident memory after a garbage collection and
``malloc_trim`` (so freed memory goes back to the system), the same measure for both
libraries; for ours also the bytes of the arrays the graph still reaches, which does not
depend on the allocator. PyTorch needs ``pip install torch==2.13.0`` (the CPU build).

    python bench/bench_memory.py
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import autograd as ag
import nn
from autograd.memory import reachable_bytes
from nn import functional as F

SIZES = [1024, 2048, 2048, 2048, 10]
BATCH = 512
MB = 1e6


def rss() -> int:
    """Resident bytes after returning freed memory to the system."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def ours() -> dict[str, float]:
    ag.manual_seed(0)
    model = nn.MLP(SIZES, activation="relu")
    params = list(model.parameters())
    rng = np.random.default_rng(0)
    x, labels = rng.standard_normal((BATCH, SIZES[0])), rng.integers(0, 10, BATCH)

    def loss():
        return F.cross_entropy(model(x), labels)

    loss().backward()
    return measure(loss, lambda l: reachable_bytes(l, exclude=[*params, x]))


def theirs() -> dict[str, float] | None:
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    layers = []
    for n_in, n_out in itertools.pairwise(SIZES):
        layers += [torch.nn.Linear(n_in, n_out, dtype=torch.float64), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.standard_normal((BATCH, SIZES[0])))
    labels = torch.from_numpy(rng.integers(0, 10, BATCH))

    def loss():
        return torch.nn.functional.cross_entropy(model(x), labels)

    loss().backward()
    return measure(loss, None)


def measure(loss, reachable) -> dict[str, float]:
    figures = {}
    base = rss()
    one = loss()
    one.backward()
    figures["live loss after backward"] = (rss() - base) / MB
    if reachable:
        figures["  arrays the live loss reaches"] = reachable(one) / MB
    del one
    base = rss()
    history = []
    for _ in range(20):
        step = loss()
        step.backward()
        history.append(step)
    del step
    figures["20 losses in a list"] = (rss() - base) / MB
    if reachable:
        figures["  arrays the 20 losses reach"] = reachable(history) / MB
    del history
    base = rss()
    kept = loss()
    kept.backward(retain_graph=True)
    figures["after backward(retain_graph=True)"] = (rss() - base) / MB
    kept.backward()
    figures["then after a plain backward"] = (rss() - base) / MB
    if reachable:
        figures["  arrays the loss then reaches"] = reachable(kept) / MB
    return figures


def main() -> None:
    print(f"MLP {'-'.join(map(str, SIZES))}, batch {BATCH}, float64: memory kept, MB")
    mine, torch_figures = ours(), theirs()
    for name, value in mine.items():
        line = f"  {name:36s} ours {value:8.2f}"
        if torch_figures is not None and name in torch_figures:
            line += f" | torch {torch_figures[name]:8.2f}"
        print(line)


if __name__ == "__main__":
    main()
