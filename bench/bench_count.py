"""Instructions per step, counted by valgrind's callgrind: a measure that a busy machine
does not disturb, for ranking changes (wall-clock time on a shared host drifts up to 2×).

Workloads (issue 10's names):

- W1: one op of a 2,000-op chain ``y = y*1.0001 + 0.5`` on 10 float64 values, forward and
  backward (NumPy: the same chain with its backward written by hand, bench_core's
  ``hand_backward_chain``);
- W2: one step of micrograd's moons demo, MLP 2-16-16-1 (ReLU), max-margin loss + L2,
  SGD, full batch of 100, float64;
- W3: one SGD step of the digits MLP 64-128-64-10 (ReLU, cross-entropy), batch 64, float32;
- W2t, W3t: W2 and W3 with our forward and backward traced once and replayed
  (``ag.trace``); NumPy and PyTorch run as in W2 and W3.

Each (workload, implementation) runs twice under callgrind with collection switched on
only for the timed steps (``--instr-atstart=no``, then ``callgrind_control -i on``), for
``N`` and ``N + ΔN`` steps; the difference divided by ΔN is the count per step, so start-up
and exit cancel. Needs valgrind (``apt-get install valgrind``); PyTorch rows need
``pip install torch==2.13.0`` (the CPU build).

    python bench/bench_count.py [--workloads W1,W2,W3] [--steps 20]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

CHAIN = 2000


def chain(impl: str) -> Callable[[], None]:
    """W1: the chain of bench_core.py, one call = CHAIN ops."""
    if impl == "numpy":
        from bench_core import hand_backward_chain
        return lambda: hand_backward_chain(np.linspace(0, 1, 10), CHAIN)
    if impl == "torch":
        import torch

        def step() -> None:
            x = torch.linspace(0, 1, 10, dtype=torch.float64, requires_grad=True)
            y = x
            for _ in range(CHAIN // 2):
                y = y * 1.0001 + 0.5
            y.sum().backward()
        return step
    import autograd as ag

    def step() -> None:
        x = ag.Tensor(np.linspace(0, 1, 10), requires_grad=True)
        y = x
        for _ in range(CHAIN // 2):
            y = y * 1.0001 + 0.5
        y.sum().backward()
    return step


def moons(impl: str) -> Callable[[], None]:
    """W2: micrograd's demo step (bench_nn.py's moons benchmark, and by hand in NumPy)."""
    import bench_nn

    model = bench_nn.build([2, 16, 16, 1], np.float64)
    if impl == "numpy":
        return _moons_by_hand(bench_nn.weights(model), *bench_nn.moons_data())
    if impl == "torch":
        step = bench_nn.torch_moons_step(bench_nn.weights(model))
    else:
        step = bench_nn.ours_moons_step(model)
    return lambda: step(0)


def _moons_by_hand(params: list[np.ndarray], X: np.ndarray, y: np.ndarray
                   ) -> Callable[[], None]:
    """The moons step written out: forward, ∂loss/∂score, the chain rule back, SGD."""
    p = [q.copy() for q in params]

    def step() -> None:
        W1, b1, W2, b2, W3, b3 = p
        h1 = np.maximum(X @ W1.T + b1, 0)
        h2 = np.maximum(h1 @ W2.T + b2, 0)
        score = h2 @ W3.T + b3
        active = (1 - score * y) > 0
        d_score = np.where(active, -y, 0.0) / len(y)          # ∂mean(relu(1 − s·y))/∂s
        d2 = (d_score @ W3) * (h2 > 0)
        d1 = (d2 @ W2) * (h1 > 0)
        grads = [d1.T @ X, d1.sum(0), d2.T @ h1, d2.sum(0), d_score.T @ h2, d_score.sum(0)]
        for q, g in zip(p, grads):
            q -= 0.05 * (g + 2e-4 * q)                        # + ∂(1e-4 Σ q²)/∂q
    return step


def digits(impl: str) -> Callable[[], None]:
    """W3: bench_nn.py's digits SGD step, cycling through the batches."""
    import bench_nn

    from nn import functional as F
    batches = bench_nn.digits_batches()
    model = bench_nn.build([64, 128, 64, 10], np.float32)
    params = bench_nn.weights(model)
    if impl == "numpy":
        hand = bench_nn.NumpyMLP(params, "sgd")
        counter = iter(range(10**9))
        return lambda: hand.step(*batches[next(counter) % len(batches)])
    if impl == "torch":
        import torch
        step = bench_nn.torch_step(params, "sgd", batches, torch.nn.functional.cross_entropy)
    else:
        step = bench_nn.ours_step(model, bench_nn.make_optimizer("sgd", model.parameters()),
                                  batches, F.cross_entropy)
    counter = iter(range(10**9))
    return lambda: step(next(counter))


def moons_traced(impl: str) -> Callable[[], None]:
    """W2t: W2 with our step traced (bench_nn.ours_moons_step under ag.trace)."""
    if impl != "ours":
        return moons(impl)
    import bench_nn

    step = bench_nn.ours_moons_step(bench_nn.build([2, 16, 16, 1], np.float64), traced=True)
    return lambda: step(0)


def digits_traced(impl: str) -> Callable[[], None]:
    """W3t: W3 with our step traced (bench_nn.ours_traced_step)."""
    if impl != "ours":
        return digits(impl)
    import bench_nn

    from nn import functional as F
    model = bench_nn.build([64, 128, 64, 10], np.float32)
    step = bench_nn.ours_traced_step(model, bench_nn.make_optimizer("sgd", model.parameters()),
                                     bench_nn.digits_batches(), F.cross_entropy)
    counter = iter(range(10**9))
    return lambda: step(next(counter))


WORKLOADS = {"W1": (chain, CHAIN, "op"), "W2": (moons, 1, "step"), "W3": (digits, 1, "step"),
             "W2t": (moons_traced, 1, "step"), "W3t": (digits_traced, 1, "step")}


def child(workload: str, impl: str, steps: int) -> None:
    """Build, warm up, switch collection on, run ``steps`` steps (in this process)."""
    if impl == "torch":
        import torch
        torch.set_num_threads(1)
    step = WORKLOADS[workload][0](impl)
    for _ in range(3):
        step()
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True,
                   check=True)
    for _ in range(steps):
        step()


def count(workload: str, impl: str, steps: int, folder: str) -> int:
    out = Path(folder) / f"{workload}.{impl}.{steps}"
    command = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
               f"--callgrind-out-file={out}", sys.executable, __file__,
               "--child", workload, impl, str(steps)]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    subprocess.run(command, capture_output=True, check=True, env=env)
    return int(re.search(r"^summary: (\d+)", out.read_text(), re.M).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", default="W1,W2,W3")
    parser.add_argument("--steps", type=int, default=20, help="ΔN, the steps counted")
    parser.add_argument("--impls", default="ours,numpy,torch",
                        help="which implementations (torch only where installed)")
    parser.add_argument("--child", nargs=3, metavar=("WORKLOAD", "IMPL", "STEPS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    if shutil.which("valgrind") is None:
        sys.exit("bench_count: needs valgrind (apt-get install valgrind)")
    impls = args.impls.split(",")
    try:
        import torch  # noqa: F401
    except ImportError:
        impls = [impl for impl in impls if impl != "torch"]
    print("instructions per op (W1) or per training step (W2, W3), callgrind, 1 thread")
    with tempfile.TemporaryDirectory() as folder:
        for workload in args.workloads.split(","):
            _, ops, unit = WORKLOADS[workload]
            per = {}
            for impl in impls:
                few, many = count(workload, impl, 2, folder), count(
                    workload, impl, 2 + args.steps, folder)
                per[impl] = (many - few) / args.steps / ops
            parts = [f"{impl} {n / 1e3:9.1f} k" for impl, n in per.items()]
            ratios = [f"ours/{impl} {per['ours'] / per[impl]:.2f}" for impl in impls
                      if impl != "ours" and "ours" in per]
            print(f"{workload} per {unit}: " + " | ".join(parts + ratios), flush=True)


if __name__ == "__main__":
    main()
