"""``detect_anomaly`` is per thread, as PyTorch's anomaly mode: a block in one thread does
not check another thread's ops, overlapping blocks in two threads exited in any order
leave it off, and ``ag.trace`` runs plain only in the thread that is inside a block."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import autograd as ag
from autograd import hooks


def makes_inf():
    """An op whose forward makes -inf (log 0): detect_anomaly raises on it."""
    x = ag.Tensor([0.0, 1.0], requires_grad=True)
    return x.log()


def in_thread(work):
    """Run ``work`` in a new thread; its result, or the exception it raised."""
    out = {}

    def run():
        try:
            out["value"] = work()
        except Exception as error:  # handed back to the test thread
            out["value"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out["value"]


def test_a_block_in_one_thread_does_not_check_another_threads_ops():
    with ag.detect_anomaly():
        with pytest.raises(FloatingPointError, match="log"):
            makes_inf()
        result = in_thread(makes_inf)
    assert isinstance(result, ag.Tensor), result


@pytest.mark.parametrize("first_out", ["first in", "second in"])
def test_overlapping_blocks_in_two_threads_leave_it_off_whichever_exits_first(first_out):
    entered = [threading.Event(), threading.Event()]
    leave = [threading.Event(), threading.Event()]
    errors = []

    def block(k):
        with ag.detect_anomaly():
            entered[k].set()
            leave[k].wait(5)
            try:  # still on in this thread while the other has left
                makes_inf()
                errors.append(f"thread {k}: no FloatingPointError inside its block")
            except FloatingPointError:
                pass

    threads = [threading.Thread(target=block, args=(k,)) for k in range(2)]
    threads[0].start()
    entered[0].wait(5)
    threads[1].start()
    entered[1].wait(5)
    order = [0, 1] if first_out == "first in" else [1, 0]
    for k in order:
        leave[k].set()
        threads[k].join()
    assert not errors, errors
    assert hooks.anomaly_check is None
    makes_inf()  # no error: anomaly mode is off everywhere
    assert np.isinf(makes_inf().data[0])


def test_a_traced_step_replays_while_another_thread_is_inside_a_block():
    w = ag.Tensor(np.ones(2), requires_grad=True)
    calls = []

    def fn(x):
        calls.append(1)
        return (x * w).sum()

    step = ag.trace(fn)
    inside, leave = threading.Event(), threading.Event()

    def block():
        with ag.detect_anomaly():
            inside.set()
            leave.wait(5)

    other = threading.Thread(target=block)
    other.start()
    inside.wait(5)
    try:
        for _ in range(3):
            step(np.ones(2))
    finally:
        leave.set()
        other.join()
    assert len(calls) == 1, "the step ran fn plainly because another thread checks"
    with ag.detect_anomaly():
        step(np.ones(2))
    assert len(calls) == 2, "inside its own block, the calling thread runs fn plainly"
