"""Logic gates as McCulloch–Pitts units (S1), and the search that shows XOR is not one (S6).

An MCP unit with weights w and threshold θ outputs 1 when Σ_i w_i x_i ≥ θ, else 0: its
decision boundary is a hyperplane, so it computes AND, OR and NOT but not XOR. With
integer weights and thresholds in a small range the claim can be checked exhaustively."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

import numpy as np

from nn.neurons import MCPNeuron

TruthTable = Mapping[tuple[int, ...], int]

TRUTH_TABLES: dict[str, TruthTable] = {
    "AND": {(0, 0): 0, (0, 1): 0, (1, 0): 0, (1, 1): 1},
    "OR": {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 1},
    "NAND": {(0, 0): 1, (0, 1): 1, (1, 0): 1, (1, 1): 0},
    "XOR": {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 0},
    "NOT": {(0,): 1, (1,): 0},
}


def search_mcp_units(truth_table: TruthTable, weight_range: Iterable[int] = range(-3, 4),
                     threshold_range: Iterable[int] = range(-3, 4),
                     ) -> list[tuple[tuple[int, ...], int]]:
    """Every MCP unit (S1) with weights from ``weight_range`` and a threshold from
    ``threshold_range`` that computes ``truth_table``, by trying them all.

    Parameters
    ----------
    truth_table : mapping from input tuples of 0/1 (all of one length n) to the 0/1 output,
        e.g. ``TRUTH_TABLES["XOR"]``.
    weight_range, threshold_range : the candidate values (each weight ranges over
        ``weight_range``, so there are |weight_range|ⁿ · |threshold_range| units).

    Returns
    -------
    list of ``(weights, threshold)``, each a unit ``nn.MCPNeuron(weights, threshold)``
    whose output equals the table on every row; empty when none exists (XOR, S6)."""
    rows = list(truth_table)
    if not rows or len({len(row) for row in rows}) != 1:
        raise ValueError(f"search_mcp_units: the truth table needs input tuples of one "
                         f"length; got {rows}")
    inputs = np.array(rows)
    outputs = np.array([truth_table[row] for row in rows])
    if not (np.isin(inputs, (0, 1)).all() and np.isin(outputs, (0, 1)).all()):
        raise ValueError(f"search_mcp_units: inputs and outputs must be 0 or 1; got "
                         f"{dict(truth_table)}")
    weight_values = tuple(weight_range)
    thresholds = tuple(threshold_range)
    found = []
    for weights in itertools.product(weight_values, repeat=inputs.shape[1]):
        for threshold in thresholds:
            if np.array_equal(MCPNeuron(weights, threshold)(inputs).numpy(), outputs):
                found.append((weights, threshold))
    return found
