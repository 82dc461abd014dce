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

from autograd.graph import check_names, tensor_labels, walk
from autograd.show.explain import Explanation, explain
from autograd.show.player.frames import Frame, arrivals, build_frames, cumulative, reserved_rows
from autograd.show.player.graph import (
    Picture,
    drawing,
    graph_ids,
    reserve_gradient_rows,
    tensor_titles,
)
from autograd.tensor import Tensor

#: A quiz answer counts as right within this relative error, or this absolute error
#: (for answers near zero).
QUIZ_RTOL = 0.01
QUIZ_ATOL = 1e-4
#: The notebook's picture for viewers that run no script (the page itself needs none).
FALLBACK = Template('<img class="ag-fallback" alt="$alt" src="data:image/svg+xml;base64,$data">')


def _asset(name: str) -> str:
    return files("autograd.show.player").joinpath(name).read_text(encoding="utf-8")


class Animation:
    """The backward pass of one output as a step-through (see ``animate``).

    ``frames`` are the steps (frame 0 is the graph before the first one); ``explanation``
    is the ``ag.explain`` record they are read from; ``note`` says what was left out.
    """

    def __init__(self, explanation: Explanation, frames: list[Frame], picture: Picture,
                 quiz: bool, note: str) -> None:
        self.explanation = explanation
        self.frames = frames
        self.picture = picture
        self.quiz = quiz
        self.note = note

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
        place, with the ``ag.explain`` table."""
        picture = base64.b64encode(self.frame_svg(len(self)).encode()).decode()
        return self._fragment(FALLBACK.substitute(
            alt=html.escape(f"the backward pass of {self.explanation.output}, final state"),
            data=picture))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self._repr_html_(), "text/plain": repr(self)}

    def _fragment(self, fallback: str) -> str:
        frames = [asdict(f) if self.quiz else {**asdict(f), "quiz": []} for f in self.frames]
        data = {"quiz": self.quiz, "rtol": QUIZ_RTOL, "atol": QUIZ_ATOL, "frames": frames}
        states, grads = cumulative(self.frames, len(self))
        title = f"backward pass of {self.explanation.output}"
        return Template(_asset("fragment.html")).substitute(
            label=html.escape(f"{title}, step by step"),
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
            title=html.escape(f"backward pass of {self.explanation.output}"),
            fragment=self._fragment(fallback=""))
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
            forward: bool = True, max_ops: int | None = 500, rankdir: str = "LR",
            gradient: Any = None) -> Animation:
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
        10⁻⁴) are right. The answers come from the record.
    names : dict name → Tensor, optional
        Names for tensors, as in ``draw`` and ``explain`` (for an ``nn.MLP``, the
        document's u_l, y_l, W_l: ``nn.drawing.document_names``).
    forward : bool
        Step through the forward pass first, op by op, values appearing.
    max_ops : int or None
        Draw and step through at most this many ops, those nearest the output (as
        ``draw``); the page says how many were left out. None: all.
    rankdir : "LR", "TB", "RL" or "BT"
        Direction of the drawing.
    gradient : array_like, optional
        ∂E/∂output to start from, for an output of more than one element (as ``backward``).

    Returns
    -------
    Animation
        Shows itself in Jupyter; ``.save(path)`` writes one self-contained HTML page,
        ``.save_frames(folder)`` one SVG per step. Controls: Next, Previous, Play, a slider,
        ← → and space; the status line reads "step k / n".
    """
    if not isinstance(output, Tensor) or not output.requires_grad:
        raise TypeError("animate: output must be a Tensor that requires grad, got "
                        f"{type(output).__name__}")
    if max_ops is not None and max_ops < 1:
        raise ValueError(f"animate: max_ops must be None or ≥ 1, got {max_ops}")
    check_names(names, "animate")
    explanation = explain(output, gradient=gradient, names=names)
    view = walk([output])
    labels = tensor_labels(view, names)
    dot, drawn = drawing(output, view, names, rankdir, max_ops)
    ids = graph_ids(dot, view, drawn)
    reserve_gradient_rows(dot, reserved_rows(arrivals(explanation.steps), ids, labels))
    picture = Picture(dot.pipe(format="svg"), tensor_titles(ids, labels, drawn))
    frames = build_frames(explanation, view, ids, labels, forward)
    hidden = len(view.ops) - len(drawn)
    note = (f"This graph has {len(view.ops):,} ops; the {len(drawn):,} nearest the output "
            f"are drawn and stepped through, {hidden:,} are left out "
            "(ag.animate(..., max_ops=None) shows all)." if hidden else "")
    return Animation(explanation, frames, picture, quiz, note)


__all__ = ["Animation", "animate"]
