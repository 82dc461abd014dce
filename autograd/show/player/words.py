"""Every word the player shows, in one table per language (``WORDS["en"]``).

``animate`` passes the table into the page (the fragment's controls and the JSON the
player reads) and writes the frames' titles and panel rows with it, so a translation is
one more table here with the same keys. ``{…}`` marks what is filled in. Maths (∂E/∂x,
δ1 = …, the S-numbers) is not translated.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "previous": "Previous", "previous_key": "Previous (←)",
        "play": "Play", "play_key": "Play / Pause (space)",
        "next": "Next", "next_key": "Next (→)",
        "step_slider": "Step", "status": "step {k} / {n}",
        "zoom_in": "Zoom in", "zoom_out": "Zoom out", "fit": "Fit the graph to the stage",
        "fit_short": "Fit", "stage": "the graph: drag to pan",
        "layers": "Layer view", "graph": "Graph view",
        "table": "the whole pass as a table (ag.explain)",
        "cold": "A picture of the final state: run this cell to step through the pass "
                "(the player needs the notebook's scripts, which do not run until then).",
        "quiz_intro": "Your turn: what gradient does each input receive? "
                      "(right within {rtol} % or {atol})",
        "first_entry": "(its first entry)",
        "secret": "? (your turn: type the gradients below)",
        "check": "Check", "reveal": "Reveal", "skip": "Skip",
        "wrong": "{count} not right yet",
        "all_right": "all right",
        "hint": "Hint: each input receives the incoming gradient times the local "
                "derivative (the two rows marked above): multiply them entry by entry, "
                "or as the formula says for a matrix. Try again, or Reveal.",
        "waiting": "answer, Reveal or Skip to go on",
        "print_step": "step {k} / {n}: {title}",
        "layer": "layer {l}", "input": "input",
        "pass_title": "backward pass of {output}",
        # the frames (frames.py, layers.py)
        "start": "the graph of {output}: {n} steps; press → (Next) to step through",
        "forward_row": "forward", "forward_text": "values appear op by op, inputs first",
        "forward_title": "forward {k} of {n}: {op} computes {output}",
        "forward_step": "forward {k} of {n}",
        "backward_title": "backward {k} of {n}: {op} sends {gradient} on to its inputs",
        "backward_step": "backward {k} of {n}",
        "step": "step", "op": "op", "formula": "formula",
        "input_row": "input {name}", "output_row": "output {name}",
        "local": "local derivative", "incoming": "incoming {gradient}",
        "contributions": "contributions ({n})", "initial": "initial ∂E/∂E: ",
        "from_step": "from step {k}: ", "sum": "sum: ", "sends": "sends",
        "leaves": "gradients of the leaves",
        "grad": "grad", "part": "{caption} ({k} of {n})",
        "collapsed": "the {n} ops {ops} as one step: it sends what the last one sends "
                     "(ag.animate(..., expand_loss=True) steps through each)",
        "error_gradient": "∂E/∂{y}, the error's gradient   (S12, S13)",
        # notes above the player
        "cut": "This graph has {ops} ops; the {drawn} nearest the output are drawn and "
               "stepped through, {hidden} are left out (ag.animate(..., max_ops=None) "
               "shows all).",
        "record_hint": "tip: run the forward inside ag.record_modules(model) to get the "
                       "module's names (W1, u1, y1, δ1 for an nn.MLP), boxes and its loss as "
                       "one step",
    },
}


def say(key: str, **values: object) -> str:
    """The player's text ``key`` (English), with ``values`` filled in."""
    return WORDS["en"][key].format(**values)
