"""A hook that returns something that is not a gradient: the error names the hook, what it
returned, and the gradient's shape (PyTorch: ``TypeError: expected Variable, but hook
returned 'str'``), and no ``.grad`` has changed."""

from __future__ import annotations

import pytest

import autograd as ag


def my_hook(grad):
    return "oops"


@pytest.mark.parametrize("on", ["leaf", "non-leaf"])
def test_a_hook_returning_a_non_gradient_is_a_type_error_naming_the_hook(on):
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    y = x * 2.0
    (x if on == "leaf" else y).register_hook(my_hook)
    with pytest.raises(TypeError, match=r"hook my_hook .*returned 'oops' \(str\).*"
                                        r"shape \(2,\)"):
        y.sum().backward()
    assert x.grad is None
