"""CTMC for a RAID group of n slots + h hot spares, idle spares FAIL at lam.
Rebuild time ~ Erlang(K, mean R) (K=1: exponential).

State (p, ph, w, s):
  p  = protected slots
  ph = sorted tuple of Erlang phases (0..K-1) of slots being rebuilt onto (b = len(ph))
  w  = slots waiting for a replacement (empty)
  s  = free (idle) hot spares
  out = n + h - p - b - s = disks away for replacement (each returns at mu, in parallel)
Invariants: p + b + w = n; not (w > 0 and s > 0).
Transitions (lam = 1/MTBF, mu = 1/MTTR, K*rho per phase with rho = 1/R):
  protected disk fails  p*lam : s>0 -> (p-1, ph+{0}, w, s-1)   [start; others protected iff p==n]
                                s=0 -> (p-1, ph, w+1, 0)
  rebuilding disk fails lam each: s>0 -> phase reset to 0, s-1   [restart; others prot. iff p==n-1]
                                s=0 -> drop it, w+1
  phase advance  K*rho each: last phase -> p+1 (rebuild done), else phase+1
  idle spare fails  s*lam : (p, ph, w, s-1)                     [NEW]
  replacement arrives out*mu: w>0 -> (p, ph+{0}, w-1, s)        [start; others prot. iff p==n-1]
                              w=0 -> (p, ph, w, s+1)
Down  <=>  n - p > tol.
"""
from fractions import Fraction as F
from itertools import combinations_with_replacement
import numpy as np


def states(n, h, K):
    out = []
    for p in range(n + 1):
        for b in range(n + 1 - p):
            w = n - p - b
            for ph in combinations_with_replacement(range(K), b):
                for s in range(h + 1):
                    if w > 0 and s > 0:
                        continue
                    out.append((p, ph, w, s))
    return out


def _add(ph, j):
    return tuple(sorted(ph + (j,)))


def _rm(ph, i):
    return ph[:i] + ph[i + 1:]


def transitions(st, n, h, K, lam, mu, rho):
    """yield (target, rate, counted_start, any_start)"""
    p, ph, w, s = st
    b = len(ph)
    out = n + h - p - b - s
    if p > 0:
        if s > 0:
            yield (p - 1, _add(ph, 0), w, s - 1), p * lam, (p == n), True
        else:
            yield (p - 1, ph, w + 1, 0), p * lam, False, False
    for i, j in enumerate(ph):
        if s > 0:
            yield (p, _add(_rm(ph, i), 0), w, s - 1), lam, (p == n - 1), True
        else:
            yield (p, _rm(ph, i), w + 1, 0), lam, False, False
        if j == K - 1:
            yield (p + 1, _rm(ph, i), w, s), K * rho, False, False
        else:
            yield (p, _add(_rm(ph, i), j + 1), w, s), K * rho, False, False
    if s > 0:
        yield (p, ph, w, s - 1), s * lam, False, False
    if out > 0:
        if w > 0:
            yield (p, _add(ph, 0), w - 1, s), out * mu, (p == n - 1), True
        else:
            yield (p, ph, w, s + 1), out * mu, False, False


def solve_frac(A, rhs):
    m = len(A)
    M = [row[:] + [rhs[i]] for i, row in enumerate(A)]
    for c in range(m):
        piv = next(r for r in range(c, m) if M[r][c] != 0)
        M[c], M[piv] = M[piv], M[c]
        pv = M[c][c]
        M[c] = [x / pv for x in M[c]]
        for r in range(m):
            if r != c and M[r][c] != 0:
                f = M[r][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [M[i][m] for i in range(m)]


def stationary(n, h, MTBF, MTTR, R, K=1, exact=True):
    if exact:
        lam, mu, rho = F(1) / F(MTBF), F(1) / F(MTTR), F(1) / F(R)
        zero, one = F(0), F(1)
    else:
        lam, mu, rho = 1.0 / MTBF, 1.0 / MTTR, 1.0 / R
        zero, one = 0.0, 1.0
    S = states(n, h, K)
    idx = {st: i for i, st in enumerate(S)}
    m = len(S)
    if exact:
        Q = [[zero] * m for _ in range(m)]
    else:
        Q = np.zeros((m, m))
    for st in S:
        a = idx[st]
        for tgt, r, _, _ in transitions(st, n, h, K, lam, mu, rho):
            if tgt == st:
                continue
            c = idx[tgt]
            Q[a][c] += r
            Q[a][a] -= r
    if exact:
        A = [[Q[j][i] for j in range(m)] for i in range(m)]
        A[-1] = [one] * m
        rhs = [zero] * (m - 1) + [one]
        pi = solve_frac(A, rhs)
    else:
        A = Q.T.copy()
        A[-1, :] = 1.0
        rhs = np.zeros(m); rhs[-1] = 1.0
        pi = list(np.linalg.solve(A, rhs))
    return S, dict(zip(S, pi)), (lam, mu, rho)


def prob_down(n, h, MTBF, MTTR, R, tol, K=1, exact=True):
    S, pi, _ = stationary(n, h, MTBF, MTTR, R, K, exact)
    return sum(v for st, v in pi.items() if n - st[0] > tol)


def start_rate(n, h, MTBF, MTTR, R, K=1, exact=True):
    S, pi, (lam, mu, rho) = stationary(n, h, MTBF, MTTR, R, K, exact)
    counted = 0
    allst = 0
    for st in S:
        for tgt, r, c, a in transitions(st, n, h, K, lam, mu, rho):
            if c:
                counted += pi[st] * r
            if a:
                allst += pi[st] * r
    return counted, allst


def check_generator_conservation(n, h, K=1):
    """every state's disk count n+h conserved, all targets valid"""
    S = set(states(n, h, K))
    for st in S:
        for tgt, *_ in transitions(st, n, h, K, F(1), F(1), F(1)):
            assert tgt in S, (st, tgt)
