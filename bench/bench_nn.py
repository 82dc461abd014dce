"""Training-step speed and memory of ``nn`` next to PyTorch and hand-written NumPy.

One step is forward, loss, backward and optimizer update. Measured:

- MLP 64-128-64-10 (ReLU, cross-entropy, SGD and Adam) on batches of 64 digits, float32;
- MLP 784-512-512-10 on random batches of 256, float32;
- micrograd's own demo: MLP 2-16-16-1 (ReLU) on 100 moons, SVM max-margin loss
  mean(relu(1 − y·score)) + 1e-4 Σ p², full batch, SGD, float64;
- ``nn.fit`` on the digits with replayed steps (``ag.trace``) and with plain ones;
- memory: 1,000 digits steps, Python heap (tracemalloc) and process RSS before and after.

PyTorch (when importable; ``pip install torch==2.13.0``, the CPU build) gets the same
initial weights and the same batches, and ``torch.set_num_threads(2)``; NumPy's BLAS is
held to the same thread count (threadpoolctl, which scikit-learn brings). ``--threads 1``
measures both single-threaded: on a loaded machine, two BLAS threads on two cores can
stall each other (a 64×64 by 64×128 product went from 46 µs to 720 µs here).
Each figure is the best of several repeats of many steps (robust to a busy machine).
Targets (issue 10): digits SGD ≤ 1.4× hand NumPy (≈ 0.65× PyTorch), moons ≤ 0.6×
PyTorch, the large network ≤ 1.1× hand NumPy; a step made by ``ag.trace`` counts.

    python bench/bench_nn.py [--quick] [--threads N] [--profile]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import autograd as ag
import nn.data as data
from nn import functional as F
from nn.mlp import MLP
from nn.optim import SGD, Adam
from nn.train import fit

try:
    import torch
except ImportError:
    torch = None

LR = 0.01
clock = time.perf_counter  # --clock cpu switches to time.process_time


def best_times(steps: dict[str, Callable[[int], None]], n_steps: int, repeats: int
               ) -> dict[str, float]:
    """Seconds per step of each implementation: the best of ``repeats`` runs of ``n_steps``
    steps after a warm-up. The runs are interleaved (ours, theirs, ours, …) so that a
    machine whose load changes treats every implementation alike."""
    for step in steps.values():
        for i in range(min(n_steps, 10)):
            step(i)
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(repeats):
        for name, step in steps.items():
            start = clock()
            for i in range(n_steps):
                step(i)
            best[name] = min(best[name], (clock() - start) / n_steps)
    return best


def build(sizes: list[int], dtype, seed: int = 0) -> MLP:
    ag.manual_seed(seed)
    ag.set_default_dtype(dtype)
    try:
        return MLP(sizes, activation="relu")
    finally:
        ag.set_default_dtype(np.float64)


def weights(model: MLP) -> list[np.ndarray]:
    """W_1, b_1, W_2, b_2, … as fresh copies (the shared initial point)."""
    return [p.data.copy() for layer in model.layers for p in (layer.weight, layer.bias)]


# ----------------------------------------------------------------- ours
def ours_step(model: MLP, optimizer, batches, loss_fn) -> Callable[[int], None]:
    """One training step; the batch goes in as the ndarray it is (``nn`` wraps it without
    a copy, as ``torch.from_numpy`` does for PyTorch's step)."""
    def step(i: int) -> None:
        X, y = batches[i % len(batches)]
        optimizer.zero_grad()
        loss_fn(model(X), y).backward()
        optimizer.step()
    return step


def ours_traced_step(model: MLP, optimizer, batches, loss_fn) -> Callable[[int], None]:
    """``ours_step`` with forward and backward traced once and replayed (``ag.trace``); the
    batch is the traced function's argument."""
    forward_backward = ag.trace(lambda X, y: loss_fn(model(X), y))

    def step(i: int) -> None:
        optimizer.zero_grad()
        forward_backward(*batches[i % len(batches)])
        optimizer.step()
    return step


def moons_loss(model: MLP, X, y):
    """micrograd's max-margin loss with its L2 penalty."""
    margins = F.relu(1 - model(X) * y).mean()
    return margins + 1e-4 * sum((p * p).sum() for p in model.parameters())


def make_optimizer(name: str, params):
    return Adam(params, lr=LR) if name == "adam" else SGD(params, lr=LR)


# ----------------------------------------------------------------- hand NumPy
class NumpyMLP:
    """The same network by hand: ReLU hidden layers, linear output, softmax cross-entropy
    (mean over the batch), backward by the chain rule, SGD or Adam (PyTorch's rules)."""

    def __init__(self, params: list[np.ndarray], optimizer: str) -> None:
        self.p = [p.copy() for p in params]
        self.adam = optimizer == "adam"
        self.m = [np.zeros_like(p) for p in self.p]
        self.v = [np.zeros_like(p) for p in self.p]
        self.t = 0

    def step(self, X: np.ndarray, y: np.ndarray) -> np.floating:
        """One training step; returns the batch's loss, as ours and PyTorch's steps do
        (a training loop reports it): −log softmax(z)_y = log Σ exp z − z_y, averaged."""
        Ws, bs = self.p[0::2], self.p[1::2]
        outs = [X]
        for W, b in zip(Ws[:-1], bs[:-1]):
            outs.append(np.maximum(outs[-1] @ W.T + b, 0))
        z = outs[-1] @ Ws[-1].T + bs[-1]
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        total = p.sum(axis=1, keepdims=True)
        rows = np.arange(len(y))
        loss = (np.log(total[:, 0]) - z[rows, y]).mean()
        p /= total
        p[rows, y] -= 1
        delta = p / len(y)                       # ∂loss/∂z for the mean cross-entropy
        grads: list[np.ndarray] = []
        for layer in range(len(Ws) - 1, -1, -1):
            grads[:0] = [delta.T @ outs[layer], delta.sum(axis=0)]
            if layer:
                delta = (delta @ Ws[layer]) * (outs[layer] > 0)
        self.update(grads)
        return loss

    def update(self, grads: list[np.ndarray]) -> None:
        if not self.adam:
            for p, g in zip(self.p, grads):
                p -= LR * g
            return
        self.t += 1
        b1, b2, eps = 0.9, 0.999, 1e-8
        for p, g, m, v in zip(self.p, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= LR * (m / (1 - b1**self.t)) / (np.sqrt(v / (1 - b2**self.t)) + eps)


# ----------------------------------------------------------------- PyTorch
def torch_mlp(params: list[np.ndarray]):
    layers = []
    for i in range(0, len(params), 2):
        W, b = params[i], params[i + 1]
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.from_numpy(W).dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])


def torch_step(params, optimizer: str, batches, loss_fn) -> Callable[[int], None]:
    model = torch_mlp(params)
    opt = (torch.optim.Adam if optimizer == "adam" else torch.optim.SGD)(
        model.parameters(), lr=LR)
    tensors = [(torch.from_numpy(X), torch.from_numpy(y)) for X, y in batches]

    def step(i: int) -> None:
        X, y = tensors[i % len(tensors)]
        opt.zero_grad()
        loss_fn(model(X), y).backward()
        opt.step()
    return step


# ----------------------------------------------------------------- the benchmarks
def report(label: str, times: dict[str, float]) -> None:
    ours = times.pop("ours")
    parts = [f"{label:<40} ours {ours * 1e3:7.3f} ms"]
    parts += [f"{name} {value * 1e3:7.3f} ms (ours/{name} {ours / value:4.2f}x)"
              for name, value in times.items()]
    print(" | ".join(parts))


def report_with_traced(label: str, times: dict[str, float]) -> None:
    """``report``, then a row for "ours traced" (if timed) against the same others."""
    traced = times.pop("ours traced", None)
    others = {name: value for name, value in times.items() if name != "ours"}
    report(label, times)
    if traced is not None:
        report(f"{label} traced", {"ours": traced, **others})


def mlp_benchmark(label: str, sizes: list[int], batches, n_steps: int, repeats: int) -> None:
    for optimizer in ("sgd", "adam"):
        model = build(sizes, np.float32)
        params = weights(model)
        hand = NumpyMLP(params, optimizer)
        steps = {"ours": ours_step(model, make_optimizer(optimizer, model.parameters()),
                                   batches, F.cross_entropy),
                 "numpy": lambda i, hand=hand: hand.step(*batches[i % len(batches)])}
        if optimizer == "sgd":
            traced = build(sizes, np.float32)
            steps["ours traced"] = ours_traced_step(
                traced, make_optimizer(optimizer, traced.parameters()), batches,
                F.cross_entropy)
        if torch is not None:
            steps["torch"] = torch_step(params, optimizer, batches,
                                        torch.nn.functional.cross_entropy)
        report_with_traced(f"{label} {optimizer}", best_times(steps, n_steps, repeats))


def digits_batches(batch_size: int = 64) -> list[tuple[np.ndarray, np.ndarray]]:
    X, y = data.load_digits()
    X = X.astype(np.float32)
    return list(data.Minibatches(X, y, batch_size, seed=0, drop_last=True))


def random_batches(n: int, size: int, features: int, classes: int):
    rng = np.random.default_rng(0)
    return [(rng.standard_normal((size, features)).astype(np.float32),
             rng.integers(0, classes, size)) for _ in range(n)]


def moons_data() -> tuple[np.ndarray, np.ndarray]:
    """micrograd's demo.ipynb data: 100 moons, and their labels as a column of ±1."""
    X, labels = data.moons(100, noise=0.1, seed=1)
    return X, (2 * labels - 1).astype(np.float64)[:, None]


def ours_moons_step(model: MLP, traced: bool = False) -> Callable[[int], None]:
    """One SGD step (lr 0.05) of micrograd's demo on ``model``, full batch; ``traced`` runs
    the forward and backward under ``ag.trace``."""
    X, y = moons_data()
    optimizer = SGD(model.parameters(), lr=0.05)
    if traced:
        forward_backward = ag.trace(lambda X, y: moons_loss(model, X, y))
    else:
        X = ag.Tensor(X)

        def forward_backward(X, y) -> None:
            moons_loss(model, X, y).backward()

    def step(_: int) -> None:
        optimizer.zero_grad()
        forward_backward(X, y)
        optimizer.step()
    return step


def torch_moons_step(params: list[np.ndarray]) -> Callable[[int], None]:
    """PyTorch's step of micrograd's demo from the same initial weights."""
    net = torch_mlp(params)
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    X, y = (torch.from_numpy(a) for a in moons_data())

    def step(_: int) -> None:
        opt.zero_grad()
        margins = torch.relu(1 - net(X) * y).mean()
        penalty = sum((p * p).sum() for p in net.parameters())
        (margins + 1e-4 * penalty).backward()
        opt.step()
    return step


def moons_benchmark(n_steps: int, repeats: int) -> None:
    """micrograd's demo.ipynb setup: 100 moons, MLP 2-16-16-1, max-margin loss + L2."""
    model = build([2, 16, 16, 1], np.float64)
    steps = {"ours": ours_moons_step(model),
             "ours traced": ours_moons_step(build([2, 16, 16, 1], np.float64), traced=True)}
    if torch is not None:
        steps["torch"] = torch_moons_step(weights(model))
    report_with_traced("moons 2-16-16-1 max-margin, full batch",
                       best_times(steps, n_steps, repeats))


def fit_benchmark(repeats: int, epochs: int) -> None:
    """``nn.fit`` on the digits, batches of 32, SGD: with ``trace=True`` its steps are
    replayed (``ag.trace``), by default they run plain. Same data, seed and weights: the
    histories are equal."""
    X, y = data.load_digits()
    X = X.astype(np.float32)

    def run(trace: bool) -> Callable[[int], None]:
        def train(_: int) -> None:  # one "step" of best_times: a whole fit
            model = build([64, 128, 64, 10], np.float32)
            fit(model, F.cross_entropy, SGD(model.parameters(), lr=LR), X, y, epochs=epochs,
                batch_size=32, seed=0, progress=False, trace=trace)
        return train

    best = best_times({"replayed": run(True), "plain": run(False)}, 1, repeats)
    print(f"nn.fit digits 64-128-64-10, {epochs} epoch(s) of batch 32, sgd: replayed steps "
          f"{best['replayed']:.3f} s | plain steps {best['plain']:.3f} s "
          f"(replayed/plain {best['replayed'] / best['plain']:.2f}x)")


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory_benchmark(n_steps: int = 1000) -> None:
    """Heap and RSS after a 100-step warm-up and after ``n_steps`` more digits steps: a
    leak (graphs or gradients kept alive) would show as growth proportional to the steps."""
    model = build([64, 128, 64, 10], np.float32)
    step = ours_step(model, Adam(model.parameters(), lr=LR), digits_batches(),
                     F.cross_entropy)
    tracemalloc.start()
    for i in range(100):
        step(i)
    gc.collect()
    rss_before, heap_before = rss_bytes(), tracemalloc.get_traced_memory()[0]
    for i in range(n_steps):
        step(i)
    gc.collect()
    heap_after, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"memory over {n_steps} more digits steps (Adam): Python heap "
          f"{heap_before / 1e3:.1f} kB → {heap_after / 1e3:.1f} kB (peak {heap_peak / 1e3:.1f}"
          f" kB), RSS {rss_before / 2**20:.1f} MiB → {rss_bytes() / 2**20:.1f} MiB")


def profile_digits(n_steps: int = 2000) -> None:
    import cProfile
    import pstats

    model = build([64, 128, 64, 10], np.float32)
    step = ours_step(model, SGD(model.parameters(), lr=LR), digits_batches(), F.cross_entropy)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(n_steps):
        step(i)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (a smoke run)")
    parser.add_argument("--threads", type=int, default=2,
                        help="threads for PyTorch and NumPy's BLAS (2)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall time, or this process's CPU time: steadier on a busy "
                             "machine, meaningful with --threads 1")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile 2,000 digits steps instead of timing")
    args = parser.parse_args()
    global clock
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.threads)
    except ImportError:
        print("threadpoolctl not importable: NumPy's BLAS uses its default thread count")
    if args.profile:
        profile_digits()
        return
    if torch is not None:
        torch.set_num_threads(args.threads)
    else:
        print("PyTorch not importable: pip install torch==2.13.0 (CPU build) to compare")
    scale = 0.1 if args.quick else 1.0
    repeats = 3 if args.quick else 5
    print(f"numpy {np.__version__}, torch {getattr(torch, '__version__', '-')}, "
          f"{args.threads} thread(s); {args.clock} time per training step, best of {repeats}")
    mlp_benchmark("digits 64-128-64-10 batch 64 float32", [64, 128, 64, 10],
                  digits_batches(), int(500 * scale), repeats)
    mlp_benchmark("784-512-512-10 batch 256 float32", [784, 512, 512, 10],
                  random_batches(8, 256, 784, 10), max(int(40 * scale), 3), repeats)
    moons_benchmark(int(500 * scale), repeats)
    fit_benchmark(repeats, max(int(5 * scale), 1))
    memory_benchmark(100 if args.quick else 1000)


if __name__ == "__main__":
    main()
