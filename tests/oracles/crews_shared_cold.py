#!/usr/bin/env python3
"""DERIVATIONS.md case 23: a hot-standby pair (MTBF 10 d, MTTR 2 d) and a cold-standby
pair (MTBF 5 d, MTTR 1 d) sharing one repair crew, first come, first served. Written by
an independent helper from the prose of the model alone (no spofsim code read): exact
rationals, with its sanity checks and a Monte Carlo run of its own."""
"""Independent oracle: 2 hot-standby A components + 2 cold-standby B components,
one shared FCFS repair crew. Exact CTMC steady state in Fractions + Monte Carlo check."""
from fractions import Fraction as F
import itertools, random, math

LAM = {'A1': F(1,10), 'A2': F(1,10), 'B1': F(1,5), 'B2': F(1,5)}
MU  = {'A1': F(1,2),  'A2': F(1,2),  'B1': F(1),   'B2': F(1)}
HOT = {'A': ['A1','A2']}          # all working members can fail
COLD = {'B': ['B1','B2']}         # only first working member (in order) can fail

def failing(comps, failed):
    """Components that can currently fail."""
    out = []
    for g, ms in HOT.items():
        out += [m for m in ms if m in comps and m not in failed]
    for g, ms in COLD.items():
        ms = [m for m in ms if m in comps]
        for m in ms:
            if m not in failed:
                out.append(m); break
    return out

def build(comps):
    states = [()]
    idx = {(): 0}
    trans = {}
    i = 0
    while i < len(states):
        s = states[i]; out = []
        for c in failing(comps, s):
            out.append((s + (c,), LAM[c]))
        if s:
            out.append((s[1:], MU[s[0]]))   # FCFS: head of queue under repair
        for t, r in out:
            if t not in idx:
                idx[t] = len(states); states.append(t)
        trans[s] = out
        i += 1
    return states, idx, trans

def solve(comps):
    states, idx, trans = build(comps)
    n = len(states)
    Q = [[F(0)]*n for _ in range(n)]
    for s, out in trans.items():
        i = idx[s]
        for t, r in out:
            Q[i][idx[t]] += r; Q[i][i] -= r
    # pi Q = 0, sum pi = 1  ->  A x = b with A = Q^T, last row replaced by ones
    A = [[Q[j][i] for j in range(n)] for i in range(n)]
    A[-1] = [F(1)]*n
    b = [F(0)]*(n-1) + [F(1)]
    M = [row[:] + [b[i]] for i, row in enumerate(A)]
    for c in range(n):
        p = next(r for r in range(c, n) if M[r][c] != 0)
        M[c], M[p] = M[p], M[c]
        pv = M[c][c]; M[c] = [x/pv for x in M[c]]
        for r in range(n):
            if r != c and M[r][c] != 0:
                f = M[r][c]; M[r] = [x - f*y for x, y in zip(M[r], M[c])]
    return {s: M[idx[s]][n] for s in states}

def prob(pi, pred):
    return sum(p for s, p in pi.items() if pred(set(s)))

Adown = lambda f: {'A1','A2'} <= f
Bdown = lambda f: {'B1','B2'} <= f

def show(name, x):
    print(f"{name:22s} = {x}  ~= {float(x):.12g}")

def simulate(comps, T, seed):
    rng = random.Random(seed)
    lam = {k: float(v) for k, v in LAM.items()}; mu = {k: float(v) for k, v in MU.items()}
    t = 0.0; q = []; acc = {'A':0.0,'B':0.0,'or':0.0,'and':0.0}
    while t < T:
        opts = [(c, lam[c], 'f') for c in failing(comps, q)]
        if q: opts.append((q[0], mu[q[0]], 'r'))
        tot = sum(r for _, r, _ in opts)
        dt = min(rng.expovariate(tot), T - t)
        f = set(q); a = Adown(f); b = Bdown(f)
        acc['A'] += a*dt; acc['B'] += b*dt; acc['or'] += (a or b)*dt; acc['and'] += (a and b)*dt
        t += dt
        if t >= T: break
        u = rng.random()*tot
        for c, r, k in opts:
            u -= r
            if u <= 0: break
        if k == 'f': q.append(c)
        else: q.pop(0)
    return {k: v/T for k, v in acc.items()}

if __name__ == '__main__':
    pi = solve(['A1','A2','B1','B2'])
    print(f"states: {len(pi)}")
    res = {'A': prob(pi, Adown), 'B': prob(pi, Bdown),
           'or': prob(pi, lambda f: Adown(f) or Bdown(f)),
           'and': prob(pi, lambda f: Adown(f) and Bdown(f))}
    show("P(A down)", res['A']); show("P(B down)", res['B'])
    show("P(A down or B down)", res['or']); show("P(A down and B down)", res['and'])
    assert res['or'] == res['A'] + res['B'] - res['and']

    print("\nSanity checks:")
    rho = F(1,5)
    pa = prob(solve(['A1','A2']), Adown); ea = 2*rho**2/(1+2*rho+2*rho**2)
    show("A alone", pa); show("  2r^2/(1+2r+2r^2)", ea); print("  match:", pa == ea)
    pb = prob(solve(['B1','B2']), Bdown); eb = rho**2/(1+rho+rho**2)
    show("B alone", pb); show("  r^2/(1+r+r^2)", eb); print("  match:", pb == eb)

    import sys
    R, T = 24, 5e5   # 12 million simulated days in total
    print(f"\nMonte Carlo ({R} replications x {T:.0f} days):")
    reps = [simulate(['A1','A2','B1','B2'], T, 1000+s) for s in range(R)]
    for k in ['A','B','or','and']:
        xs = [r[k] for r in reps]; m = sum(xs)/R
        se = math.sqrt(sum((x-m)**2 for x in xs)/(R-1))/math.sqrt(R)
        z = (m - float(res[k]))/se
        print(f"  {k:4s}: {m:.6g} +/- {2.069*se:.2g} (95% CI)  exact {float(res[k]):.6g}  z={z:+.2f}  within CI: {abs(z) <= 2.069}")
