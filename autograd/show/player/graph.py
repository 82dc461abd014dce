"""The animation's picture: ``ag.draw``'s graph as an SVG whose parts can change per step.

``draw`` names its Graphviz nodes ``op1, op2, …`` in the breadth-first order of
``viz.walk`` and joins each op to its result and its inputs with edges; the DOT source's
edges therefore tell which Graphviz node shows which tensor. Each tensor that receives a
gradient gets one extra row in its label (reserved at the width of the longest text it
will show), whose lines the player rewrites step by step. The SVG is then tagged:
``data-id`` on nodes (``op3``, ``tensor5``) and edges (``tensor5->op3``), class
``grad-line`` on the rewritable text lines.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from autograd.function import Function
from autograd.graph import GraphView, is_tensor_input, tensor_key
from autograd.show.draw import draw

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
#: Colour of the gradient rows (``ag.draw``'s gradient colour); drawn with show_grad=False,
#: so no other text of the picture has it.
GRAD_COLOUR = "#b71c1c"
_MARK = "\ue000"  # a private-use character: no label or number contains it
_MARKER = re.compile(f"{_MARK}([ct][0-9.]+){_MARK}")
_EDGE = re.compile(r"^\s*(\w+) -> (\w+)", re.MULTILINE)


@dataclass
class GraphIds:
    """Graphviz names: ``ops`` (id(node) → ``op3``), ``tensors`` (tensor key →
    ``tensor5``) and ``edges`` ((tail, head) → ``tensor5->op3``) of the drawn part."""

    ops: dict[int, str]
    tensors: dict[int, str]

    def edge(self, tail: str, head: str) -> str:
        return f"{tail}->{head}"

    def output_of(self, node: Function) -> str:
        return self.tensors[id(node)]


def graph_ids(dot: Any, view: GraphView, drawn: list[Function]) -> GraphIds:
    """Which Graphviz node of ``dot`` (made by ``draw`` from ``view``) shows which op and
    tensor, read from the edges: ``opI -> X`` is op I's result, ``Y -> opI`` its inputs in
    the order of ``view.uses``."""
    ops = {id(node): f"op{i}" for i, node in enumerate(drawn, start=1)}
    heads: dict[str, list[str]] = {}
    tails: dict[str, list[str]] = {}
    for tail, head in _EDGE.findall(dot.source):
        heads.setdefault(tail, []).append(head)
        tails.setdefault(head, []).append(tail)
    tensors: dict[int, str] = {}
    for node in drawn:
        op = ops[id(node)]
        inputs = [key for key, _ in view.uses[id(node)]]
        made, used = heads.get(op, []), tails.get(op, [])
        if len(made) != 1 or len(used) != len(inputs):
            raise RuntimeError(f"animate: ag.draw's node {op} has {len(made)} result and "
                               f"{len(used)} input edges, expected 1 and {len(inputs)}")
        tensors[id(node)] = made[0]
        tensors.update(zip(inputs, used, strict=True))
    for key in view.roots:  # an output that is a leaf has no op
        tensors.setdefault(key, "tensor1")
    return GraphIds(ops, tensors)


def drawing(output: Any, view: GraphView, names: dict | None, rankdir: str,
            max_ops: int | None) -> tuple[Any, list[Function]]:
    """``ag.draw``'s graph of ``output`` (data shown, gradients left to the player) and
    the ops it draws."""
    dot = draw(output, show_data=True, show_grad=False, names=names, rankdir=rankdir,
               max_ops=max_ops)
    drawn = view.ops if max_ops is None else view.ops[:max_ops]
    return dot, drawn


def reserve_gradient_rows(dot: Any, rows: dict[str, list[str]]) -> None:
    """Add to each tensor node named in ``rows`` a row of ``len(lines)`` lines in the
    gradient colour, as wide as ``lines``; the player rewrites these lines per step."""
    for i, line in enumerate(dot.body):
        match = re.match(r"\s*(\w+) \[label=<", line)
        if match is None or match.group(1) not in rows or "</TABLE>>" not in line:
            continue
        text = "<BR/>".join(html.escape(part) for part in rows[match.group(1)])
        row = (f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT COLOR="{GRAD_COLOUR}">{text}'
               "</FONT></TD></TR>")
        at = line.rindex("</TABLE>>")
        dot.body[i] = line[:at] + row + line[at:]


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


def tensor_titles(ids: GraphIds, labels: dict[int, str], drawn: list[Function]) -> dict:
    """Tooltips: the tensor's label for tensor nodes, the op's name for op nodes."""
    titles = {name: labels[key] for key, name in ids.tensors.items() if key in labels}
    titles.update((ids.ops[id(node)], node.name) for node in drawn)
    return titles


def input_ids(ids: GraphIds, node: Function) -> list[str]:
    """The Graphviz names of the tensors ``node`` consumes (one per distinct tensor)."""
    seen = dict.fromkeys(ids.tensors[tensor_key(x)] for x in node.inputs
                         if is_tensor_input(x) and tensor_key(x) in ids.tensors)
    return list(seen)
