"""nn: neural-network modules built on autograd.

Modules and Parameters (``nn.module``), layers and activations (``nn.layers``), the
historical units (``nn.neurons``), the multilayer perceptron (``nn.mlp``), losses and
activations as functions (``nn.functional``), initialisers (``nn.init``), optimizers
(``nn.optim``) and saving (``nn.serialization``). Sub-packages added later are imported
below with the others (``from nn import data``) or on their own (``import nn.data``).
"""

# functional first: nn.losses (which it re-exports) imports from it.
from nn import functional  # isort: split

from nn import init, optim
from nn.layers import Dropout, Identity, Linear, ReLU, Sigmoid, Sign, Softmax, Step, Tanh
from nn.mlp import MLP
from nn.module import Module, ModuleList, Parameter, Sequential
from nn.neurons import ConvergenceWarning, MCPNeuron, Perceptron
from nn.serialization import load, save

__all__ = [
    "MLP", "ConvergenceWarning", "Dropout", "Identity", "Linear", "MCPNeuron", "Module",
    "ModuleList", "Parameter", "Perceptron", "ReLU", "Sequential", "Sigmoid", "Sign",
    "Softmax", "Step", "Tanh", "functional", "init", "load", "optim", "save",
]
