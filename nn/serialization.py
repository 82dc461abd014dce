"""Saving and loading a module's parameters as a NumPy ``.npz`` archive, never pickle."""

from __future__ import annotations

import os
import secrets
import zipfile
import zlib

import numpy as np

from nn.module import Module


def save(module: Module, path: str | os.PathLike) -> None:
    """Write ``module.state_dict()`` to ``path`` as an ``.npz`` archive.

    The file is exactly ``path`` (no ``.npz`` is appended); its keys are the dotted
    parameter names, and ``np.load(path, allow_pickle=False)`` reads it. The write is
    atomic: the archive goes to a temporary file in the same directory, which then
    replaces ``path`` in one ``os.replace``, so a failure midway leaves any previous file
    untouched.
    """
    path = os.fspath(path)
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"save: cannot write {path!r}: folder {folder!r} does not exist")
    state = module.state_dict()
    temporary = f"{path}.{secrets.token_hex(6)}.tmp"
    try:
        with open(temporary, "xb") as file:
            with zipfile.ZipFile(file, "w") as archive:
                for name, value in state.items():
                    with archive.open(f"{name}.npy", "w") as member:
                        np.lib.format.write_array(member, value, allow_pickle=False)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def load(module: Module, path: str | os.PathLike) -> Module:
    """Read an archive written by ``save`` into ``module``'s Parameters, in place.

    Everything is read and checked before anything is copied: a missing file raises
    ``OSError`` (``FileNotFoundError``); a file that is not a readable ``.npz``, that holds
    pickled objects, or whose names and shapes do not match the module exactly raises
    ``ValueError``. In every failing case the module is unchanged. Returns ``module``.
    """
    path = os.fspath(path)
    try:
        archive = np.load(path, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise ValueError("it holds a single array, not an .npz archive")
        with archive:
            state = {name: archive[name] for name in archive.files}
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise ValueError(f"load: {path} is not a readable .npz archive of arrays ({error})"
                         ) from error
    module.load_state_dict(state, strict=True)
    return module
