# The Quickstart's shape: an nn.Module subclass, a loss module, an optimizer, a training
# loop with zero_grad/backward/step, evaluation under no_grad, and the state dict saved
# and loaded. The data and the starting weights are computed, not drawn, so that both
# libraries start from the same numbers.
import os
import tempfile

import torch
from torch import nn, optim

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(2 * 3, 8),
            nn.ReLU(),
            nn.Linear(8, 8),
            nn.Tanh(),
            nn.Linear(8, 3),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


def initialise(model):
    with torch.no_grad():
        for k, (_name, p) in enumerate(model.named_parameters()):
            values = torch.linspace(-0.5, 0.5, p.numel()) * (1 + 0.1 * k)
            p.copy_(torch.sin(3.0 * values).view(p.shape))


X = torch.sin(torch.arange(0.0, 96.0).view(16, 2, 3) * 0.37)
y = (X.sum(dim=(1, 2)) > 0).long() + (X[:, 0, 0] > 0.5).long()

model = NeuralNetwork().to(device)
initialise(model)
print(model.linear_relu_stack[0].weight.size())
loss_fn = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.3, momentum=0.5)


def train(X, y, model, loss_fn, optimizer):
    model.train()
    X, y = X.to(device), y.to(device)
    pred = model(X)
    loss = loss_fn(pred, y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()


def test(X, y, model, loss_fn):
    model.eval()
    with torch.no_grad():
        pred = model(X)
        test_loss = loss_fn(pred, y).item()
        correct = (pred.argmax(1) == y).type(torch.float).sum().item()
    return test_loss, correct / len(y)


for epoch in range(40):
    loss = train(X, y, model, loss_fn, optimizer)
    if epoch % 10 == 0:
        print(f"epoch {epoch}: loss {loss:>7f}")
test_loss, accuracy = test(X, y, model, loss_fn)
print(f"Test Error: Accuracy: {(100 * accuracy):>0.1f}%, Avg loss: {test_loss:>8f}")

folder = tempfile.mkdtemp()
path = os.path.join(folder, "model.pth")
torch.save(model.state_dict(), path)
print("Saved PyTorch Model State")
model2 = NeuralNetwork().to(device)
model2.load_state_dict(torch.load(path))
model2.eval()
with torch.no_grad():
    same = (model2(X) == model(X)).all().item()
print("loaded model agrees:", same)

checkpoint = os.path.join(folder, "checkpoint.pth")
torch.save({"epoch": 40, "model_state_dict": model.state_dict(), "loss": test_loss}, checkpoint)
loaded = torch.load(checkpoint)
print("checkpoint:", loaded["epoch"], round(loaded["loss"], 6), sorted(loaded["model_state_dict"]))
os.remove(path)
os.remove(checkpoint)
os.rmdir(folder)
