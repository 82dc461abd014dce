"""The chain-rule steps of a backward pass as LaTeX, for slides and for Jupyter.

``explanation_latex(explanation)`` writes one display equation (``$$ … $$``) per gradient
a step sends: ∂E/∂x = (what the op's local derivative makes of ∂E/∂y). A tensor the
document calls u_l has its gradient written δ_l (S13); an incoming gradient that arrived
in one piece is written out where it is used, so the document's network reads
δ₁ = (W₂ᵀ δ₂) ⊙ σ′(u₁) (S15). A fan-out's later parts are written ``+=``.

Vectors are written as columns, as the document writes them (u_l = W_l y_{l−1} + b_l,
S11), although the arrays hold samples as rows. Only commands that both MathJax and KaTeX
render are used: ``\\frac \\tfrac \\partial \\odot \\oslash \\cdot \\top \\mathbf
\\mathrm \\mathrel \\sigma \\tanh \\sum \\delta \\left \\right \\qquad \\text``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.graph import is_tensor_input, name_of, tensor_key
from autograd.words import say

#: An incoming gradient's expression is written out in place when at most this long.
INLINE_CHARS = 48

ONES = r"\mathbf{1}"
_TEXT = {"−": "-", "²": "^{2}", "Σ": r"\sum", "·": r"\cdot ", "ᵀ": r"^\top"}


def symbol(label: str) -> str:
    """A tensor label as LaTeX: ``u1`` → ``u_{1}``, ``y2 − t`` → ``y_{2} - t``, anything
    else upright with LaTeX's specials escaped: ``\\mathrm{layers.0.weight}``."""
    if not re.fullmatch(r"[A-Za-z0-9 ()+*/−²Σ·ᵀ]+", label):
        return r"\mathrm{" + re.sub(r"([_#$%&{}])", r"\\\1", re.sub(r"[\\~^]", "", label)) + "}"
    text = re.sub(r"\b([A-Za-z]+)(\d+)\b", r"\1_{\2}", label)
    for plain, tex in _TEXT.items():
        text = text.replace(plain, tex)
    return text


def pre_activation_layer(label: str) -> str | None:
    """l when ``label`` is the document's pre-activation u_l, whose gradient is
    δ_l = ∂E/∂u_l (S13); else None."""
    match = re.fullmatch(r"u(\d+)", label)
    return match.group(1) if match else None


def delta(label: str) -> str | None:
    """δ_l for the document's u_l (S13), else None."""
    layer = pre_activation_layer(label)
    return rf"\delta_{{{layer}}}" if layer else None


def gradient(output: str, label: str) -> str:
    """The gradient of tensor ``label``: δ_l, or ∂E/∂label."""
    if delta(label):
        return delta(label)
    name = symbol(label)
    name = f"({name})" if " " in name else name
    return rf"\frac{{\partial {symbol(output)}}}{{\partial {name}}}"


def _group(expr: str) -> str:
    """``expr`` in parentheses when it is more than one term or factor (what is inside
    braces or parentheses does not count)."""
    outer, previous = expr.lstrip("-"), None
    while outer != previous:
        previous = outer
        outer = re.sub(r"\{[^{}]*\}|\\left\([^()]*\\right\)|\([^()]*\)", "", outer)
    return rf"\left({expr}\right)" if re.search(r"[ +\-]|\\,", outer) else expr


def _times(g: str, factor: str) -> str:
    """G ⊙ factor, where a unit G disappears."""
    return factor if g == "1" else rf"{_group(g)} \odot {_group(factor)}"


def _scaled(g: str, factor: str) -> str:
    """A number or 𝟏 times G (a unit G disappears)."""
    if g == "1":
        return factor
    return rf"{_group(g)}\,{ONES}" if factor == ONES else rf"{factor}\,{_group(g)}"


def _over(g: str, divisor: str) -> str:
    return rf"{_group(g)} \oslash {_group(divisor)}"


def _negated(g: str) -> str:
    if g.startswith("-") and _group(g[1:]) == g[1:]:
        return g[1:]
    return "-" + _group(g)


# op name → per input slot: (G, input symbols, output symbol, constants) → ∂E/∂input
Rule = Callable[[str, list[str], str], str]
RULES: dict[str, list[Rule]] = {
    "add": [lambda g, a, y: g, lambda g, a, y: g],
    "sub": [lambda g, a, y: g, lambda g, a, y: _negated(g)],
    "mul": [lambda g, a, y: _product(g, a[1]), lambda g, a, y: _product(g, a[0])],
    "div": [lambda g, a, y: _over(g, a[1]),
            lambda g, a, y: _negated(_over(_times(g, a[0]), rf"{_group(a[1])}^{{2}}"))],
    "neg": [lambda g, a, y: _negated(g)],
    "pow": [lambda g, a, y: _power(g, a[0], a[1])],
    "exp": [lambda g, a, y: _times(g, y)],
    "log": [lambda g, a, y: _over(g, a[0])],
    "sqrt": [lambda g, a, y: _over(g, rf"2\,{_group(y)}")],
    "sigmoid": [lambda g, a, y: _times(g, rf"\sigma'({a[0]})")],  # S9
    "tanh": [lambda g, a, y: _times(g, rf"\tanh'({a[0]})")],  # S10
    "relu": [lambda g, a, y: _times(g, rf"\mathrm{{relu}}'({a[0]})")],
    "sum": [lambda g, a, y: _scaled(g, ONES)],
    "mean": [lambda g, a, y: r"\tfrac{1}{n}\," + _scaled(g, ONES)],
    "matmul": [lambda g, a, y: rf"{_group(g)}\, {_group(a[1])}^\top",
               lambda g, a, y: rf"{_group(a[0])}^\top {_group(g)}"],
    # u = W x + b in the document's column notation (S11, S16)
    "linear": [lambda g, a, y: rf"{_group(a[1])}^\top {_group(g)}",
               lambda g, a, y: rf"{_group(g)}\, {_group(a[0])}^\top",
               lambda g, a, y: g],
}


def _product(g: str, other: str) -> str:
    if re.fullmatch(r"-?[\d.]+(e-?\d+)?", other):
        return _scaled(g, other)
    return _times(g, other)


def _power(g: str, base: str, exponent: str) -> str:
    if re.fullmatch(r"[\d.]+", exponent):
        lower = float(exponent) - 1
        power = base if lower == 1 else rf"{_group(base)}^{{{lower:g}}}"
        return _scaled(g, exponent) if lower == 0 else _times(g, rf"{exponent}\,{power}")
    return _times(g, rf"{exponent}\,{_group(base)}^{{{exponent} - 1}}")


def _argument(x: Any, labels: dict[int, str]) -> str:
    if is_tensor_input(x):  # a constant tensor that no step names: its own name, or c
        return symbol(labels.get(tensor_key(x)) or name_of(x) or "c")
    if isinstance(x, np.ndarray) and x.size == 1:
        x = x.item()
    return f"{x:g}" if isinstance(x, int | float) else r"\mathrm{const}"


def _rule(name: str, slot: int) -> Rule:
    rules = RULES.get(name, [])
    if slot < len(rules):
        return rules[slot]
    return lambda g, a, y: rf"{_group(g)}\, \frac{{\partial {y}}}{{\partial {a[slot]}}}"


def explanation_latex(explanation: Any) -> list[str]:
    """One ``$$ ∂E/∂x = … \\qquad \\text{step k} $$`` line per gradient sent, in the
    engine's order, with the explanation's names for the tensors and its language's
    words (``\\text{第 k 步}`` in Chinese)."""
    labels = {id(step.node): step.output for step in explanation.steps}
    labels.update((tensor_key(step.node.inputs[send.slot]), send.to)
                  for step in explanation.steps for send in step.sends)
    for step in explanation.steps:  # the document's input: u1 = W1 x + b1, y_0 = x (S11)
        first = step.node.inputs[0]
        if step.op == "linear" and step.output == "u1" and is_tensor_input(first):
            labels.setdefault(tensor_key(first), name_of(first) or "x")
    out = explanation.output
    written: dict[int, list[str]] = {}  # tensor key → the expressions it received
    if explanation.steps:
        written[id(explanation.steps[0].node)] = ["1"]
    lines = []
    for step in explanation.steps:
        key = id(step.node)
        parts = written.get(key, [])
        g = gradient(out, step.output)
        if len(parts) == 1 and not delta(step.output) and len(parts[0]) <= INLINE_CHARS:
            g = parts[0]
        args = [_argument(x, labels) for x in step.node.inputs]
        for send in step.sends:
            x = step.node.inputs[send.slot]
            expr = _rule(step.op, send.slot)(g, args, symbol(step.output))
            target = tensor_key(x)
            relation = r"\mathrel{+}=" if written.get(target) else "="
            written.setdefault(target, []).append(expr)
            where = say("latex", "step", explanation.lang, k=step.index)
            lines.append(f"$${gradient(out, labels[target])} {relation} {expr}"
                         rf"\qquad\text{{{where}}}$$")
    return lines
