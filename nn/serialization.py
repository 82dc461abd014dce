"""Saving and loading state dicts (a module's parameters, an optimizer's state) as a NumPy
``.npz`` archive, never pickle."""

from __future__ import annotations

import contextlib
import glob
import math
import os
import secrets
import stat
import zipfile
import zlib
from typing import Any, BinaryIO, Protocol

import numpy as np

from autograd.errors import shown

#: Deflate's largest compression ratio (zlib's technical notes): a compressed member
#: can unpack to at most this many times its stored size.
DEFLATE_MAX_RATIO = 1032


class HasState(Protocol):
    """What ``save`` and ``load`` need: a Module or an Optimizer."""

    def state_dict(self) -> Any: ...
    def load_state_dict(self, state: Any) -> Any: ...


def save(obj: HasState, path: str | bytes | os.PathLike) -> None:
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
    _check_has_state("save", obj, "state_dict")
    path = file_path("save", path)
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


def file_path(op: str, path: Any) -> str:
    """``path`` (a ``str``, ``bytes`` or ``os.PathLike``, as ``open`` and ``np.load`` take)
    as a ``str``; anything else is a ``TypeError`` naming ``op``."""
    try:
        return os.fsdecode(path)
    except TypeError:
        raise TypeError(f"{op}: path must be a str, bytes or os.PathLike, got {shown(path)}"
                        ) from None


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


def load(obj: HasState, path: str | bytes | os.PathLike) -> HasState:
    """Read an archive written by ``save`` into ``obj`` (a Module's Parameters, in place,
    or an Optimizer's state).

    Everything is read and checked before anything is copied: a missing file raises
    ``OSError`` (``FileNotFoundError``), and so does a path that is not a regular file (a
    folder, FIFO, device — ``/dev/zero`` behind a symlink —, socket), before it is read;
    a path that is not a ``str``, ``bytes`` or ``os.PathLike`` is a ``TypeError``; a file
    that is not a readable ``.npz`` (an encrypted member included), that holds pickled
    objects, whose headers declare more data than the file holds, or whose names,
    shapes or values do not fit ``obj`` exactly (including values that would overflow
    ``obj``'s dtype) raises ``ValueError``. In every failing case ``obj`` is unchanged.
    Returns ``obj``.
    """
    _check_has_state("load", obj, "load_state_dict")
    obj.load_state_dict(read_arrays(path))
    return obj


def _check_has_state(op: str, obj: Any, method: str) -> None:
    if not callable(getattr(obj, method, None)):
        raise TypeError(f"{op}: expected a Module or an Optimizer (an object with "
                        f"{method}()), got {shown(obj)}")
