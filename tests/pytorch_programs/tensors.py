# The "Tensors" tutorial's idioms: creation, attributes, indexing, joining, arithmetic,
# the NumPy bridge, shapes, casts and devices.
import numpy as np
import torch

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"Using {device} device")

data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)
np_array = np.array(data)
x_np = torch.from_numpy(np_array)
x_ones = torch.ones_like(x_data)
print("ones like:", x_ones.tolist())
x_rand = torch.rand_like(x_data, dtype=torch.float)
print("rand like shape:", tuple(x_rand.shape), x_rand.dtype == torch.float32)

shape = (2, 3)
print(torch.zeros(shape).tolist(), torch.ones(shape).sum().item())
print("empty shape:", tuple(torch.empty(2, 3).size()))

tensor = torch.ones(4, 4, device=device)
print("device:", tensor.device)
print("First row:", tensor[0].tolist())
print("Last column:", tensor[..., -1].tolist())
tensor[:, 1] = 0
t1 = torch.cat([tensor, tensor, tensor], dim=1)
print("cat:", t1.size(), t1.size(1), t1.numel())
y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)
print("matmul equal:", (y1 == y2).all().item())
z1 = tensor * tensor
z2 = tensor.mul(tensor)
print("mul:", (z1 == z2).all().item(), z1.sum().item())
agg = tensor.sum()
print("agg:", agg.item(), type(agg.item()).__name__)
tensor.add_(5)
print("add_:", tensor[0].tolist())

t = torch.ones(5)
n = t.numpy()
t.add_(1)
print("shared:", n.tolist())
n = np.ones(5)
t = torch.from_numpy(n)
np.add(n, 1, out=n)
print("from_numpy shares:", t.tolist())

x = torch.arange(12.0).view(3, 4)
print("view:", x.view(-1).shape == (12,), x.view(4, 3).size())
print("transpose:", x.transpose(0, 1).tolist())
print("flatten:", x.reshape(3, 2, 2).flatten(1).size(), torch.flatten(x).size())
print("clamp:", x.clamp(min=2.0, max=9.0)[0].tolist())
print("mm:", torch.mm(x, x.t()).tolist())
print("dtypes:", x.long().dtype == torch.long, x.int().dtype == torch.int32,
      x.double().dtype == torch.double, x.float().dtype == torch.float32)
print("to:", x.to(device).dtype == x.dtype, x.to(torch.float64).dtype == torch.float64)
print("new:", x.new_zeros(2, 2).tolist(), x.new_ones((1, 3)).tolist())
i = torch.tensor([5, 6, 7], dtype=torch.int32)
print("bitwise:", (i & 3).tolist(), (i & 3).dtype == torch.int32, (i | 8).tolist())
r = torch.randint(3, 10, (2, 2))
print("randint:", tuple(r.shape), r.dtype == torch.long, bool(((r >= 3) & (r < 10)).all()))
print("randperm:", sorted(torch.randperm(5).tolist()))
