"""Engine overhead: a long chain of tiny element-wise ops, forward + backward.

Prints µs per op for ``y = y * 1.0001 + 0.5`` repeated (2,000 ops on a 10-element float64
tensor) and seconds for a 100,000-op chain, next to the same chain in bare NumPy (forward
only, the floor) and in PyTorch when it is installed (``pip install torch==2.13.0``, the
CPU build). Targets (issue 2): ≤ 4 µs per op, ≤ 0.8 s for the 100k chain.

    python bench/bench_core.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import autograd as ag


def chain_autograd(n_ops: int) -> float:
    x = ag.Tensor(np.linspace(0, 1, 10), requires_grad=True)
    start = time.perf_counter()
    y = x
    for _ in range(n_ops // 2):
        y = y * 1.0001 + 0.5
    y.sum().backward()
    return time.perf_counter() - start


def chain_numpy(n_ops: int) -> float:
    """The same arithmetic in bare NumPy, forward only: no graph, no gradient."""
    y = np.linspace(0, 1, 10)
    start = time.perf_counter()
    for _ in range(n_ops // 2):
        y = y * 1.0001 + 0.5
    return time.perf_counter() - start


def chain_torch(n_ops: int) -> float | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    x = torch.linspace(0, 1, 10, dtype=torch.float64, requires_grad=True)
    start = time.perf_counter()
    y = x
    for _ in range(n_ops // 2):
        y = y * 1.0001 + 0.5
    y.sum().backward()
    return time.perf_counter() - start


def best_of(run, n_ops: int, repeats: int) -> float | None:
    times = [run(n_ops) for _ in range(repeats)]
    return None if times[0] is None else min(times)


def main() -> None:
    rows = [("autograd (ours)", chain_autograd), ("PyTorch", chain_torch),
            ("NumPy, forward only", chain_numpy)]
    print("chain of 2,000 ops y = y*1.0001 + 0.5 on 10 float64 values, forward + backward")
    small = {name: best_of(run, 2000, 20) for name, run in rows}
    for name, seconds in small.items():
        if seconds is not None:
            print(f"  {name:22s} {seconds / 2000 * 1e6:7.2f} µs/op   "
                  f"({seconds / small['autograd (ours)']:.2f}× ours)")
    print("chain of 100,000 ops, forward + backward")
    large = {name: best_of(run, 100_000, 3) for name, run in rows}
    for name, seconds in large.items():
        if seconds is not None:
            print(f"  {name:22s} {seconds:7.3f} s")
    ours = large["autograd (ours)"]
    if small["PyTorch"] is not None:
        print(f"ratio ours/PyTorch: small chain {small['autograd (ours)'] / small['PyTorch']:.2f}, "
              f"100k chain {ours / large['PyTorch']:.2f}")
    numpy_floor = small["NumPy, forward only"]
    print(f"ratio ours/NumPy forward-only: {small['autograd (ours)'] / numpy_floor:.2f}")


if __name__ == "__main__":
    main()
