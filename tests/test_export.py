"""nn.export: to_torch + verify and to_onnx round-trip our models.

Tests that need torch, onnx or onnxruntime skip, with the reason, where they are not
installed (``pip install 'backprop-primer[export]'``). Expected values come from PyTorch,
onnxruntime or NumPy written out here — never from nn.export itself.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
from nn import functional as F
from nn.export import UnsupportedModuleError, VerificationError, to_onnx, to_torch, verify


def needs(package: str):
    return pytest.importorskip(package, reason=f"{package} is not installed (the export extra)")


@pytest.fixture
def float32():
    ag.set_default_dtype(np.float32)
    yield
    ag.set_default_dtype(np.float64)


@pytest.fixture
def digits(float32):
    """The digits MLP after a few epochs of Adam (so weights are not the initial ones)."""
    ag.manual_seed(0)
    X, y = nn.data.load_digits()
    model = nn.MLP([64, 32, 10], activation="relu")
    nn.fit(model, F.cross_entropy, nn.optim.Adam(model.parameters(), lr=1e-2), X, y,
           epochs=3, progress=False)
    return model, X, y


def relative(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b| / max(1, max |b|)."""
    return float(np.max(np.abs(a - b)) / max(1.0, np.max(np.abs(b))))


# ------------------------------------------------------------------ without any extra
def test_import_nn_imports_no_optional_dependency():
    code = ("import sys, nn, nn.export; "
            "print(sorted({'torch', 'onnx', 'onnxruntime'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("package", ["torch", "onnx"])
def test_a_missing_dependency_names_the_extra(monkeypatch, tmp_path, package):
    monkeypatch.setitem(sys.modules, package, None)  # makes `import package` fail
    model = nn.MLP([2, 3, 1])
    with pytest.raises(ImportError, match=r"backprop-primer\[export\]"):
        if package == "torch":
            to_torch(model)
        else:
            to_onnx(model, tmp_path / "m.onnx", np.zeros((1, 2)))
    assert not list(tmp_path.iterdir())


class Doubler(nn.Module):
    def forward(self, x):
        return 2 * x


@pytest.mark.parametrize(("model", "named"), [
    (nn.Sequential(nn.Linear(2, 3), nn.Sign()), "Sign at '1'"),
    (nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.Step())), "Step at '1.0'"),
    (nn.Perceptron(2), "Perceptron"),
])
def test_a_threshold_unit_is_refused_with_its_path(tmp_path, model, named):
    # S1/S3's units have no gradient: no op is recorded, so there is no graph to export
    for export in (lambda m: to_torch(m, np.zeros((1, 2))),
                   lambda m: to_onnx(m, tmp_path / "m.onnx", np.zeros((1, 2)))):
        with pytest.raises(UnsupportedModuleError, match=f"cannot export {named}"):
            export(model)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("model", "named"), [
    (nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), Doubler())), "Doubler at '1.1'"),
    (nn.MLP([2, 3, 1], activation=Doubler()), "Doubler at 'activations.0'"),
])
def test_a_model_with_its_own_forward_needs_an_example_for_to_torch(model, named):
    with pytest.raises(UnsupportedModuleError,
                       match=f"cannot export {named}.*to_torch\\(model, example\\)"):
        to_torch(model)
    torch = needs("torch")
    x = np.random.default_rng(0).standard_normal((4, 2))
    with torch.no_grad():
        theirs = to_torch(model, x)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(theirs, model(x).data, rtol=1e-12, atol=1e-14)


# ------------------------------------------------------------------ PyTorch
def test_to_torch_copies_the_digits_mlp_layer_by_layer(digits):
    torch = needs("torch")
    model, _, _ = digits
    torch_model = to_torch(model)
    assert [type(m).__name__ for m in torch_model] == ["Linear", "ReLU", "Linear"]
    for ours, theirs in zip(model.layers, torch_model[::2], strict=True):
        assert theirs.weight.dtype == torch.float32
        np.testing.assert_array_equal(theirs.weight.detach().numpy(), ours.weight.data)
        np.testing.assert_array_equal(theirs.bias.detach().numpy(), ours.bias.data)
    # the copy is independent: a step in PyTorch leaves our weights where they were
    before = model.state_dict()
    torch_model[0].weight.data.add_(1.0)
    assert all(np.array_equal(before[k], v) for k, v in model.state_dict().items())


def test_digits_round_trip_agrees_within_1e_6(digits):
    torch = needs("torch")
    model, X, y = digits
    torch_model = to_torch(model)
    report = verify(model, torch_model, X, y, loss="cross_entropy")
    assert report.ok() and report.dtype == np.float32
    assert all(max(r.value, r.grad or 0) <= 1e-6 * max(1, r.scale) for r in report.rows)

    # the same comparison, done here directly: outputs, loss and .grad after backward
    model.zero_grad()
    out = model(ag.Tensor(X))
    loss = F.cross_entropy(out, y)
    loss.backward()
    x_t = torch.from_numpy(X)
    loss_t = torch.nn.functional.cross_entropy(torch_model(x_t), torch.from_numpy(y))
    loss_t.backward()
    assert relative(torch_model(x_t).detach().numpy(), out.numpy()) < 1e-6
    assert abs(loss_t.item() - loss.item()) < 1e-6
    for p, p_t in zip(model.parameters(), torch_model.parameters(), strict=True):
        assert relative(p_t.grad.numpy(), p.grad.numpy()) < 1e-6


def test_verify_raises_naming_the_parameter_that_differs(digits):
    torch = needs("torch")
    model, X, y = digits
    torch_model = to_torch(model)
    with torch.no_grad():
        torch_model[2].bias[3] += 1e-3
    with pytest.raises(VerificationError, match=r"layers\.1\.bias") as caught:
        verify(model, torch_model, X[:50], y[:50])
    value_differences = {row.name: row.value for row in caught.value.report.rows}
    assert value_differences["layers.1.bias"] == pytest.approx(1e-3, rel=1e-3)
    assert value_differences["layers.0.weight"] == value_differences["layers.1.weight"] == 0
    assert "layers.1.bias" in {row.name for row in caught.value.report.failures()}


def test_verify_leaves_modes_and_grads_as_they_were():
    needs("torch")
    model = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Dropout(0.5), nn.Linear(5, 3))
    torch_model = to_torch(model)
    assert type(torch_model[2]).__name__ == "Dropout" and torch_model.training
    x, labels = np.random.default_rng(0).standard_normal((6, 4)), np.array([0, 1, 2, 0, 1, 2])
    verify(model, torch_model, x, labels)  # Dropout is off inside, so the two agree
    assert model.training and model[2].training and torch_model.training
    assert all(p.grad is None for p in model.parameters())
    assert all(p.grad is None for p in torch_model.parameters())


def test_verify_refuses_models_whose_parameters_do_not_pair_up():
    needs("torch")
    with pytest.raises(ValueError, match="do not pair up"):
        verify(nn.MLP([2, 3, 1]), to_torch(nn.MLP([2, 4, 1])), np.zeros((1, 2)), [0])
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        verify(nn.MLP([2, 3, 1]), to_torch(nn.MLP([2, 3, 1])), np.zeros((1, 2)), [0], "l1")


def test_a_shared_linear_stays_shared():
    needs("torch")
    shared = nn.Linear(3, 3)
    torch_model = to_torch(nn.Sequential(shared, nn.Sigmoid(), shared))
    assert torch_model[0] is torch_model[2]
    assert len(list(torch_model.parameters())) == 2


@given(sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5),
       hidden=st.sampled_from(["sigmoid", "tanh", "relu", "identity"]),
       case=st.sampled_from([(None, "cross_entropy"), (None, "mse"), ("sigmoid", "half_sum"),
                             ("sigmoid", "binary_cross_entropy"), ("softmax", "mse")]),
       batch=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_random_float64_mlps_agree_with_pytorch_to_1e_10(sizes, hidden, case, batch, seed):
    needs("torch")
    output, loss = case
    ag.manual_seed(seed)
    model = nn.MLP(sizes, activation=hidden, output_activation=output)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, sizes[0]))
    t = (rng.integers(0, sizes[-1], batch) if loss == "cross_entropy"
         else rng.uniform(0, 1, (batch, sizes[-1])))
    report = verify(model, to_torch(model), x, t, loss=loss)
    assert report.max_difference <= 1e-10 * max(1, max(r.scale for r in report.rows))


# ------------------------------------------------------------------ ONNX
def test_to_onnx_writes_gemm_and_activation_nodes(digits, tmp_path):
    onnx = needs("onnx")
    model, X, _ = digits
    result = to_onnx(model, tmp_path / "digits.onnx", X[:5])
    proto = onnx.load(str(tmp_path / "digits.onnx"))
    onnx.checker.check_model(proto)
    assert [node.op_type for node in proto.graph.node] == ["Gemm", "Relu", "Gemm"]
    weights = {init.name: onnx.numpy_helper.to_array(init) for init in proto.graph.initializer}
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(weights[name], value)
    assert weights["layers.0.weight"].dtype == np.float32
    assert result.path == str(tmp_path / "digits.onnx")


def test_digits_onnx_runs_in_onnxruntime_within_1e_6(digits, tmp_path):
    needs("onnx")
    onnxruntime = needs("onnxruntime")
    model, X, _ = digits
    result = to_onnx(model, tmp_path / "digits.onnx", X)
    session = onnxruntime.InferenceSession(str(tmp_path / "digits.onnx"),
                                           providers=["CPUExecutionProvider"])
    (outputs,) = session.run(None, {"input": X})
    W1, b1, W2, b2 = (p.data for p in model.parameters())
    by_hand = np.maximum(X @ W1.T + b1, 0) @ W2.T + b2  # S11, written out
    assert relative(outputs, by_hand) < 1e-6
    assert result.max_difference is not None and result.max_difference < 1e-5


def test_onnx_softmax_axis_and_a_linear_without_bias(tmp_path):
    needs("onnx")
    onnxruntime = needs("onnxruntime")
    model = nn.Sequential(nn.Linear(3, 4, bias=False), nn.Tanh(), nn.Softmax(axis=0))
    x = np.random.default_rng(1).standard_normal((5, 3))
    to_onnx(model, tmp_path / "m.onnx", x)
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"),
                                           providers=["CPUExecutionProvider"])
    (outputs,) = session.run(None, {"input": x})
    u = np.tanh(x @ model[0].weight.data.T)
    np.testing.assert_allclose(outputs, np.exp(u) / np.exp(u).sum(axis=0), rtol=1e-12)


def test_to_onnx_checks_before_writing(tmp_path, monkeypatch):
    needs("onnx")
    onnxruntime = needs("onnxruntime")
    model = nn.MLP([2, 3, 2])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        to_onnx(model, tmp_path / "missing" / "m.onnx", np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"cannot run on the example input of shape \(1, 3\)"):
        to_onnx(model, tmp_path / "m.onnx", np.zeros((1, 3)))
    (tmp_path / "m.onnx").write_bytes(b"previous")
    monkeypatch.setattr(onnxruntime.InferenceSession, "run",
                        lambda self, names, feeds: [np.full((1, 2), 7.0)])
    with pytest.raises(VerificationError, match="onnxruntime's outputs differ"):
        to_onnx(model, tmp_path / "m.onnx", np.zeros((1, 2)))
    assert (tmp_path / "m.onnx").read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["m.onnx"]


ACTIVATIONS = [nn.LeakyReLU(0.2), nn.ELU(0.7), nn.GELU(), nn.SiLU(), nn.Softplus(2.0),
               nn.LogSigmoid(), nn.Hardtanh(-0.5, 0.8)]


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=lambda a: type(a).__name__)
def test_every_activation_module_exports_to_pytorch_and_onnx(activation, tmp_path, float32):
    torch = needs("torch")
    ag.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 5), activation, nn.Linear(5, 2))
    x = np.random.default_rng(2).standard_normal((6, 3)).astype(np.float32)
    torch_model = to_torch(model)
    with torch.no_grad():
        theirs = torch_model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(model(x).data, theirs, rtol=1e-5, atol=1e-6)
    verify(model, torch_model, x, np.array([0, 1, 1, 0, 1, 0]))  # raises if they disagree
    needs("onnx")
    onnxruntime = needs("onnxruntime")
    to_onnx(model, tmp_path / "m.onnx", x)
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"),
                                           providers=["CPUExecutionProvider"])
    (outputs,) = session.run(None, {"input": x})
    np.testing.assert_allclose(outputs, theirs, rtol=1e-5, atol=1e-6)


def test_a_float64_model_onnxruntime_cannot_run_is_refused_clearly(tmp_path):
    needs("onnx")
    needs("onnxruntime")
    model = nn.Sequential(nn.Linear(3, 2), nn.ELU())
    with pytest.raises(RuntimeError, match="float64 model, so it was not written"):
        to_onnx(model, tmp_path / "m.onnx", np.zeros((1, 3)))
    assert not list(tmp_path.iterdir())


def test_a_float64_leaky_relu_exports_its_slope_unrounded(tmp_path):
    # ONNX's LeakyRelu keeps alpha as a float32: 0.1 would become 0.10000000149…, 1.5e-9
    # off per unit of input, beyond float64's 1e-10 tolerance. PRelu takes it as a tensor.
    onnx = needs("onnx")
    onnxruntime = needs("onnxruntime")
    ag.manual_seed(3)
    model = nn.Sequential(nn.Linear(3, 5), nn.LeakyReLU(0.1), nn.Linear(5, 2))
    x = np.random.default_rng(4).standard_normal((8, 3)) * 10
    result = to_onnx(model, tmp_path / "m.onnx", x)
    proto = onnx.load(str(tmp_path / "m.onnx"))
    (prelu,) = [node for node in proto.graph.node if node.op_type == "PRelu"]
    slopes = [onnx.numpy_helper.to_array(init) for init in proto.graph.initializer
              if init.name == prelu.input[1]]
    assert [s.dtype for s in slopes] == [np.float64] and float(slopes[0]) == 0.1
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"),
                                           providers=["CPUExecutionProvider"])
    (outputs,) = session.run(None, {"input": x})
    first, second = model[0], model[2]
    u = x @ first.weight.data.T + first.bias.data                # S11, in NumPy
    expected = np.where(u > 0, u, 0.1 * u) @ second.weight.data.T + second.bias.data
    assert relative(outputs, expected) <= 1e-12
    assert result.max_difference <= 1e-10 * max(1.0, np.max(np.abs(expected)))
