"""nn: neural-network modules built on autograd (placeholder until the nn issue lands)."""
