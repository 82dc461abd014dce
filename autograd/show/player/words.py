"""Every word the player shows, in one table per language (``WORDS["en"]``).

``animate`` passes the table into the page (the fragment's controls and the JSON the
player reads), so a translation is one more table here with the same keys. ``{…}`` marks
what the player fills in.
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
    },
}
