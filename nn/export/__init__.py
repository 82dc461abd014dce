"""Graduating a model to PyTorch and ONNX, verified.

``to_torch(model)`` rebuilds an ``nn.MLP`` or ``nn.Sequential`` as a
``torch.nn.Sequential`` with the same weights; ``verify(model, torch_model, x, t)``
checks that both compute the same outputs, loss and parameter gradients;
``to_onnx(model, path, example_input)`` writes the network as an ONNX graph of Gemm and
activation nodes, checked by ``onnx.checker`` and, where onnxruntime is installed, run
against our outputs.

torch, onnx and onnxruntime are the optional ``export`` extra
(``pip install 'backprop-primer[export]'``); they are imported only when one of these
functions runs, so ``import nn`` never needs them.
"""

from nn.export.onnx_graph import OnnxExport, to_onnx
from nn.export.plan import UnsupportedModuleError
from nn.export.pytorch import to_torch
from nn.export.verify import Report, VerificationError, verify

__all__ = ["OnnxExport", "Report", "UnsupportedModuleError", "VerificationError", "to_onnx",
           "to_torch", "verify"]
