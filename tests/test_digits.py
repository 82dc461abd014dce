"""The digits bar: an MLP 64-128-10 (ReLU, cross-entropy, Adam) reaches
at least 97 % accuracy on a fixed 25 % test split of scikit-learn's 8×8 digits."""

import numpy as np

import autograd as ag
import nn.data as data
from nn import functional as F
from nn.mlp import MLP
from nn.optim import Adam
from nn.train import evaluate, fit


def test_mlp_64_128_10_reaches_97_percent_on_digits():
    X_train, X_test, y_train, y_test = data.train_test_split(*data.load_digits(), 0.25, seed=0)
    assert (len(X_train), len(X_test)) == (1347, 450)
    ag.set_default_dtype(np.float32)
    try:
        ag.manual_seed(0)
        model = MLP([64, 128, 10], activation="relu")
    finally:
        ag.set_default_dtype(np.float64)
    history = fit(model, F.cross_entropy, Adam(model.parameters(), lr=1e-3), X_train, y_train,
                  epochs=40, batch_size=32, progress=False, seed=0)
    assert history["loss"][-1] < 0.1 * history["loss"][0]
    _, accuracy = evaluate(model, F.cross_entropy, X_test, y_test)
    # Independent check of the accuracy: the forward pass in NumPy.
    W1, b1 = model.layers[0].weight.data, model.layers[0].bias.data
    W2, b2 = model.layers[1].weight.data, model.layers[1].bias.data
    logits = np.maximum(X_test @ W1.T + b1, 0) @ W2.T + b2
    assert accuracy == np.mean(logits.argmax(axis=1) == y_test)
    assert accuracy >= 0.97, f"test accuracy {accuracy:.2%}"
