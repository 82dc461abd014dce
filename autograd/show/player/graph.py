"""The animation's picture: ``ag.draw``'s graph as an SVG whose parts can change per step.

``autograd.show.draw.drawing`` names its Graphviz nodes (``op3``, ``tensor5``) and gives
each tensor that receives a gradient a place beside its data — a grid as wide as the
widest numbers it will show (``frames.reserved_places``) — whose texts the player
rewrites step by step. The SVG is tagged here: ``data-id`` on nodes (``op3``,
``tensor5``) and edges (``tensor5->op3``), class ``grad-line`` on the rewritable texts.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from autograd.function import Function
from autograd.show.draw import GRAD_COLOUR

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_MARK = "\ue000"  # a private-use character: no label or number contains it
_MARKER = re.compile(f"{_MARK}([ct][0-9.]+){_MARK}")


class Picture:
    """The tagged SVG; ``render(states, grads, current, edges)`` writes one state of it.

    The tree is serialized once, with a marker where each node's or edge's class and each
    gradient line go; a state is written by replacing the markers (a 500-op graph has
    some 15,000 SVG elements: serializing them per step would take a second)."""

    def __init__(self, svg: bytes, titles: dict[str, str]) -> None:
        root = ET.fromstring(svg)
        for element in root.iter():  # plain names: the SVG goes inline into HTML
            element.tag = element.tag.split("}")[-1]
            for name in [n for n in element.attrib if n.startswith(f"{{{XLINK_NS}}}")]:
                element.set("xlink:" + name.split("}")[-1], element.attrib.pop(name))
        root.set("class", "ag-graph")
        self.parts: list[tuple[str, str, int]] = []  # (data-id, graphviz class, lines)
        for group in root.iter("g"):
            kind = group.get("class")
            title = group.find("title")
            if kind not in ("node", "edge") or title is None or title.text is None:
                continue
            name = title.text
            group.set("data-id", name)
            group.set("class", f"{_MARK}c{len(self.parts)}{_MARK}")
            title.text = titles.get(name, "")
            texts = [t for t in group.iter("text") if t.get("fill") == GRAD_COLOUR]
            for n, text in enumerate(texts):
                text.set("class", "grad-line")
                text.set("data-line", str(n))
                text.text = f"{_MARK}t{len(self.parts)}.{n}{_MARK}"
            self.parts.append((name, kind, len(texts)))
        self.template = ET.tostring(root, encoding="unicode")

    def render(self, states: dict[str, str], grads: dict[str, list[str]],
               current: list[str] = (), edges: list[str] = (), standalone: bool = False,
               style: str = "") -> str:
        """The SVG text with node/edge classes and gradient lines of one step."""
        values = {}
        for i, (name, kind, count) in enumerate(self.parts):
            classes = [kind, states.get(name, "")]
            classes += ["current"] if name in current else []
            classes += ["active"] if name in edges else []
            values[f"c{i}"] = " ".join(c for c in classes if c)
            lines = grads.get(name, [])
            values.update((f"t{i}.{n}", html.escape(lines[n] if n < len(lines) else "",
                                                    quote=False)) for n in range(count))
        svg = _MARKER.sub(lambda m: values[m.group(1)], self.template)
        if standalone:
            head = svg.index(">") + 1
            svg = (f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"' + svg[4:head]
                   + (f"<style>{html.escape(style, quote=False)}</style>" if style else "")
                   + svg[head:])
        return svg


def tensor_titles(tensors: dict[int, str], ops: dict[int, str], labels: dict[int, str],
                  drawn: list[Function]) -> dict[str, str]:
    """Tooltips: the tensor's label for tensor nodes, the op's name for op nodes."""
    titles = {name: labels[key] for key, name in tensors.items() if key in labels}
    titles.update((ops[id(node)], node.name) for node in drawn)
    return titles
