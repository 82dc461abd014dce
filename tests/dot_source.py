"""Reading ``ag.draw``'s DOT source in tests: nodes, edges, names, shown values, clusters."""

import re

import numpy as np

NODE = re.compile(r"^\t+(\w+) \[label=(.*)\]$", re.M)
EDGE = re.compile(r"^\t+(\w+) -> (\w+)(?: \[(.*)\])?$", re.M)


def nodes(source):
    """DOT node name → its attribute text."""
    return dict(NODE.findall(source))


def edges(source):
    return [(tail, head, attrs) for tail, head, attrs in EDGE.findall(source)]


def node_named(source, name):
    """The DOT id of the tensor node whose bold title is ``name``."""
    found = [n for n, attrs in nodes(source).items() if f"<B>{name}</B>" in attrs]
    assert len(found) == 1, (name, found)
    return found[0]


def label(attrs):
    """The HTML label of a node's attribute text (without its tooltip)."""
    return attrs.split(">> ")[0]


def shown(attrs, caption):
    """The numbers a node's label shows after ``caption`` (a grid of rows), as an array."""
    row = re.search(r'<TD ALIGN="LEFT">(?:<FONT COLOR="[^"]+">)?' + re.escape(caption)
                    + r'(?:</FONT>)? </TD>(.*?)</TABLE>', attrs)
    assert row is not None, (caption, attrs)
    return np.array([[float(v) for v in re.findall(r'<TD ALIGN="RIGHT">(?:<FONT[^>]*>)?([^<]+)',
                                                   line)]
                     for line in re.findall(r"<TR>(.*?)</TR>", row.group(1))])


def clusters(source):
    """Cluster label → the node ids inside it, nested clusters included."""
    inside, stack = {}, []
    for line in source.splitlines():
        if line.strip().startswith("subgraph cluster"):
            stack.append(None)
        elif line.strip().startswith("graph [") and stack and stack[-1] is None:
            stack[-1] = re.search(r'label=("[^"]*"|\S+)', line).group(1).strip('"')
            inside[stack[-1]] = []
        elif line.strip() == "}" and stack:
            stack.pop()
        elif (m := NODE.match(line)) and stack:
            for label in stack:
                inside[label].append(m.group(1))
    return inside
