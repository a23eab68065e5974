#!/usr/bin/env python3
"""DERIVATIONS.md case 22: two hot-standby pairs sharing one repair crew, first come,
first served. Written by an independent helper from the model's prose (issue 14, the
simulation hunt): the chain of ordered queues of failed members over four members, each
MTBF 10 d and MTTR 2 d, solved in exact rationals. Prints P(pair a both down), P(either
pair both down), and the two figures a crew per pair or no crew limit would give."""
import itertools
from fractions import Fraction as F

lam = F(1, 10)  # failures per day
mu = F(1, 2)    # repairs per day
states = []
for k in range(5):
    for p in itertools.permutations(range(4), k):
        states.append(p)
idx = {s: i for i, s in enumerate(states)}
n = len(states)
Q = [[F(0)] * n for _ in range(n)]
for s in states:
    i = idx[s]
    for c in range(4):
        if c not in s:
            Q[i][idx[s + (c,)]] += lam
    if s:  # one crew: the first in the queue is repaired
        Q[i][idx[s[1:]]] += mu
for i in range(n):
    Q[i][i] = -sum(Q[i])
# pi Q = 0, sum pi = 1: rows of Q^T, the last replaced by ones
M = [[Q[j][i] for j in range(n)] for i in range(n)]
M[-1] = [F(1)] * n
b = [F(0)] * n
b[-1] = F(1)
for c in range(n):
    r = next(r for r in range(c, n) if M[r][c] != 0)
    M[c], M[r] = M[r], M[c]
    b[c], b[r] = b[r], b[c]
    inv = 1 / M[c][c]
    M[c] = [x * inv for x in M[c]]
    b[c] *= inv
    for r in range(n):
        if r != c and M[r][c] != 0:
            f = M[r][c]
            M[r] = [x - f * y for x, y in zip(M[r], M[c])]
            b[r] -= f * b[c]
pair_a = sum(b[idx[s]] for s in states if {0, 1} <= set(s))
either = sum(b[idx[s]] for s in states if {0, 1} <= set(s) or {2, 3} <= set(s))
print("U pair a, one crew shared:", pair_a, float(pair_a))
print("U either pair, one crew shared:", either, float(either))
q = lam / (lam + mu)
print("U either pair, no crew limit:", float(1 - (1 - q * q) ** 2))
r = lam / mu
u = 2 * r * r / (1 + 2 * r + 2 * r * r)
print("U either pair, one crew per pair:", float(1 - (1 - u) ** 2))
