"""Exact rational solve of the count-lumped chain (p,r,w,s), used ONLY as a cross-check of
the per-slot chain. RAID10 down prob = sum_k P(k non-protected) * P(some pair both non-P | k
uniform random k-subset), valid because the per-slot dynamics (uniform WAITING fill) are
invariant under slot permutations."""
from fractions import Fraction as F
from math import comb
import sys

lam, mu, rho = F(1, 200), F(1, 5), F(1, 1)

def build(n, h, c=None):
    start = (n, 0, 0, h)
    idx = {start: 0}; st = [start]; T = []
    i = 0
    while i < len(st):
        p, r, w, s = st[i]
        a = n + h - p - r - s
        tr = []
        if p: tr.append(((p-1, r+1, w, s-1) if s else (p-1, r, w+1, s), p*lam))
        if r:
            tr.append(((p+1, r-1, w, s), r*rho))
            tr.append(((p, r, w, s-1) if s else (p, r-1, w+1, s), r*lam))
        if s: tr.append(((p, r, w, s-1), s*lam))
        if a:
            rr = (a if c is None else min(a, c)) * mu
            tr.append(((p, r+1, w-1, s) if w else (p, r, w, s+1), rr))
        for t, q in tr:
            if t not in idx: idx[t] = len(st); st.append(t)
            T.append((i, idx[t], q))
        i += 1
    return st, T

def solve(n, h, c=None):
    st, T = build(n, h, c)
    N = len(st)
    A = [[F(0)]*N for _ in range(N)]  # A = Q^T
    for i, j, q in T:
        A[j][i] += q; A[i][i] -= q
    A[0] = [F(1)]*N
    b = [F(0)]*N; b[0] = F(1)
    # Gaussian elimination
    for col in range(N):
        piv = next(r for r in range(col, N) if A[r][col] != 0)
        A[col], A[piv] = A[piv], A[col]; b[col], b[piv] = b[piv], b[col]
        inv = 1 / A[col][col]
        for r in range(N):
            if r != col and A[r][col] != 0:
                f = A[r][col] * inv
                Ar, Ac = A[r], A[col]
                for k in range(col, N):
                    if Ac[k]: Ar[k] -= f * Ac[k]
                b[r] -= f * b[col]
    pi = [b[i] / A[i][i] for i in range(N)]
    return st, pi

def results(raid, n, h, c=None):
    st, pi = solve(n, h, c)
    kd = [F(0)]*(n+1)
    for (p, r, w, s), x in zip(st, pi):
        kd[n-p] += x
    if raid == 6: down = sum(kd[3:])
    elif raid == 5: down = sum(kd[2:])
    else:
        m = n // 2
        down = sum(kd[k] * (1 - (F(comb(m, k) * 2**k, comb(n, k)) if k <= m else 0)) for k in range(n+1))
    return len(st), down, kd

if __name__ == '__main__':
    cases = {'a': (10, 8, 1, None), 'b': (6, 8, 2, None), 'c': (5, 12, 1, None),
             'd': (6, 8, 2, 1), 'e': (10, 8, 0, None), 'f': (10, 12, 1, None),
             'g': (6, 16, 2, None), 'h': (10, 16, 1, None)}
    for w in sys.argv[1:] or list(cases):
        N, down, kd = results(*cases[w])
        print(w, 'lumped states', N, 'Pdown =', f'{float(down):.16e}', ' exact =', down if len(str(down)) < 400 else '(long rational)')
        print('   kdist', [f'{float(x):.16e}' for x in kd], flush=True)
