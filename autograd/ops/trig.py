"""Trigonometric functions: sin and cos, each the other's derivative (up to sign)."""

from __future__ import annotations

import numpy as np

from autograd.function import Function


class Sin(Function):
    name = "sin"
    formula = "∂sin a/∂a = cos a"

    forward = staticmethod(np.sin)

    def backward(self, grad, a):
        return (grad * np.cos(a),)


class Cos(Function):
    name = "cos"
    formula = "∂cos a/∂a = −sin a"

    forward = staticmethod(np.cos)

    def backward(self, grad, a):
        return (-grad * np.sin(a),)


def sin(a): return Sin.apply(a)
def cos(a): return Cos.apply(a)
