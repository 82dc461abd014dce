# Every loss module on fixed inputs, and a small regression fitted with each optimizer.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0], [-1.0, 2.5, 0.0]], requires_grad=True)
labels = torch.tensor([0, 2, 1])
probs = torch.tensor([0.9, 0.2, 0.6])
targets = torch.tensor([1.0, 0.0, 1.0])

for loss_fn, args in [
    (nn.CrossEntropyLoss(), (logits, labels)),
    (nn.CrossEntropyLoss(reduction="sum", label_smoothing=0.1), (logits, labels)),
    (nn.NLLLoss(), (F.log_softmax(logits, dim=1), labels)),
    (nn.MSELoss(), (logits[:, 0], targets)),
    (nn.L1Loss(reduction="sum"), (logits[:, 1], targets)),
    (nn.BCELoss(), (probs, targets)),
    (nn.BCEWithLogitsLoss(), (logits[:, 2], targets)),
]:
    loss = loss_fn(*args)
    print(type(loss_fn).__name__, round(loss.item(), 6))
print("l1:", round(F.l1_loss(logits[:, 0], targets).item(), 6))
loss = nn.CrossEntropyLoss()(logits, labels) + F.mse_loss(logits.sum(1), targets)
loss.backward()
print("grad:", [[round(v, 6) for v in row] for row in logits.grad.tolist()])

x = torch.linspace(-1, 1, 20).unsqueeze(1)
target = 0.7 * x.pow(2) - 0.3 * x + 0.1
for name, make in [
    ("SGD", lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9)),
    ("Adam", lambda ps: optim.Adam(ps, lr=0.05)),
    ("AdamW", lambda ps: optim.AdamW(ps, lr=0.05, weight_decay=0.1)),
    ("RMSprop", lambda ps: optim.RMSprop(ps, lr=0.01)),
]:
    model = nn.Sequential(nn.Linear(1, 4), nn.Tanh(), nn.Linear(4, 1))
    with torch.no_grad():
        for k, p in enumerate(model.parameters()):
            p.copy_(torch.linspace(-0.4, 0.6, p.numel()).view(p.shape) * (k + 1))
    optimizer = make(model.parameters())
    loss_fn = nn.MSELoss()
    for _ in range(50):
        optimizer.zero_grad()
        loss = loss_fn(model(x), target)
        loss.backward()
        optimizer.step()
    print(f"{name}: {loss.item():.6f}")
