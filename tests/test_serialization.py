"""nn.save / nn.load: plain .npz under exactly the given path, atomic writes, and loads that
either succeed completely or change nothing."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile

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


def encrypted(path):
    """A saved model whose members are flagged encrypted (zip's general purpose bit 0, in
    each local header and in the central directory): zipfile asks for a password."""
    nn.save(make_model(3), path)
    data = bytearray(path.read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start >= 0:
            data[start + flags_at] |= 0x1
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))


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
    (encrypted, ValueError),                 # not zipfile's RuntimeError
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


# ----------------------------------------------------------------- crafted and lossy files
def huge_header(path, count=10**12):
    """An .npz whose one member's header claims `count` float64 numbers: a few hundred
    bytes on disk."""
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
    header["shape"] = (count,)
    with zipfile.ZipFile(path, "w") as archive, archive.open("layers.0.weight.npy", "w") as m:
        np.lib.format.write_array_header_1_0(m, header)
        m.write(np.zeros(4).tobytes())


def test_a_header_claiming_more_data_than_the_file_holds_is_refused_before_allocating(
        tmp_path):
    path = tmp_path / "crafted.npz"
    huge_header(path)
    assert path.stat().st_size < 1000
    model = make_model(0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"declares shape \(1000000000000,\)"):
        nn.load(model, path)
    assert_same_state(model, before)


def test_a_compressed_member_may_not_claim_more_than_deflate_can_unpack(tmp_path):
    path = tmp_path / "bomb.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("w.npy", b"\0" * 10**6)
    with zipfile.ZipFile(path) as archive:   # a real, consistent archive…
        info = archive.getinfo("w.npy")
    data = bytearray(path.read_bytes())       # …whose directories now claim 10 GB
    for offset in (i for i in range(len(data) - 4)
                   if data[i:i + 4] == info.file_size.to_bytes(4, "little")):
        data[offset:offset + 4] = (10**10 % 2**32).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"claims 1410065408 bytes, more than the \d+-byte"):
        nn.load(make_model(0), path)


def test_values_that_would_overflow_the_models_dtype_are_refused(tmp_path):
    ag.set_default_dtype(np.float32)
    try:
        model = nn.Linear(2, 2)
    finally:
        ag.set_default_dtype(np.float64)
    before = model.state_dict()
    state = {"weight": np.array([[1.0, 1e300], [2.0, -1e39]]), "bias": np.zeros(2)}
    with pytest.raises(ValueError, match=r"weight: float64 value 1e\+300 at index \(0, 1\) "
                                         r"overflows float32.*2 value"):
        model.load_state_dict(state)
    assert_same_state(model, before)
    path = tmp_path / "wide.npz"
    np.savez(path, **state)
    with pytest.raises(ValueError, match="overflows float32"):
        nn.load(model, path)
    assert_same_state(model, before)
    model.load_state_dict({"weight": np.full((2, 2), 0.1), "bias": np.zeros(2)})  # rounding
    np.testing.assert_array_equal(model.weight.data, np.float32(0.1))


# ----------------------------------------------------------------- durable, tidy saves
def test_save_refuses_a_folder_path_and_writes_nothing(tmp_path):
    (tmp_path / "models").mkdir()
    for path in (tmp_path / "models", f"{tmp_path / 'models'}{os.sep}",
                 f"{tmp_path / 'fresh'}{os.sep}"):
        with pytest.raises(IsADirectoryError, match="is a folder; give a file path"):
            nn.save(make_model(0), path)
    assert sorted(os.listdir(tmp_path)) == ["models"]
    assert os.listdir(tmp_path / "models") == []


@pytest.mark.skipif(os.name != "posix", reason="only POSIX can open and sync a folder")
def test_save_syncs_the_file_and_then_its_folder(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def fsync(descriptor):
        synced.append("folder" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "file")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    nn.save(make_model(0), tmp_path / "m.npz")
    assert synced == ["file", "folder"]


KILLED_SAVE = """
import os, sys
import numpy as np
import nn
def die(*args, **kwargs):
    os._exit(3)          # killed midway: no except, no finally runs
np.lib.format.write_array = die
nn.save(nn.Linear(2, 1), sys.argv[1])
"""


@pytest.mark.skipif(os.name != "posix", reason="probing a process id needs POSIX")
def test_the_next_save_removes_what_a_killed_save_left_behind(tmp_path):
    path = tmp_path / "m.npz"
    killed = subprocess.run([sys.executable, "-c", KILLED_SAVE, str(path)], timeout=60)
    assert killed.returncode == 3
    leftovers = [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].startswith("m.npz.")
    nn.save(make_model(0), path)
    assert os.listdir(tmp_path) == ["m.npz"]


# ----------------------------------------------------------------- special files, odd paths
#: nn.load in a child process whose memory is capped at 4 GB: a regression that reads
#: /dev/zero ends in MemoryError, one that blocks on a FIFO in the parent's timeout.
LOAD_IN_A_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2**32, 2**32))
import numpy as np
import nn
model = nn.Linear(2, 2)
before = {name: value.copy() for name, value in model.state_dict().items()}
try:
    nn.load(model, sys.argv[1])
except OSError as error:
    assert all(np.array_equal(model.state_dict()[k], v) for k, v in before.items())
    print(type(error).__name__, error)
"""


def make_fifo(path):
    os.mkfifo(path)


def make_symlink_to_dev_zero(path):
    os.symlink("/dev/zero", path)


def make_folder(path):
    path.mkdir()


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
@pytest.mark.parametrize("make, kind, error", [
    (make_fifo, "a FIFO (named pipe)", "OSError"),
    (make_symlink_to_dev_zero, "a character device", "OSError"),
    (make_folder, "a folder", "IsADirectoryError"),
])
def test_load_refuses_a_special_file_before_reading_it(tmp_path, make, kind, error):
    path = tmp_path / "model.npz"
    make(path)
    try:
        child = subprocess.run([sys.executable, "-c", LOAD_IN_A_CHILD, str(path)],
                               capture_output=True, text=True, timeout=60,
                               env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    except subprocess.TimeoutExpired:
        pytest.fail(f"nn.load of {kind} did not return within 60 s")
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout == f"{error} load: {str(path)!r} is {kind}; only a regular file " \
                           "can be read\n"


def test_a_bytes_path_works_as_in_numpy_and_a_number_is_a_type_error(tmp_path):
    path = tmp_path / "m.npz"
    nn.save(make_model(0), os.fsencode(path))
    with np.load(os.fsencode(path)) as archive:             # NumPy takes bytes paths too
        assert "layers.0.weight" in archive.files
    target = make_model(1)
    nn.load(target, os.fsencode(path))
    assert_same_state(target, make_model(0).state_dict())
    for function in (nn.save, nn.load):
        with pytest.raises(TypeError, match=rf"{function.__name__}: path must be a str, "
                                            r"bytes or os.PathLike, got 3"):
            function(target, 3)
