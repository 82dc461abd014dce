# "Automatic differentiation with torch.autograd": a one-layer network, its gradients,
# disabling tracking, and the Jacobian-vector product.
import torch
import torch.nn.functional as F

x = torch.ones(5)
y = torch.zeros(3)
w = torch.linspace(-1.0, 1.0, 15).reshape(5, 3).requires_grad_()
b = torch.tensor([0.1, -0.2, 0.3], requires_grad=True)
z = torch.matmul(x, w) + b
loss = F.binary_cross_entropy_with_logits(z, y)
print("loss:", round(loss.item(), 6))
loss.backward()
print("w.grad:", [[round(v, 6) for v in row] for row in w.grad.tolist()])
print("b.grad:", [round(v, 6) for v in b.grad.tolist()])

z = torch.matmul(x, w) + b
print(z.requires_grad)
with torch.no_grad():
    z = torch.matmul(x, w) + b
print(z.requires_grad)
z_det = (torch.matmul(x, w) + b).detach()
print(z_det.requires_grad)

inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad.tolist()}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nSecond call\n{inp.grad.tolist()}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nCall after zeroing gradients\n{inp.grad.tolist()}")

a = torch.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], requires_grad=True)
s = a.softmax(dim=1)
values, indices = a.max(dim=1)
print("softmax rows:", [round(v, 6) for v in s.sum(dim=1).tolist()])
print("max:", values.tolist(), indices.tolist())
loss = (s * torch.arange(3.0)).sum() + values.sum() + a.mean(dim=0, keepdim=True).sum()
loss.backward()
print("a.grad:", [[round(v, 6) for v in row] for row in a.grad.tolist()])
print("std:", round(a.std(dim=1)[0].item(), 6))
print("var:", round(a.var(dim=1, unbiased=False)[1].item(), 6))
