"""Engine overhead: a long chain of tiny element-wise ops, forward + backward.

Prints µs per op for ``y = y * 1.0001 + 0.5`` repeated (2,000 ops on a 10-element float64
tensor) and seconds for a 100,000-op chain, next to the same chain in bare NumPy (forward
only, the floor; and with its backward written by hand) and in PyTorch when it is
installed (``pip install torch==2.13.0``, the CPU build). Targets (issue 10): the small
chain ≤ 0.75× PyTorch and ≤ 5× NumPy with its backward by hand; the 100k chain ≤ 0.7×
PyTorch.

Each contestant runs in a process of its own, as in a user's program: Python's cyclic
garbage collector walks every tracked object of the process at each full collection, so
timing ours in a process that has imported torch (about 150,000 more objects) would charge
torch's heap to our forward pass — on the 100k chain that doubled our collector's time.

    python bench/bench_core.py
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
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


def hand_backward_chain(y: np.ndarray, n_ops: int) -> np.ndarray:
    """The chain on ``y`` written by hand with its backward, returning ∂E/∂y for E = Σ of
    the result: the forward keeps nothing (the local derivative of y·c is the constant c,
    of y + 0.5 is 1); the backward multiplies ∂E/∂y by c once per product, from ones —
    what an autograd engine automates, with no graph."""
    for _ in range(n_ops // 2):
        y = y * 1.0001 + 0.5
    grad = np.ones_like(y)
    for _ in range(n_ops // 2):
        grad = grad * 1.0001
    return grad


def chain_numpy_backward(n_ops: int) -> float:
    y = np.linspace(0, 1, 10)
    start = time.perf_counter()
    hand_backward_chain(y, n_ops)
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


def best_of_interleaved(runs: dict, n_ops: int, repeats: int,
                        processes: dict) -> dict[str, float]:
    """Best time of each run over ``repeats`` rounds, the runs taking turns within a round
    so that a shared machine's slow spells fall on all of them alike. ``processes`` maps a
    run's name to the process pool it runs in."""
    best: dict[str, float] = {}
    for _ in range(repeats):
        for name, run in runs.items():
            seconds = processes[name].submit(run, n_ops).result()
            if seconds is not None:
                best[name] = min(seconds, best.get(name, seconds))
    return best


def main() -> None:
    runs = {"autograd (ours)": chain_autograd, "PyTorch": chain_torch,
            "NumPy, forward only": chain_numpy,
            "NumPy, hand backward": chain_numpy_backward}
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited heap
    processes = {name: ProcessPoolExecutor(1, mp_context=spawn) for name in runs}
    try:
        report(runs, processes)
    finally:
        for pool in processes.values():
            pool.shutdown()


def report(runs: dict, processes: dict) -> None:
    print("chain of 2,000 ops y = y*1.0001 + 0.5 on 10 float64 values, forward + backward")
    print("(each in a process of its own)")
    small = best_of_interleaved(runs, 2000, 30, processes)
    for name, seconds in small.items():
        print(f"  {name:22s} {seconds / 2000 * 1e6:7.2f} µs/op")
    print("chain of 100,000 ops, forward + backward")
    large = best_of_interleaved(runs, 100_000, 3, processes)
    for name, seconds in large.items():
        print(f"  {name:22s} {seconds:7.3f} s")
    ours_small, ours_large = small["autograd (ours)"], large["autograd (ours)"]
    if "PyTorch" in small:
        print(f"ratio ours/PyTorch: small chain {ours_small / small['PyTorch']:.2f}, "
              f"100k chain {ours_large / large['PyTorch']:.2f}")
    print(f"ratio ours/NumPy: small chain {ours_small / small['NumPy, hand backward']:.2f} "
          f"against the hand backward, {ours_small / small['NumPy, forward only']:.2f} "
          "against the forward alone")
    print("targets (issue 10): small chain ≤ 0.75× PyTorch and ≤ 5× the hand backward; "
          "100k chain ≤ 0.7× PyTorch")


if __name__ == "__main__":
    main()
