"""The viewers: they read a graph and the record of a backward pass, and never change
either. ``draw`` (Graphviz), ``explain`` (the chain rule step by step, as text, HTML or
LaTeX) and ``animate`` (the step-through player). The engine does not import them."""

from autograd.show.animate import animate
from autograd.show.draw import draw
from autograd.show.explain import explain

__all__ = ["animate", "draw", "explain"]
