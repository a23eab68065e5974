#!/usr/bin/env python3
"""Independent oracle: exact steady-state unavailability of a cold-standby
cluster (priority order, c FCFS repair crews), with and without failback.
CTMC state = (queue, active): queue = tuple of failed members in order of
failure (the first c are in repair), active = index of active member or None.
Standard library only; exact arithmetic with Fraction."""
import sys, random, math
from fractions import Fraction as F
from collections import deque

def build_Q(mtbf, mttr, crews, failback):
    n = len(mtbf)
    lam = [F(1) / F(x) for x in mtbf]
    mu = [F(1) / F(x) for x in mttr]
    c = min(crews, n)
    def first_working(queue):
        for i in range(n):
            if i not in queue:
                return i
        return None
    def canon(queue, active):
        if c >= n:                      # every failed member in repair: order irrelevant
            queue = tuple(sorted(queue))
        return (queue, active)
    def succ(s):
        queue, a = s
        out = []
        if a is not None:               # active member fails
            q2 = queue + (a,)
            out.append((canon(q2, first_working(q2)), lam[a]))
        for k in range(min(c, len(queue))):  # repair completes for one in service
            m = queue[k]
            q2 = queue[:k] + queue[k + 1:]
            if failback or a is None:
                a2 = first_working(q2) if failback else m
            else:
                a2 = a
            out.append((canon(q2, a2), mu[m]))
        return out
    start = canon((), 0)
    idx = {start: 0}; states = [start]; trans = []
    dq = deque([start])
    while dq:
        s = dq.popleft()
        for t, r in succ(s):
            if t not in idx:
                idx[t] = len(states); states.append(t); dq.append(t)
            trans.append((idx[s], idx[t], r))
    return states, trans

def solve_stationary(N, trans):
    """Solve pi Q = 0, sum pi = 1 exactly (Gauss-Jordan on Fractions)."""
    Q = [[F(0)] * N for _ in range(N)]
    for i, j, r in trans:
        if i != j:
            Q[i][j] += r; Q[i][i] -= r
    # rows of A: equations sum_i pi_i Q[i][j] = 0 for j, last replaced by normalisation
    A = [[Q[i][j] for i in range(N)] + [F(0)] for j in range(N)]
    A[-1] = [F(1)] * N + [F(1)]
    for col in range(N):
        p = next(r for r in range(col, N) if A[r][col] != 0)
        A[col], A[p] = A[p], A[col]
        pv = A[col][col]
        A[col] = [x / pv for x in A[col]]
        for r in range(N):
            if r != col and A[r][col] != 0:
                f = A[r][col]
                A[r] = [x - f * y for x, y in zip(A[r], A[col])]
    pi = [A[i][N] for i in range(N)]
    # verify
    for j in range(N):
        assert sum(pi[i] * Q[i][j] for i in range(N)) == 0
    assert sum(pi) == 1
    return pi

def unavailability(mtbf, mttr, crews, failback):
    states, trans = build_Q(mtbf, mttr, crews, failback)
    pi = solve_stationary(len(states), trans)
    n = len(mtbf)
    return sum(p for s, p in zip(states, pi) if len(s[0]) == n), len(states)

def dec(x, d=12):
    return f"{float(x):.{d}g}" if x != 0 else "0"

# ---------- cross-check 1: hand-written generators for Case A ----------
def caseA_by_hand(failback):
    l1, l2, m1, m2 = F(1, 30), F(1, 5), F(1, 1), F(1, 3)
    # states: 0 ={} a1, 1 ={1} a2, 2 ={2} a1, 3 ={1,2}, 4 ={} a2 (no failback only)
    T = [(0, 1, l1), (1, 3, l2), (2, 3, l1), (2, 0, m2), (3, 2, m1), (3, 1, m2)]
    if failback:
        T += [(1, 0, m1)]; N = 4
    else:
        T += [(1, 4, m1), (4, 2, l2)]; N = 5
    pi = solve_stationary(N, T)
    return pi[3]

# ---------- cross-check 2: discrete-event simulation ----------
def simulate(mtbf, mttr, crews, failback, horizon, seed, batches=50):
    """Event-driven: each member carries a remaining life that is consumed
    only while active (frozen while standby/failed); repair durations are drawn
    when a repair starts. Returns (U_hat, 95% CI half-width) via batch means."""
    rng = random.Random(seed)
    n = len(mtbf)
    life = [rng.expovariate(1 / mtbf[i]) for i in range(n)]
    failed = [False] * n
    queue = []                 # FCFS order of failed members
    rep_end = {}               # member -> absolute repair completion time
    active = 0; t = 0.0
    blen = horizon / batches; down = [0.0] * batches
    def add_down(t0, t1):
        while t0 < t1:
            b = int(t0 / blen)
            if b >= batches: return
            e = min(t1, (b + 1) * blen)
            down[b] += e - t0; t0 = e
    def start_repairs(now):
        for m in queue[:crews]:
            if m not in rep_end:
                rep_end[m] = now + rng.expovariate(1 / mttr[m])
    def first_working():
        for i in range(n):
            if not failed[i]: return i
        return None
    while t < horizon:
        tf = t + life[active] if active is not None else math.inf
        mr = min(rep_end, key=rep_end.get) if rep_end else None
        tr = rep_end[mr] if mr is not None else math.inf
        tn = min(tf, tr)
        if active is None: add_down(t, min(tn, horizon))
        else: life[active] -= (tn - t)
        t = tn
        if tf <= tr:
            failed[active] = True; queue.append(active); start_repairs(t)
            active = first_working()
        else:
            del rep_end[mr]; queue.remove(mr); failed[mr] = False
            life[mr] = rng.expovariate(1 / mtbf[mr]); start_repairs(t)
            if active is None: active = mr
            elif failback: active = first_working()
    u = [d / blen for d in down]
    mean = sum(u) / batches
    sd = math.sqrt(sum((x - mean) ** 2 for x in u) / (batches - 1))
    return mean, 1.96 * sd / math.sqrt(batches)

CASES = {
    "A": ([30, 5], [1, 3], 2),
    "B": ([30, 5], [1, 3], 1),
    "C": ([30, 5, 10], [1, 3, 2], 1),
    "D": ([30, 5, 10], [1, 3, 2], 2),
}

if __name__ == "__main__":
    res = {}
    for name, (b, r, c) in CASES.items():
        for fb in (False, True):
            U, ns = unavailability(b, r, c, fb)
            res[(name, fb)] = U
            print(f"Case {name} {'failback   ' if fb else 'no failback'} "
                  f"({ns} states): U = {U}  = {dec(U)}")
    print("\nCross-check 1 (hand-written Case A generators):")
    for fb in (False, True):
        h = caseA_by_hand(fb)
        print(f"  failback={fb}: {h} = {dec(h)}  match={h == res[('A', fb)]}")
    print("\nSanity checks:")
    for c in (1, 2, 3):
        a, _ = unavailability([7, 7, 7], [2, 2, 2], c, False)
        b, _ = unavailability([7, 7, 7], [2, 2, 2], c, True)
        print(f"  3 identical, c={c}: no-fb == fb: {a == b} ({a})")
    for mtbf, mttr in ((30, 1), (5, 3), (10, 2)):
        rho = F(mttr, mtbf)
        want = rho ** 2 / (1 + rho + rho ** 2)
        got = [unavailability([mtbf] * 2, [mttr] * 2, 1, fb)[0] for fb in (False, True)]
        print(f"  2 identical (MTBF {mtbf}, MTTR {mttr}) c=1: {got[0]}, {got[1]}; "
              f"rho^2/(1+rho+rho^2) = {want}; match={got[0] == want == got[1]}")
    if "--sim" in sys.argv:
        H = float(sys.argv[sys.argv.index("--sim") + 1]) if len(sys.argv) > sys.argv.index("--sim") + 1 else 2e6
        print(f"\nCross-check 2 (discrete-event simulation, horizon {H:g} d, seed 12345):")
        for name in ("A", "B"):
            b, r, c = CASES[name]
            for fb in (False, True):
                m, hw = simulate(b, r, c, fb, H, 12345)
                U = float(res[(name, fb)])
                print(f"  Case {name} fb={fb}: sim {m:.6f} +/- {hw:.6f} "
                      f"(rel {hw / m:.2%}); exact {U:.6f}; "
                      f"dev {(m - U) / hw:+.2f} half-widths; in CI {abs(m - U) <= hw}")
