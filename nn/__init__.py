"""nn: neural-network modules built on autograd.

Modules and Parameters (``nn.module``), layers and activations (``nn.layers``), the
historical units (``nn.neurons``), the multilayer perceptron (``nn.mlp``), losses and
activations as functions (``nn.functional``), initialisers (``nn.init``), optimizers
(``nn.optim``), saving (``nn.serialization``), data sets (``nn.data``), the training
loop (``nn.train``), the document's hand derivation (``nn.backprop``), the exhaustive
threshold-unit search (``nn.logic``), layer diagrams (``nn.drawing``), the
export to PyTorch and ONNX (``nn.export``), learning without labels or with few
(``nn.paradigms``, S20) and the notebooks' exercise checkers (``nn.exercises``).
"""

# functional first: nn.losses (which it re-exports) imports from it.
from nn import functional  # isort: split

from nn import backprop, data, exercises, export, init, logic, optim, paradigms
from nn.activations import (
    ELU,
    GELU,
    Flatten,
    Hardtanh,
    Identity,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Sign,
    SiLU,
    Softmax,
    Softplus,
    Step,
    Tanh,
)
from nn.layers import Dropout, Linear
from nn.loss_modules import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
)
from nn.mlp import MLP
from nn.module import Module, ModuleDict, ModuleList, Parameter, Sequential
from nn.neurons import ConvergenceWarning, MCPNeuron, Perceptron
from nn.serialization import load, save
from nn.train import evaluate, fit

from nn.drawing import draw_graph, draw_model  # isort: skip  (after the modules it draws)

__all__ = [
    "ELU",
    "GELU",
    "MLP",
    "BCELoss",
    "BCEWithLogitsLoss",
    "ConvergenceWarning",
    "CrossEntropyLoss",
    "Dropout",
    "Flatten",
    "Hardtanh",
    "Identity",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "LogSigmoid",
    "LogSoftmax",
    "MCPNeuron",
    "MSELoss",
    "Module",
    "ModuleDict",
    "ModuleList",
    "NLLLoss",
    "Parameter",
    "Perceptron",
    "ReLU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "Sign",
    "Softmax",
    "Softplus",
    "Step",
    "Tanh",
    "backprop",
    "data",
    "draw_graph",
    "draw_model",
    "evaluate",
    "exercises",
    "export",
    "fit",
    "functional",
    "init",
    "load",
    "logic",
    "optim",
    "paradigms",
    "save",
]
