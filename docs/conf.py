"""Sphinx configuration of the documentation site.

Build: ``pip install -e '.[docs]'`` then ``sphinx-build -W docs docs/_build/html``
(warnings are errors, so a broken reference or a docstring that does not render fails).
The notebooks are rendered by myst-nb from their stored outputs, never re-executed; they
are copied here from ``../notebooks`` (and their Chinese twins from ``../notebooks/zh``
into ``zh/notebooks``) at the start of every build. Every page links to its twin in the
other language (``docs/_ext/language_switch.py``); the Chinese pages live in ``zh/``.
"""

import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path[:0] = [str(ROOT), str(DOCS / "_ext")]

project = "backprop-primer"
author = "backprop-primer contributors"
copyright = "the backprop-primer contributors, MIT licence"

extensions = [
    "myst_nb",                  # Markdown pages (MyST) and notebooks
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",      # NumPy-style docstrings
    "docstrings",               # ... as this project writes them (prose after lists, |x|)
    "op_formulas",              # each op's formula string, in the API and as a table
    "repo_links",               # repository-relative links (../nn/x.py) read on the site
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",   # MathJax served from the built site, not a CDN
    "offline",                  # the build fails if a page would load from the network
    "language_switch",          # English ↔ 中文: a link to the twin page, and <html lang>
]

root_doc = "index"
exclude_patterns = ["_build", "_ext", ".gitignore"]
html_theme = "furo"
html_title = "backprop-primer"
pygments_style = "sphinx"

# Notebooks: shown with the outputs stored in them (CI executes them in the test suite).
nb_execution_mode = "off"
nb_render_markdown_format = "myst"   # Markdown outputs (report tables) as MyST: tables
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # notebooks may skip a heading level between sections

# API reference: every public name from the packages' __all__, in source order.
autodoc_default_options = {"members": True, "member-order": "bysource",
                           "show-inheritance": True}
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autosummary_generate = False
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False


def _copy_notebooks() -> None:
    """docs/notebooks/ mirrors ../notebooks/*.ipynb, docs/zh/notebooks/ mirrors
    ../notebooks/zh/*.ipynb (stale copies removed)."""
    for written, shown in (("notebooks", "notebooks"), ("notebooks/zh", "zh/notebooks")):
        target = DOCS / shown
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        for notebook in sorted((ROOT / written).glob("*.ipynb")):
            shutil.copy2(notebook, target / notebook.name)


_copy_notebooks()
