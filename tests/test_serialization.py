"""nn.save / nn.load: plain .npz under exactly the given path, atomic writes, and loads that
either succeed completely or change nothing."""

from __future__ import annotations

import os

import numpy as np
import pytest

import autograd as ag
import nn


def make_model(seed: int) -> nn.MLP:
    ag.manual_seed(seed)
    return nn.MLP([3, 4, 2], activation="tanh")


def assert_same_state(model, state):
    current = model.state_dict()
    assert list(current) == list(state)
    for name, value in state.items():
        np.testing.assert_array_equal(current[name], value, err_msg=name)


def test_round_trip_under_exactly_the_given_path(tmp_path):
    source, target = make_model(0), make_model(1)
    path = tmp_path / "weights"                       # no extension: none is added
    nn.save(source, path)
    assert sorted(os.listdir(tmp_path)) == ["weights"]
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == sorted(source.state_dict())
        np.testing.assert_array_equal(archive["layers.1.weight"], source.layers[1].weight.data)
    assert nn.load(target, str(path)) is target
    assert_same_state(target, source.state_dict())
    x = np.random.default_rng(0).normal(size=(5, 3))
    np.testing.assert_array_equal(target(x).data, source(x).data)


def test_saving_twice_replaces_the_file(tmp_path):
    path = tmp_path / "m.npz"
    nn.save(make_model(0), path)
    nn.save(make_model(1), path)
    target = make_model(2)
    nn.load(target, path)
    assert_same_state(target, make_model(1).state_dict())


def test_a_failure_midway_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    old = make_model(0)
    nn.save(old, path)
    written = []
    real_write = np.lib.format.write_array

    def write_then_crash(file, array, **kwargs):
        if written:
            file.write(b"half an array")
            raise OSError("disk full")
        written.append(True)
        real_write(file, array, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", write_then_crash)
    with pytest.raises(OSError, match="disk full"):
        nn.save(make_model(1), path)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["m.npz"]           # the temporary file is gone
    target = make_model(2)
    nn.load(target, path)
    assert_same_state(target, old.state_dict())


def test_a_failing_rename_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    nn.save(make_model(0), path)

    def fail(*args):
        raise PermissionError("no")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(PermissionError):
        nn.save(make_model(1), path)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["m.npz"]
    target = make_model(2)
    nn.load(target, path)
    assert_same_state(target, make_model(0).state_dict())


def corrupt(path):
    path.write_bytes(os.urandom(300))


def truncated(path):
    nn.save(make_model(3), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def pickled(path):
    with open(path, "wb") as file:
        np.savez(file, **{"layers.0.weight": np.array([{"evil": 1}], dtype=object)})


def single_array(path):
    with open(path, "wb") as file:
        np.save(file, np.zeros((4, 3)))


def other_architecture(path):
    ag.manual_seed(4)
    nn.save(nn.MLP([3, 5, 2]), path)


@pytest.mark.parametrize("prepare, error", [
    (lambda path: None, OSError),            # missing
    (corrupt, ValueError),
    (truncated, ValueError),
    (pickled, ValueError),
    (single_array, ValueError),
    (other_architecture, ValueError),
])
def test_a_bad_file_raises_and_leaves_the_module_unchanged(tmp_path, prepare, error):
    path = tmp_path / "bad.npz"
    prepare(path)
    model = make_model(5)
    before = model.state_dict()
    with pytest.raises(error):
        nn.load(model, path)
    assert_same_state(model, before)


def test_save_into_a_missing_folder_names_the_folder_and_writes_nothing(tmp_path):
    folder = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match=r"nowhere.*does not exist"):
        nn.save(nn.Linear(2, 1), folder / "model.npz")
    assert not folder.exists()
