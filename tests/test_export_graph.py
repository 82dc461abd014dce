"""nn.export on models written the PyTorch way: Module subclasses with their own forward,
exported from their recorded graph, and torch.nn.Sequential brought back by from_torch.

Expected values come from PyTorch, onnxruntime or NumPy, never from nn.export itself.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
from nn import functional as F
from nn.export import VerificationError, from_torch, to_onnx, to_torch, verify

torch = pytest.importorskip("torch", reason="torch is not installed (the export extra)")

ACTIVATIONS = {"relu": F.relu, "tanh": F.tanh, "sigmoid": F.sigmoid, "silu": F.silu,
               "leaky_relu": lambda h: F.leaky_relu(h, 0.2), "elu": lambda h: F.elu(h, 0.5),
               "softplus": lambda h: F.softplus(h, 2.0), "exp": lambda h: ag.exp(-h * h)}
BLOCKS = ("plain", "residual", "gain")


class Random(nn.Module):
    """Linear → blocks (each a Linear and an activation, plain, added to its input, or
    scaled by a parameter) → a head (softmax, log-softmax, a mean, or none)."""

    def __init__(self, inputs: int, width: int, blocks: list, head: str) -> None:
        super().__init__()
        self.first = nn.Linear(inputs, width)
        self.layers = nn.Sequential(*(nn.Linear(width, width) for _ in blocks))
        self.gain = nn.Parameter(np.linspace(0.5, 1.5, width))
        self.blocks, self.head = blocks, head

    def forward(self, x):
        h = self.first(x)
        for i, (kind, activation) in enumerate(self.blocks):
            u = ACTIVATIONS[activation](self.layers[i](h))
            h = h + u if kind == "residual" else u * self.gain if kind == "gain" else u
        if self.head == "softmax":
            return F.softmax(h, axis=-1)
        if self.head == "log_softmax":
            return F.log_softmax(h, axis=-1)
        if self.head == "centred":
            return h - h.mean(axis=-1, keepdims=True) / 2
        return h


@settings(max_examples=25, deadline=None)
@given(inputs=st.integers(1, 4), width=st.integers(1, 5),
       blocks=st.lists(st.tuples(st.sampled_from(BLOCKS), st.sampled_from(sorted(ACTIVATIONS))),
                       max_size=3),
       head=st.sampled_from(["softmax", "log_softmax", "centred", "none"]),
       batch=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_random_module_subclasses_graduate_to_pytorch_and_onnx(inputs, width, blocks, head,
                                                               batch, seed, tmp_path_factory):
    ag.manual_seed(seed)
    model = Random(inputs, width, blocks, head)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, inputs))
    t = rng.uniform(0, 1, (batch, width))
    report = verify(model, to_torch(model, x), x, t, loss="mse")  # outputs and gradients
    assert report.max_difference <= 1e-10 * max(1, max(r.scale for r in report.rows))
    onnxruntime = pytest.importorskip("onnxruntime")
    path = tmp_path_factory.mktemp("onnx") / "m.onnx"
    if {"elu", "softplus"} & {activation for _, activation in blocks}:
        with pytest.raises(RuntimeError, match="float32 only"):  # onnxruntime's Elu, Softplus
            to_onnx(model, path, x)
        return
    to_onnx(model, path, x)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    other = rng.standard_normal((batch + 2, inputs))  # the batch axis is left free
    (outputs,) = session.run(None, {"input": other})
    np.testing.assert_allclose(outputs, model(other).data, rtol=1e-10, atol=1e-12)


class Wrapper(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))

    def forward(self, x):
        return self.net(x)


def test_a_module_wrapping_a_sequential_keeps_its_parameter_names():
    ag.manual_seed(0)
    model = Wrapper()
    x = np.random.default_rng(0).standard_normal((5, 3))
    torch_model = to_torch(model, x)
    assert [name for name, _ in torch_model.named_parameters()] == [
        "net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"]
    W1, b1, W2, b2 = (p.data for p in model.parameters())
    with torch.no_grad():
        theirs = torch_model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(theirs, np.maximum(x @ W1.T + b1, 0) @ W2.T + b2, rtol=1e-12)
    verify(model, torch_model, x, np.array([0, 1, 1, 0, 1]))


class Cumulative(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        return ag.cumsum(self.fc(x), axis=-1)


def test_an_op_without_a_mapping_is_refused_naming_it_and_the_model(tmp_path):
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match="cannot export Cumulative: op 'cumsum'"):
        to_torch(Cumulative(), x)
    with pytest.raises(ValueError, match="cannot export Cumulative: op 'cumsum'"):
        to_onnx(Cumulative(), tmp_path / "m.onnx", x)
    assert not list(tmp_path.iterdir())


class Gate(nn.Module):
    """Multiplies by a mask computed on .data: a constant in the graph."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        h = self.fc(x)
        return h * ag.tensor((h.data > 0).astype(h.dtype))


def test_a_value_computed_outside_the_graph_is_refused_not_exported_wrong(tmp_path):
    ag.manual_seed(1)
    x = np.random.default_rng(1).standard_normal((6, 3))
    for export in (lambda: to_torch(Gate(), x), lambda: to_onnx(Gate(), tmp_path / "m", x)):
        with pytest.raises(VerificationError, match=r"second input.*does not record"):
            export()


def test_a_single_sample_is_accepted_as_the_example(tmp_path):
    ag.manual_seed(2)
    x = np.random.default_rng(2).standard_normal(3)
    for model in (Wrapper(), nn.Sequential(nn.Linear(3, 2), nn.Tanh())):
        torch_model = to_torch(model, x)
        with torch.no_grad():
            theirs = torch_model(torch.from_numpy(x)).numpy()
        assert theirs.shape == (2,)
        np.testing.assert_allclose(theirs, model(x).data, rtol=1e-12)
        onnxruntime = pytest.importorskip("onnxruntime")
        to_onnx(model, tmp_path / "m.onnx", x)
        session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"),
                                               providers=["CPUExecutionProvider"])
        np.testing.assert_allclose(session.run(None, {"input": x})[0], theirs, rtol=1e-12)


class Pixels(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.flatten, self.fc, self.drop = nn.Flatten(), nn.Linear(6, 2), nn.Dropout(0.5)

    def forward(self, x):
        return self.drop(self.fc(self.flatten(x)))


def test_flatten_keeps_the_batch_free_and_dropout_follows_the_mode():
    ag.manual_seed(3)
    model = Pixels()
    before = ag.random.get_generator().bit_generator.state
    torch_model = to_torch(model, np.zeros((4, 2, 3)))
    assert ag.random.get_generator().bit_generator.state == before  # no mask drawn
    x = np.random.default_rng(3).standard_normal((7, 2, 3))
    torch_model.eval()
    with torch.no_grad():
        theirs = torch_model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(theirs, x.reshape(7, 6) @ model.fc.weight.data.T
                               + model.fc.bias.data, rtol=1e-12)
    torch_model.train()
    with torch.no_grad():
        dropped = torch_model(torch.from_numpy(x)).numpy()
    assert np.any(dropped == 0) and not np.any(theirs == 0)


def test_from_torch_brings_a_sequential_back_with_its_weights():
    torch.manual_seed(0)
    layers = [torch.nn.Flatten(), torch.nn.Linear(6, 5), torch.nn.LeakyReLU(0.3),
              torch.nn.Dropout(0.2), torch.nn.Linear(5, 5), torch.nn.GELU(), torch.nn.Tanh(),
              torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.Sigmoid()),
              torch.nn.Identity(), torch.nn.Linear(4, 3), torch.nn.Softmax(dim=1)]
    theirs = torch.nn.Sequential(*layers).double().eval()
    ours = from_torch(theirs)
    assert not ours.training
    x = np.random.default_rng(4).standard_normal((8, 2, 3))
    with torch.no_grad():
        expected = theirs(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours(x).data, expected, rtol=1e-12, atol=1e-15)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    back = to_torch(ours)  # and forth again (nested Sequentials unfolded): the same weights
    pairs = list(zip(back.parameters(), theirs.parameters(), strict=True))
    assert all(p.dtype == q.dtype == torch.float64 and torch.equal(p, q) for p, q in pairs)


@pytest.mark.parametrize(("layer", "named"), [
    (torch.nn.GELU(approximate="tanh"), "GELU at '1' has approximate='tanh'"),
    (torch.nn.Conv1d(1, 1, 1), "cannot translate Conv1d at '1'"),
])
def test_from_torch_refuses_a_layer_it_cannot_copy_naming_it(layer, named):
    with pytest.raises(ValueError, match=named):
        from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), layer))
