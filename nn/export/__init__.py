"""Graduating a model to PyTorch and ONNX, verified.

``to_torch(model[, example])`` rebuilds an ``nn.MLP`` or ``nn.Sequential`` as a
``torch.nn.Sequential`` with the same weights, and any other model (a Module subclass
with its own ``forward``) from its graph recorded on ``example``, op by op;
``from_torch(torch_sequential)`` is the way back; ``verify(model, torch_model, x, t)``
checks that both compute the same outputs, loss and parameter gradients;
``to_onnx(model, path, example_input)`` writes any model, recorded on the example, as an
ONNX graph (a Gemm per linear op on a batch, a node or a few per other op), checked by
``onnx.checker`` and, where onnxruntime is installed, run against our outputs.

torch, onnx and onnxruntime are the optional ``export`` extra
(``pip install 'backprop-primer[export]'``); they are imported only when one of these
functions runs, so ``import nn`` never needs them.
"""

from nn.export.onnx_graph import OnnxExport, to_onnx
from nn.export.plan import UnsupportedModuleError
from nn.export.pytorch import from_torch, to_torch
from nn.export.verify import Report, VerificationError, verify

__all__ = ["OnnxExport", "Report", "UnsupportedModuleError", "VerificationError", "from_torch",
           "to_onnx", "to_torch", "verify"]
