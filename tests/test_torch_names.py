"""PyTorch's names and conventions beside NumPy's: both spellings work, a call that means
two different things is decided by its keyword or refused naming both meanings."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import arrays, shapes

import autograd as ag
import nn
from nn import functional as F

REDUCTIONS = ["sum", "mean", "prod", "logsumexp", "argmax", "argmin", "any", "all", "norm"]


@pytest.mark.parametrize("name", REDUCTIONS)
@given(data=st.data(), shape=shapes(min_dims=1), keep=st.booleans())
def test_dim_and_keepdim_mean_axis_and_keepdims(name, data, shape, keep):
    x = ag.Tensor(data.draw(arrays(shape)))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    numpy_way = getattr(x, name)(axis=axis, keepdims=keep)
    torch_way = getattr(x, name)(dim=axis, keepdim=keep)
    np.testing.assert_array_equal(torch_way.numpy(), numpy_way.numpy())


def test_both_spellings_with_different_values_are_refused_naming_both():
    x = ag.ones(2, 3)
    with pytest.raises(TypeError, match=r"axis=0 \(NumPy's name\).*dim=1 \(PyTorch's\)"):
        x.sum(axis=0, dim=1)
    with pytest.raises(TypeError, match=r"keepdims=True .*keepdim=False"):
        ag.mean(x, keepdims=True, keepdim=False)
    with pytest.raises(TypeError, match=r"concatenate: got both axis=1 .*dim=0"):
        ag.cat([x, x], 0, axis=1)
    assert x.sum(axis=1, dim=1).shape == (2,)  # the same value twice is no conflict


def test_max_and_min_with_dim_give_values_and_indices():
    x = ag.Tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 7.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    assert x.min(dim=0).indices.tolist() == [0, 1, 0]
    values.sum().backward()
    assert x.grad.tolist() == [[0, 1, 0], [0.5, 0, 0.5]]  # ties share, as our max does
    assert x.max(axis=1).tolist() == [5.0, 7.0]  # NumPy's keyword: the values alone
    assert ag.max(x, ag.full((2, 3), 3.0)).tolist() == [[3, 5, 3], [7, 3, 7]]


def test_a_positional_axis_of_max_is_refused_naming_both_meanings():
    with pytest.raises(TypeError, match=r"NumPy.*values.*PyTorch.*\(values, indices\).*"
                                        r"axis=1.*dim=1"):
        ag.ones(2, 3).max(1)
    with pytest.raises(TypeError, match="min"):
        ag.min(ag.ones(2, 3), 0)


def test_transpose_two_ints_swap_a_tuple_permutes():
    x = ag.arange(6.0).reshape(2, 3)
    assert x.transpose(0, 1).tolist() == [[0, 3], [1, 4], [2, 5]]  # NumPy: unchanged
    assert x.transpose((0, 1)).tolist() == x.tolist()
    assert ag.transpose(x, 0, 1).shape == (3, 2)
    assert ag.zeros(2, 3, 4).transpose(2, 0, 1).shape == (4, 2, 3)


def test_size_is_the_count_and_callable():
    x = ag.zeros(2, 3)
    assert x.size == 6 and x.size * 2 == 12 and isinstance(x.size, int)
    assert x.size() == (2, 3) and x.size(1) == 3 and x.size(-2) == 2 and x.numel() == 6
    with pytest.raises(ValueError, match="size: axis 2 is out of range"):
        x.size(2)


def test_shape_methods():
    x = ag.arange(24.0).reshape(2, 3, 4)
    assert x.view(6, 4).shape == (6, 4) and x.view(-1).shape == (24,)
    assert x.flatten().shape == (24,) and x.flatten(1).shape == (2, 12)
    assert x.flatten(0, 1).shape == (6, 4) and nn.Flatten()(x).shape == (2, 12)
    assert nn.Flatten(0, 1)(x).shape == (6, 4)
    with pytest.raises(ValueError, match="start_dim 2 comes after end_dim 1"):
        x.flatten(2, 1)


def test_clamp_mm_and_the_arithmetic_methods():
    x = ag.Tensor([[-2.0, 0.5], [3.0, 1.0]], requires_grad=True)
    assert x.clamp(min=0.0, max=1.0).tolist() == [[0, 0.5], [1, 1]]
    assert x.clip(max=0.0).tolist() == [[-2, 0], [0, 0]]
    assert ag.mm(x, x).tolist() == (x.numpy() @ x.numpy()).tolist()
    with pytest.raises(ValueError, match=r"mm: expects two matrices.*\(2,\)"):
        ag.mm(x, ag.ones(2))
    y = x.add(1).sub(x, alpha=2).mul(3).div(2)
    np.testing.assert_allclose(y.numpy(), (x.numpy() + 1 - 2 * x.numpy()) * 1.5)
    with pytest.raises(RuntimeError, match="add_: cannot change a tensor in place"):
        x.add_(1)
    with ag.no_grad():
        x.mul_(2).add_(1)
    assert x.tolist() == [[-3, 2], [7, 3]]


def test_dtype_names_and_casts():
    assert (ag.float, ag.double, ag.long, ag.int, ag.bool) == (
        np.float32, np.float64, np.int64, np.int32, np.bool_)
    x = ag.Tensor([1.5, -2.0], requires_grad=True)
    assert x.float().dtype == np.float32 and x.long().tolist() == [1, -2]
    assert x.int().dtype == np.int32 and x.double().dtype == np.float64
    assert x.type() == "autograd.DoubleTensor" and x.float().type() == "autograd.FloatTensor"
    assert x.type(ag.float32).dtype == np.float32
    assert x.type("torch.LongTensor").dtype == np.int64
    x.float().sum().backward()  # a floating cast stays in the graph
    assert x.grad.dtype == np.float64 and x.grad.tolist() == [1, 1]


def test_the_cpu_is_the_only_device():
    d = ag.device("cpu")
    assert str(d) == "cpu" and d == "cpu" and repr(d) == "device(type='cpu')"
    assert not ag.cuda.is_available() and not ag.accelerator.is_available()
    x = ag.zeros(2, device="cpu")
    assert x.device == d and x.to(d) is x and x.cpu() is x
    assert x.to("cpu", ag.float32).dtype == np.float32
    with pytest.raises(RuntimeError, match="'cuda' is not available"):
        ag.device("cuda")
    with pytest.raises(RuntimeError, match="zeros: device: 'cuda:0' is not available"):
        ag.zeros(2, device="cuda:0")
    with pytest.raises(RuntimeError, match="to: device: 'mps'"):
        x.to("mps")
    model = nn.Linear(2, 3).to(d)
    assert model.to(ag.float32).weight.dtype == np.float32
    with pytest.raises(RuntimeError, match=r"Linear.to: device: 'cuda'"):
        model.to("cuda")


def test_random_and_creation():
    ag.manual_seed(0)
    r = ag.randint(3, 10, (50,))
    assert r.dtype == np.int64 and r.shape == (50,) and r.min().item() >= 3 and r.max().item() < 10
    assert ag.randint(5, size=(2, 2)).shape == (2, 2)
    assert sorted(ag.randperm(6).tolist()) == list(range(6))
    x = ag.zeros(2, 3, dtype=ag.float32)
    assert ag.rand_like(x).dtype == np.float32 and ag.randn_like(x).shape == (2, 3)
    with pytest.raises(TypeError, match="randn_like: needs a floating dtype"):
        ag.randn_like(ag.zeros(2, dtype=ag.long))
    assert ag.empty(2, 3).shape == (2, 3)
    assert x.new_ones(2).dtype == np.float32 and x.new_zeros((1, 4)).shape == (1, 4)
    array = np.zeros(3)
    shared = ag.from_numpy(array)
    array[0] = 7.0
    assert shared.tolist() == [7.0, 0.0, 0.0]


def test_bitwise_ops_with_python_ints_keep_the_tensor_dtype():
    i = ag.Tensor(np.array([5, 6], dtype=np.int32))
    assert (i & 3).dtype == np.int32 and (3 | i).dtype == np.int32
    assert (i ^ 1).tolist() == [4, 7]
    u = ag.Tensor(np.array([5, 6], dtype=np.uint64))
    assert (u & 5).dtype == np.uint64 and (u & 5).tolist() == [5, 4]


def test_var_and_std_the_pytorch_way_divide_by_n_minus_1():
    x = ag.Tensor([[1.0, 2.0, 4.0]])
    assert x.var(dim=1).item() == pytest.approx(np.var([1, 2, 4], ddof=1))
    assert x.var(axis=1).item() == pytest.approx(np.var([1, 2, 4]))  # NumPy's way
    assert x.std(dim=1, unbiased=False).item() == pytest.approx(np.std([1, 2, 4]))
    assert x.var(correction=0).item() == pytest.approx(np.var([1, 2, 4]))


@pytest.mark.parametrize("module, function, args", [
    (nn.MSELoss(), F.mse_loss, ([1.0, 2.0], [0.0, 4.0])),
    (nn.L1Loss(reduction="sum"), lambda y, t: F.l1_loss(y, t, "sum"),
     ([1.0, 2.0], [0.0, 4.0])),
    (nn.CrossEntropyLoss(label_smoothing=0.1),
     lambda z, c: F.cross_entropy(z, c, label_smoothing=0.1),
     ([[1.0, 2.0], [0.0, 1.0]], [0, 1])),
    (nn.NLLLoss(), F.nll_loss, ([[-0.1, -2.0], [-1.0, -0.5]], [0, 1])),
    (nn.BCELoss(), F.binary_cross_entropy, ([0.2, 0.9], [0.0, 1.0])),
    (nn.BCEWithLogitsLoss(), F.binary_cross_entropy_with_logits, ([0.2, -3.0], [0.0, 1.0])),
])
def test_loss_modules_are_their_functions(module, function, args):
    assert module(*args).item() == function(*args).item()


def test_l1_loss_and_its_gradient():
    y = ag.Tensor([1.0, 5.0, 2.0], requires_grad=True)
    loss = F.l1_loss(y, [2.0, 1.0, 2.0])
    loss.backward()
    assert loss.item() == pytest.approx(5 / 3)
    assert y.grad.tolist() == pytest.approx([-1 / 3, 1 / 3, 0])
    with pytest.raises(NotImplementedError, match="weight="):
        nn.CrossEntropyLoss(weight=ag.ones(3))


def test_softmax_modules_and_functions_take_dim():
    x = ag.Tensor([[1.0, 2.0], [3.0, 5.0]])
    np.testing.assert_allclose(nn.Softmax(dim=0)(x).numpy(), F.softmax(x, axis=0).numpy())
    np.testing.assert_allclose(nn.LogSoftmax(dim=1)(x).numpy(), F.log_softmax(x, dim=1).numpy())
    np.testing.assert_allclose(x.softmax(0).numpy(), ag.softmax(x, dim=0).numpy())


def test_save_and_load_a_checkpoint_without_pickle(tmp_path):
    model = nn.Linear(3, 2)
    path = tmp_path / "checkpoint.pth"
    ag.save({"model": model.state_dict(), "epoch": 5, "loss": 0.25, "tag": "best",
             "history": [1.0, 0.5]}, path)
    loaded = ag.load(path)
    assert (loaded["epoch"], loaded["loss"], loaded["tag"], loaded["history"]) == (
        5, 0.25, "best", [1.0, 0.5])
    other = nn.Linear(3, 2)
    other.load_state_dict(loaded["model"])
    np.testing.assert_array_equal(other.weight.data, model.weight.data)
    with np.load(path, allow_pickle=False) as archive:  # a plain .npz: no pickle inside
        assert "model/weight" in archive.files
    with pytest.raises(TypeError, match="no pickle"):
        ag.save({"f": np.array([object()])}, tmp_path / "bad.pth")
    with pytest.raises(ValueError, match="keys must be"):
        ag.save({"a/b": 1}, tmp_path / "bad.pth")
    np.savez(tmp_path / "pickled.npz", x=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="pickle"):
        ag.load(tmp_path / "pickled.npz")


def test_torch_nn_and_torch_optim_attribute_paths_work_without_loading_nn_early():
    import subprocess
    import sys

    code = ("import sys, autograd as torch; assert 'nn' not in sys.modules; "
            "m = torch.nn.Linear(2, 1); o = torch.optim.SGD(m.parameters(), lr=0.1); "
            "y = torch.nn.functional.relu(m(torch.ones(3, 2))).sum(); y.backward(); o.step(); "
            "print(type(o).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "SGD"
    with pytest.raises(AttributeError, match="no attribute 'utils'"):
        ag.utils  # noqa: B018


def test_new_tensors_take_this_tensors_dtype_and_view_as_takes_the_others_shape():
    # as PyTorch: t.new_full/new_empty/new_tensor make tensors of t's dtype (no graph);
    # t.view_as(o) is t reshaped to o's shape, and stays in the graph
    x = ag.Tensor(np.arange(6.0).reshape(2, 3), dtype=ag.float32, requires_grad=True)
    full = x.new_full((2, 2), 7)
    assert full.dtype == np.float32 and full.tolist() == [[7.0, 7.0], [7.0, 7.0]]
    assert not full.requires_grad
    empty = x.new_empty(4)
    assert empty.dtype == np.float32 and empty.shape == (4,)
    made = x.new_tensor([1, 2])
    assert made.dtype == np.float32 and made.tolist() == [1.0, 2.0]
    viewed = x.view_as(ag.zeros(3, 2))
    assert viewed.shape == (3, 2) and viewed.grad_fn is not None
    (viewed * ag.Tensor(np.arange(6.0).reshape(3, 2))).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.arange(6.0).reshape(2, 3))
