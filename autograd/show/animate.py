"""Watch backprop happen: the recorded backward pass as a step-through in the browser.

``animate(output)`` reads the pass once (``ag.explain``: the engine's order, incoming
gradients, the gradients sent to each input, the contributions of a fan-out) and the
graph once (``ag.draw``'s SVG), turns them into frames (``autograd.show.player.frames``) and
writes one self-contained page: the SVG inline, the frames as JSON, the player's
JavaScript and CSS (real files in ``autograd/show/player/``) inline. The page makes no network
request, so it works offline and as an e-mail attachment.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import asdict
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

from autograd.graph import tensor_key, tensor_labels, walk
from autograd.show.arguments import check_layout, check_names
from autograd.show.draw import collapsed_ops, drawing
from autograd.show.explain import Explanation, explain
from autograd.show.notation import notation
from autograd.show.player.frames import (
    Frame,
    arrivals,
    build_frames,
    cumulative,
    moves,
    reserved_places,
)
from autograd.show.player.graph import Picture, tensor_titles
from autograd.show.player.layers import equations
from autograd.show.player.layers import picture as layer_picture
from autograd.show.player.words import say
from autograd.tensor import Tensor
from autograd.words import HTML_LANG, language, table

#: A quiz answer counts as right within this relative error, or this absolute error
#: (for answers near zero).
QUIZ_RTOL = 0.01
QUIZ_ATOL = 1e-4
#: The notebook's picture for viewers that run no script (the page itself needs none):
#: the whole graph at its final state, as wide as the cell, and how to play it.
FALLBACK = Template('<div class="ag-fallback"><p>$hint</p>'
                    '<img alt="$alt" style="width: 100%; height: auto" '
                    'src="data:image/svg+xml;base64,$data"></div>')
#: Graphviz spacing of the player's drawing: tighter than ag.draw's, so that a network
#: fits its stage with legible text.
SPACING = {"ranksep": "0.25", "nodesep": "0.2"}


def _asset(name: str) -> str:
    return files("autograd.show.player").joinpath(name).read_text(encoding="utf-8")


class Animation:
    """The backward pass of one output as a step-through (see ``animate``).

    ``frames`` are the steps (frame 0 is the graph before the first one); ``explanation``
    is the ``ag.explain`` record they are read from; ``note`` says what was left out;
    ``layers`` is the document's layer picture of an MLP (``autograd.show.player.layers``),
    which the page's "Layer view" button shows instead of the graph; ``lang`` is the
    language of its words (``autograd.words``).
    """

    def __init__(self, explanation: Explanation, frames: list[Frame], picture: Picture,
                 quiz: bool, note: str, wait: bool = True,
                 layers: dict[str, Any] | None = None, lang: str = "en") -> None:
        self.explanation = explanation
        self.frames = frames
        self.picture = picture
        self.quiz = quiz
        self.note = note
        self.wait = wait
        self.layers = layers
        self.lang = lang

    def _say(self, key: str, **values: object) -> str:
        return table("player", self.lang)[key].format(**values)

    def __len__(self) -> int:
        """The number of steps (frames after frame 0)."""
        return len(self.frames) - 1

    def __repr__(self) -> str:
        phases = [f.phase for f in self.frames]
        return (f"<Animation of {self.explanation.output}: {phases.count('forward')} forward "
                f"and {phases.count('backward')} backward steps{', quiz' * self.quiz}; "
                ".save(path) writes the page>")

    def frame_svg(self, k: int, standalone: bool = True) -> str:
        """The picture of step ``k``: states and gradients after it, its op highlighted."""
        if not 0 <= k < len(self.frames):
            raise IndexError(f"animate: step {k} is out of range 0…{len(self)}")
        states, grads = cumulative(self.frames, k)
        frame = self.frames[k]
        return self.picture.render(states, grads, frame.current, frame.edges,
                                   standalone=standalone,
                                   style=_asset("graph.css") if standalone else "")

    def _repr_html_(self) -> str:
        """The player, for Jupyter. Where scripts do not run (an untrusted notebook,
        GitHub's view) a picture of the final state shows instead, every gradient in
        place (no step highlighted), with a line saying to run the cell and the
        ``ag.explain`` table."""
        states, grads = cumulative(self.frames, len(self))
        svg = self.picture.render(states, grads, standalone=True, style=_asset("graph.css"))
        picture = base64.b64encode(svg.encode()).decode()
        return self._fragment(FALLBACK.substitute(
            alt=html.escape(self._say("pass_title", output=self.explanation.output)),
            hint=html.escape(self._say("cold")), data=picture))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self._repr_html_(), "text/plain": repr(self)}

    def _fragment(self, fallback: str) -> str:
        frames = [asdict(f) if self.quiz else {**asdict(f), "quiz": []} for f in self.frames]
        data = {"quiz": self.quiz, "wait": self.wait, "rtol": QUIZ_RTOL, "atol": QUIZ_ATOL,
                "words": table("player", self.lang), "layers": self.layers, "frames": frames}
        states, grads = cumulative(self.frames, len(self))
        title = self._say("pass_title", output=self.explanation.output)
        words = {f"w_{key}": html.escape(text) for key, text in table("player", self.lang).items()}
        return Template(_asset("fragment.html")).substitute(
            **words, status=html.escape(self._say("status", k=0, n=len(self))),
            lang=HTML_LANG[self.lang],
            label=html.escape(self._say("pass_label", title=title)),
            css=_asset("player.css") + _asset("graph.css"),
            note=html.escape(self.note), note_hidden="" if self.note else " hidden",
            fallback=fallback, last=len(self), svg=self.picture.render(states, grads),
            title=html.escape(title), table=html.escape(str(self.explanation)),
            data=json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"),
            js=_asset("player.js"))

    def save(self, path: str | Path) -> Path:
        """Write the player as one self-contained HTML file (no network request)."""
        path = Path(path)
        if not path.parent.is_dir():
            raise OSError(f"animate.save: folder {path.parent} does not exist")
        page = Template(_asset("page.html")).substitute(
            title=html.escape(self._say("pass_title", output=self.explanation.output)),
            lang=HTML_LANG[self.lang], fragment=self._fragment(fallback=""))
        path.write_text(page, encoding="utf-8")
        return path

    def save_frames(self, folder: str | Path) -> list[Path]:
        """Write one SVG per step into ``folder`` (created if missing): ``step_000.svg``
        is the graph before the first step; each has its styles inside, for slides."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        width = len(str(len(self)))
        paths = []
        for k in range(len(self.frames)):
            path = folder / f"step_{k:0{max(width, 3)}d}.svg"
            path.write_text(self.frame_svg(k), encoding="utf-8")
            paths.append(path)
        return paths


def animate(output: Tensor, quiz: bool = False, *, names: dict[str, Tensor] | None = None,
            forward: bool = True, max_ops: int | None = 500, rankdir: str = "TB",
            gradient: Any = None, expand_loss: bool = False, wait: bool = True,
            lang: str | None = None) -> Animation:
    """The backward pass from ``output`` as a step-through: ``ag.draw``'s graph, where each
    step highlights one op, shows the gradient ∂E/∂y it receives (the sum of what its
    consumers sent: a fan-out's contributions arrive one by one), its local derivative,
    and the gradient ∂E/∂x = ∂E/∂y · ∂y/∂x it sends to each input (S13's chain rule).

    Parameters
    ----------
    output : Tensor
        E, a one-element tensor unless ``gradient`` is given. Call ``animate`` before
        ``backward`` (a dry run of the pass) or after a backward recorded with
        ``ag.retain_grads(output)``.
    quiz : bool
        Practice mode: before each step's gradients are shown, the learner types them (each
        entry of a small tensor, the first entry of a large one); answers within 1 % (or
        10⁻⁴) are right. A wrong answer first gets a hint pointing at the local derivative
        and the incoming gradient, then Reveal is offered. The answers come from the record.
    names : dict name → Tensor, optional
        Names for tensors, as in ``draw`` and ``explain``. A forward run inside
        ``ag.record_modules(model)`` names its graph itself (for an ``nn.MLP`` the
        document's x, W1, u1, y1, δ1, …, E, with its layers' formulas in column notation).
    forward : bool
        Step through the forward pass first, op by op, values appearing.
    max_ops : int or None
        Draw and step through at most this many ops, those nearest the output (as
        ``draw``); the page says how many were left out. None: all.
    rankdir : "TB", "LR", "BT" or "RL"
        Direction of the drawing: top to bottom by default, as ``draw``.
    gradient : array_like, optional
        ∂E/∂output to start from, for an output of more than one element (as ``backward``).
    expand_loss : bool
        Step through the loss's own ops. By default the ops a recorded model's loss adds
        after the model are one node E, one step (as ``nn.draw_graph``).
    wait : bool
        In the quiz, Next waits for a right answer, Reveal or Skip.
    lang : "en", "zh" or None
        The language of the page's words (its ``<html lang>``, aria-labels, status line,
        panel and notes; the maths stays as it is). None: ``ag.set_language``'s, English
        by default. ``"zh"`` uses the terms of docs/zh/glossary.md: the controls read
        上一步, 播放, 下一步 and the status "第 k 步 / 共 n 步".

    For a recorded ``nn.MLP`` the page also has a layer view: one column per layer with
    u_l, y_l and δ_l, W_l on the edges, stepping through the same record, each backward
    step with its equation of S12–S16 and the numbers filled in.

    Returns
    -------
    Animation
        Shows itself in Jupyter (where scripts do not run: the graph's final state and how
        to play it); ``.save(path)`` writes one self-contained HTML page,
        ``.save_frames(folder)`` one SVG per step. The page fits the graph to its stage
        (zoom in, zoom out, fit; drag to pan); controls: Next, Previous, Play, a slider,
        ← → and space; the status line reads "step k / n".
    """
    with language(lang) as spoken:
        return _animate(output, quiz, names, forward, max_ops, rankdir, gradient, expand_loss,
                        wait, spoken)


def _animate(output: Tensor, quiz: bool, names: dict[str, Tensor] | None, forward: bool,
             max_ops: int | None, rankdir: str, gradient: Any, expand_loss: bool, wait: bool,
             lang: str) -> Animation:
    """``animate`` in the language ``lang``, which the words table speaks meanwhile."""
    if not isinstance(output, Tensor) or not output.requires_grad:
        raise TypeError("animate: output must be a Tensor that requires grad, got "
                        f"{type(output).__name__}")
    if max_ops is not None and max_ops < 1:
        raise ValueError(f"animate: max_ops must be None or ≥ 1, got {max_ops}")
    check_names(names, "animate")
    check_layout("animate", rankdir)
    view = walk([output])
    told = notation(view, output)
    names = {**told.names, **(names or {})}
    explanation = explain(output, gradient=gradient, names=names)
    collapse = {} if expand_loss else told.collapse(output)
    groups = collapsed_ops(view, collapse)
    labels = tensor_labels(view, names)
    labels.update((tensor_key(end), label) for label, (end, _) in collapse.items())
    keys = {name: key for key, name in labels.items()}
    formulas = {keys[name]: text for name, text in told.formulas.items() if name in keys}
    options = {"show_grad": False, "names": names, "rankdir": rankdir, "max_ops": max_ops,
               "collapse": collapse,  # an op's tooltip: the recorded model's formula
               "formulas": {name: text for name, text in told.formulas.items() if name in names}}
    plain = drawing(view, **options)
    moved = moves(explanation, plain.ops, plain.tensors, groups, labels, formulas)
    places = reserved_places(arrivals(moved), plain.tensors, labels)
    drawn = drawing(view, **options, reserved=places, hint=told.hint, **SPACING)
    picture = Picture(drawn.dot.pipe(format="svg"),
                      tensor_titles(drawn.tensors, drawn.ops, labels, drawn.drawn))
    frames = build_frames(explanation, moved, view, drawn.tensors, groups, labels, forward)
    for frame, move in zip(frames[len(frames) - len(moved):], moved, strict=True):
        frame.layer = equations(move, names, labels)
    hidden = len(view.ops) - len(groups) - len(drawn.drawn)
    note = (say("cut", ops=f"{len(view.ops):,}", drawn=f"{len(drawn.drawn):,}",
                hidden=f"{hidden:,}") if hidden else say("record_hint") if told.hint else "")
    return Animation(explanation, frames, picture, quiz, note, wait,
                     layer_picture(names, drawn.tensors), lang)


__all__ = ["Animation", "animate"]
