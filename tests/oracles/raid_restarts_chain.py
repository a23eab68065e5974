"""Exact CTMC for a RAID group of n slots with h hot spares.

State (p, b, w, s):
  p = slots protected (hold a disk with data, rebuild done)
  b = slots being rebuilt onto (hold a disk, no data yet)
  w = slots waiting for a replacement disk (empty)
  s = free hot spares (idle, never fail)
  k = disks out for replacement = h + w - s   (disk conservation: n+h disks)
Invariant: p+b+w = n, and not (w>0 and s>0).

Transitions (lam = 1/MTBF, mu = 1/MTTR, rho = 1/R):
  protected disk fails, rate p*lam:
      s>0: (p-1, b+1, w, s-1)   [rebuild start onto spare; others protected iff p == n]
      s=0: (p-1, b, w+1, 0)
  rebuilding disk fails, rate b*lam:
      s>0: (p, b, w, s-1)       [restart onto spare; others protected iff p == n-1]
      s=0: (p, b-1, w+1, 0)
  rebuild completes, rate b*rho:  (p+1, b-1, w, s)
  replacement arrives, rate k*mu:
      w>0: (p, b+1, w-1, s)     [rebuild start onto replacement; others protected iff p == n-1]
      w=0: (p, b, w, s+1)
"""
from fractions import Fraction as F


def states(n, h):
    out = []
    for p in range(n + 1):
        for b in range(n + 1 - p):
            w = n - p - b
            for s in range(h + 1):
                if w > 0 and s > 0:
                    continue
                k = h + w - s
                if k < 0:
                    continue
                out.append((p, b, w, s))
    return out


def transitions(st, n, h, lam, mu, rho):
    """yield (target, rate, counted_start, any_start)"""
    p, b, w, s = st
    k = h + w - s
    if p > 0:
        if s > 0:
            yield (p - 1, b + 1, w, s - 1), p * lam, (p == n), True
        else:
            yield (p - 1, b, w + 1, 0), p * lam, False, False
    if b > 0:
        if s > 0:
            yield (p, b, w, s - 1), b * lam, (p == n - 1), True
        else:
            yield (p, b - 1, w + 1, 0), b * lam, False, False
        yield (p + 1, b - 1, w, s), b * rho, False, False
    if k > 0:
        if w > 0:
            yield (p, b + 1, w - 1, s), k * mu, (p == n - 1), True
        else:
            yield (p, b, w, s + 1), k * mu, False, False


def solve(A, rhs):
    """Gaussian elimination over Fractions."""
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


def stationary(n, h, MTBF, MTTR, R):
    lam, mu, rho = F(1) / F(MTBF), F(1) / F(MTTR), F(1) / F(R)
    S = states(n, h)
    idx = {st: i for i, st in enumerate(S)}
    m = len(S)
    Q = [[F(0)] * m for _ in range(m)]
    for st in S:
        for tgt, r, _, _ in transitions(st, n, h, lam, mu, rho):
            if r == 0 or tgt == st:
                continue  # self-loop (restart onto spare changes s, so never a true self-loop)
            Q[idx[st]][idx[tgt]] += r
            Q[idx[st]][idx[st]] -= r
    # pi Q = 0, sum pi = 1  -> transpose system, replace last eq by normalisation
    A = [[Q[j][i] for j in range(m)] for i in range(m)]
    A[-1] = [F(1)] * m
    rhs = [F(0)] * (m - 1) + [F(1)]
    pi = solve(A, rhs)
    return S, dict(zip(S, pi)), (lam, mu, rho)


def prob_down(n, h, MTBF, MTTR, R, tol):
    S, pi, _ = stationary(n, h, MTBF, MTTR, R)
    return sum(v for st, v in pi.items() if n - st[0] > tol)


def start_rate(n, h, MTBF, MTTR, R):
    """long-run rate (per time unit) of rebuild starts with all other slots protected,
    and of all rebuild starts."""
    S, pi, (lam, mu, rho) = stationary(n, h, MTBF, MTTR, R)
    counted = F(0)
    allst = F(0)
    for st in S:
        for tgt, r, c, a in transitions(st, n, h, lam, mu, rho):
            if c:
                counted += pi[st] * r
            if a:
                allst += pi[st] * r
    return counted, allst


def U_slot(MTBF, MTTR, R):
    lam = F(1) / F(MTBF)
    return 1 - 1 / ((1 + lam * R) * (1 + lam * MTTR))
