"""Files of named arrays (``.npz`` archives, never pickle), and ``ag.save`` / ``ag.load``
of state dicts as PyTorch's ``torch.save`` / ``torch.load`` are used for them.

``write_arrays`` and ``read_arrays`` are the one writer and reader: ``nn.save`` /
``nn.load`` (a module's or optimizer's state) call them too."""

from __future__ import annotations

import contextlib
import glob
import math
import os
import secrets
import stat
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any, BinaryIO

import numpy as np

from autograd.errors import shown

#: Deflate's largest compression ratio (zlib's technical notes): a compressed member
#: can unpack to at most this many times its stored size.
DEFLATE_MAX_RATIO = 1032


def write_arrays(arrays: Mapping[str, Any], path: str | bytes | os.PathLike, op: str = "save"
                 ) -> None:
    """Write named arrays to ``path`` as an ``.npz`` archive, never pickle.

    The file is exactly ``path`` (no ``.npz`` is appended); ``np.load(path,
    allow_pickle=False)`` reads it. A path naming a folder (``"out/"``, or an existing
    folder) raises ``IsADirectoryError``. The write is atomic and durable: the archive goes
    to a temporary file in the same folder, is flushed to disk, replaces ``path`` in one
    ``os.replace``, and the folder itself is then synced, so the new name survives a power
    cut. A failure midway leaves any previous file untouched and removes the temporary
    file; temporary files that a killed process left beside ``path`` are removed by the
    next successful save.
    """
    path = file_path(op, path)
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        raise IsADirectoryError(f"{op}: {path!r} is a folder; give a file path such as "
                                f"{os.path.join(path, 'model.npz')!r}")
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{op}: cannot write {path!r}: folder {folder!r} does not exist")
    temporary = f"{path}.{os.getpid()}-{secrets.token_hex(6)}.tmp"
    try:
        with open(temporary, "xb") as file:
            with zipfile.ZipFile(file, "w") as archive:
                for name, value in arrays.items():
                    with archive.open(f"{name}.npy", "w") as member:
                        np.lib.format.write_array(member, np.asarray(value),
                                                  allow_pickle=False)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    _sync_folder(folder)
    _remove_abandoned_temporaries(path)


def _sync_folder(folder: str) -> None:
    """fsync the folder, making a rename inside it durable (POSIX; elsewhere a no-op)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its renames need no folder sync
        return
    try:
        with contextlib.suppress(OSError):  # some file systems refuse to sync folders
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_abandoned_temporaries(path: str) -> None:
    """Remove ``path.<pid>-<token>.tmp`` files whose writing process no longer runs (it
    was killed before it could clean up). Only on POSIX, where a process can be probed."""
    if os.name != "posix":
        return
    for temporary in glob.glob(glob.escape(path) + ".*-*.tmp"):
        pid = temporary[len(path) + 1:].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            with contextlib.suppress(FileNotFoundError):  # another save removed it
                os.remove(temporary)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True


def file_path(op: str, path: Any) -> str:
    """``path`` (a ``str``, ``bytes`` or ``os.PathLike``, as ``open`` and ``np.load`` take)
    as a ``str``; anything else is a ``TypeError``, and a name no file system accepts (a
    NUL character) a ``ValueError``, naming ``op``."""
    try:
        name = os.fsdecode(path)
    except TypeError:
        raise TypeError(f"{op}: path must be a str, bytes or os.PathLike, got {shown(path)}"
                        ) from None
    if "\0" in name:
        raise ValueError(f"{op}: path {name!r} contains a NUL character, which no file name "
                         "can hold")
    return name


#: What a file that is not a regular one is, by its ``stat`` mode.
_FILE_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISSOCK, "a socket"))


def open_regular(op: str, path: str) -> BinaryIO:
    """``path`` opened for reading in binary, after checking that it is a regular file.

    A folder, FIFO, device or socket (also behind a symlink: ``/dev/zero`` reads without
    end, a FIFO blocks) raises ``OSError`` naming ``op`` — ``IsADirectoryError`` for a
    folder. The check is made on the opened descriptor (``fstat``), so the file cannot
    be swapped between check and read; the open itself does not wait (``O_NONBLOCK``)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                         | getattr(os, "O_BINARY", 0))
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = next((text for test, text in _FILE_KINDS if test(mode)), "not a regular file")
        error = IsADirectoryError if stat.S_ISDIR(mode) else OSError
        raise error(f"{op}: {path!r} is {kind}; only a regular file can be read")
    if hasattr(os, "set_blocking"):
        os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "rb")


def read_arrays(path: str | bytes | os.PathLike) -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` archive at ``path``, by name, without pickle.

    Only a regular file is read (``open_regular``). Each member's header is read and
    checked before its data is: the size it declares must be what the member holds, and
    no member may unpack to more than deflate allows for its stored bytes — so a small
    crafted file cannot make us allocate terabytes. A missing file or one that is not a
    regular file raises ``OSError``; anything else wrong ``ValueError``."""
    path = file_path("load", path)
    arrays = {}
    with open_regular("load", path) as file:
        file_size = os.fstat(file.fileno()).st_size
        try:
            with zipfile.ZipFile(file) as archive:
                for info in archive.infolist():
                    name = info.filename.removesuffix(".npy")
                    if name in arrays:
                        raise ValueError(f"the name {name!r} appears twice")
                    _check_declared_size(info, file_size, archive)
                    with archive.open(info) as member:
                        arrays[name] = np.lib.format.read_array(member, allow_pickle=False)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError,
                OverflowError) as error:
            raise ValueError(f"load: {path} is not a readable .npz archive of arrays "
                             f"({error})") from error
    return arrays


def _check_declared_size(info: zipfile.ZipInfo, file_size: int,
                         archive: zipfile.ZipFile) -> None:
    """Raise ``ValueError`` unless member ``info``'s .npy header declares exactly the bytes
    the member holds, and the member fits the file (deflate's ratio at most); an encrypted
    member (zipfile would raise ``RuntimeError`` asking for a password) is refused too."""
    if info.flag_bits & 0x1:
        raise ValueError(f"member {info.filename!r} is encrypted")
    largest = info.compress_size * (1 if info.compress_type == zipfile.ZIP_STORED
                                    else DEFLATE_MAX_RATIO)
    if info.compress_size > file_size or info.file_size > largest:
        raise ValueError(f"member {info.filename!r} claims {info.file_size} bytes, more than "
                         f"the {file_size}-byte file can hold")
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(member)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(member)
        else:
            raise ValueError(f"member {info.filename!r} has .npy format {version}; "
                             "expected 1.0 or 2.0")
        header = member.tell()
    if dtype.hasobject:
        raise ValueError(f"member {info.filename!r} holds Python objects (pickle)")
    declared = math.prod(shape) * dtype.itemsize
    if header + declared != info.file_size:
        raise ValueError(f"member {info.filename!r} declares shape {shape} of {dtype} "
                         f"({declared} bytes) but holds {info.file_size - header} bytes")


#: The member listing the keys whose values were Python values (numbers, strings, lists
#: of numbers), given back as such; every other array comes back as a Tensor.
PYTHON_VALUES = "__python__"


def save(obj: Mapping[str, Any], path: str | os.PathLike) -> None:
    """Write a state dict — ``model.state_dict()``, or a checkpoint such as ``{"model":
    model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 5}`` — to ``path``,
    as ``torch.save`` is used, but as an ``.npz`` archive: no pickle, so loading a file
    runs no code.

    Values are Tensors, arrays, Python numbers, bools and strings, lists of numbers, or
    dicts of these (nested keys are joined with ``/``). Keys are strings without ``/``.
    """
    if not isinstance(obj, Mapping):
        raise TypeError(f"save: expected a dict (a state dict or a checkpoint), got "
                        f"{type(obj).__name__}; to save one tensor write "
                        "ag.save({'x': t}, path)")
    arrays: dict[str, np.ndarray] = {}
    python: list[str] = []
    _flatten(obj, "", arrays, python)
    arrays[PYTHON_VALUES] = np.array(python, dtype=str)
    write_arrays(arrays, path)


def _flatten(obj: Mapping, prefix: str, arrays: dict, python: list) -> None:
    """Nested ``obj`` as flat ``a/b/c`` names → arrays, noting the Python values."""
    for key, value in obj.items():
        if not isinstance(key, str) or "/" in key or key.startswith("__") or not key:
            raise ValueError(f"save: keys must be non-empty strings without '/' that do not "
                             f"start with '__', got {key!r}")
        name = prefix + key
        if isinstance(value, Mapping):
            _flatten(value, name + "/", arrays, python)
            continue
        if not hasattr(value, "__array__"):  # a Python value: a number, a string, a list
            python.append(name)
        array = np.asarray(value)
        if array.dtype.kind not in "biufU":
            raise TypeError(f"save: {name!r} is {type(value).__name__} of dtype {array.dtype}; "
                            "only numbers, booleans and strings can be saved (no pickle)")
        arrays[name] = array


def load(path: str | os.PathLike) -> dict[str, Any]:
    """Read a file written by ``save``: the same nested dicts, arrays as Tensors, Python
    values as Python values (``model.load_state_dict(ag.load(path))``). Never unpickles:
    a file holding Python objects raises ``ValueError``, a missing one
    ``FileNotFoundError``."""
    from autograd.tensor import Tensor  # saving is imported by Tensor's package
    arrays = read_arrays(path)
    python = set(arrays.pop(PYTHON_VALUES, np.array([], dtype=str)).tolist())
    result: dict[str, Any] = {}
    for name, array in arrays.items():
        *outer, key = name.split("/")
        target = result
        for part in outer:
            target = target.setdefault(part, {})
        target[key] = array.tolist() if name in python else Tensor._make(array)
    return result
