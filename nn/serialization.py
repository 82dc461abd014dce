"""Saving and loading state dicts (a module's parameters, an optimizer's state) as a NumPy
``.npz`` archive, never pickle."""

from __future__ import annotations

import contextlib
import glob
import math
import os
import secrets
import zipfile
import zlib
from typing import Any, Protocol

import numpy as np

#: Deflate's largest compression ratio (zlib's technical notes): a compressed member
#: can unpack to at most this many times its stored size.
DEFLATE_MAX_RATIO = 1032


class HasState(Protocol):
    """What ``save`` and ``load`` need: a Module or an Optimizer."""

    def state_dict(self) -> Any: ...
    def load_state_dict(self, state: Any) -> Any: ...


def save(obj: HasState, path: str | os.PathLike) -> None:
    """Write ``obj.state_dict()`` — a Module's parameters or an Optimizer's state — to
    ``path`` as an ``.npz`` archive.

    The file is exactly ``path`` (no ``.npz`` is appended); its keys are the dotted
    state-dict names, and ``np.load(path, allow_pickle=False)`` reads it. A path naming a
    folder (``"out/"``, or an existing folder) raises ``IsADirectoryError``. The write is
    atomic and durable: the archive goes to a temporary file in the same folder, is
    flushed to disk, replaces ``path`` in one ``os.replace``, and the folder itself is
    then synced, so the new name survives a power cut. A failure midway leaves any
    previous file untouched and removes the temporary file; temporary files that a killed
    process left beside ``path`` are removed by the next successful save.
    """
    path = os.fspath(path)
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        raise IsADirectoryError(f"save: {path!r} is a folder; give a file path such as "
                                f"{os.path.join(path, 'model.npz')!r}")
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"save: cannot write {path!r}: folder {folder!r} does not exist")
    state = obj.state_dict()
    temporary = f"{path}.{os.getpid()}-{secrets.token_hex(6)}.tmp"
    try:
        with open(temporary, "xb") as file:
            with zipfile.ZipFile(file, "w") as archive:
                for name, value in state.items():
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


def read_arrays(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` archive at ``path``, by name, without pickle.

    Each member's header is read and checked before its data is: the size it declares
    must be what the member holds, and no member may unpack to more than deflate allows
    for its stored bytes — so a small crafted file cannot make us allocate terabytes.
    A missing file raises ``FileNotFoundError``; anything else wrong ``ValueError``."""
    path = os.fspath(path)
    file_size = os.path.getsize(path)
    arrays = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                name = info.filename.removesuffix(".npy")
                if name in arrays:
                    raise ValueError(f"the name {name!r} appears twice")
                _check_declared_size(info, file_size, archive)
                with archive.open(info) as member:
                    arrays[name] = np.lib.format.read_array(member, allow_pickle=False)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError,
            OverflowError) as error:
        raise ValueError(f"load: {path} is not a readable .npz archive of arrays ({error})"
                         ) from error
    return arrays


def _check_declared_size(info: zipfile.ZipInfo, file_size: int,
                         archive: zipfile.ZipFile) -> None:
    """Raise ``ValueError`` unless member ``info``'s .npy header declares exactly the bytes
    the member holds, and the member fits the file (deflate's ratio at most)."""
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


def load(obj: HasState, path: str | os.PathLike) -> HasState:
    """Read an archive written by ``save`` into ``obj`` (a Module's Parameters, in place,
    or an Optimizer's state).

    Everything is read and checked before anything is copied: a missing file raises
    ``OSError`` (``FileNotFoundError``); a file that is not a readable ``.npz``, that holds
    pickled objects, whose headers declare more data than the file holds, or whose names,
    shapes or values do not fit ``obj`` exactly (including values that would overflow
    ``obj``'s dtype) raises ``ValueError``. In every failing case ``obj`` is unchanged.
    Returns ``obj``.
    """
    obj.load_state_dict(read_arrays(path))
    return obj
