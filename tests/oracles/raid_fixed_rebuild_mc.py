"""Independent discrete-event Monte Carlo of RAID1 (2 slots) + 1 hot spare.

Written without reusing the CTMC code. Regenerative estimator: a cycle starts each
time the system enters {both slots hold data, spare free} (no rebuild or repair is
then pending, failure clocks are exponential, so this is a regeneration point).

dist: 'det' (rebuild exactly R) or 'exp' (rebuild ~ Exp(mean R)).
policy 'L' / 'G', reading 'a' / 'b': see ctmc.py docstring.
"""
import math
import random
import sys

INF = float('inf')


def run(R, dist, policy, reading, ncycles, seed, lam=0.01, mu=1 / 30, restart_on_loss=False):
    rng = random.Random(seed)
    ex = rng.expovariate
    drawR = (lambda: R) if dist == 'det' else (lambda: ex(1.0 / R))
    # slot status: 'H', 'R', 'W'
    slot = ['H', 'H']
    fail_t = [ex(lam), ex(lam)]          # next failure of the disk in slot i (if a disk is in it)
    rb_end = [INF, INF]
    spare = 1
    repairs = []                         # list of [time, tag]; tag = slot index (L tied) or -1 (free)
    t = 0.0
    cyc_start = 0.0; cyc_down = 0.0
    sumT = sumD = sumTT = sumDD = sumTD = 0.0
    n = 0
    nloss = 0
    while n < ncycles:
        # next event
        te = INF; kind = None; which = None
        for i in (0, 1):
            if slot[i] != 'W' and fail_t[i] < te:
                te = fail_t[i]; kind = 'fail'; which = i
            if slot[i] == 'R' and rb_end[i] < te:
                te = rb_end[i]; kind = 'rb'; which = i
        for j, (rt, tag) in enumerate(repairs):
            if rt < te:
                te = rt; kind = 'rep'; which = j
        # accumulate downtime over [t, te)
        if slot[0] != 'H' and slot[1] != 'H':
            cyc_down += te - t
        t = te
        was_up = slot[0] == 'H' or slot[1] == 'H'
        if kind == 'fail':
            i = which
            if spare == 1:
                spare = 0
                slot[i] = 'R'; rb_end[i] = t + drawR(); fail_t[i] = t + ex(lam)
                repairs.append([t + ex(mu), -1])
            else:
                slot[i] = 'W'; rb_end[i] = INF; fail_t[i] = INF
                repairs.append([t + ex(mu), i if policy == 'L' else -1])
        elif kind == 'rb':
            i = which
            slot[i] = 'H'; rb_end[i] = INF
        else:
            rt, tag = repairs.pop(which)
            if policy == 'L':
                if tag >= 0:
                    assert slot[tag] == 'W'
                    slot[tag] = 'R'; rb_end[tag] = t + drawR(); fail_t[tag] = t + ex(lam)
                else:
                    assert spare == 0
                    spare = 1
            else:
                ws = [i for i in (0, 1) if slot[i] == 'W']
                if ws:
                    i = ws[0]
                    slot[i] = 'R'; rb_end[i] = t + drawR(); fail_t[i] = t + ex(lam)
                else:
                    assert spare == 0
                    spare = 1
        now_up = slot[0] == 'H' or slot[1] == 'H'
        if was_up and not now_up:
            nloss += 1
            if restart_on_loss:
                for i in (0, 1):
                    if slot[i] == 'R':
                        rb_end[i] = t + drawR()
        if reading == 'b' and not now_up:
            for i in (0, 1):
                if slot[i] == 'R':
                    slot[i] = 'H'; rb_end[i] = INF
        # invariant: 3 disks
        assert sum(1 for x in slot if x != 'W') + spare + len(repairs) == 3
        if slot[0] == 'H' and slot[1] == 'H' and spare == 1:
            T = t - cyc_start; D = cyc_down
            sumT += T; sumD += D; sumTT += T * T; sumDD += D * D; sumTD += T * D
            n += 1
            cyc_start = t; cyc_down = 0.0
    return dict(n=n, sumT=sumT, sumD=sumD, sumTT=sumTT, sumDD=sumDD, sumTD=sumTD, nloss=nloss)


def estimate(res):
    n = res['n']
    mT = res['sumT'] / n; mD = res['sumD'] / n
    U = mD / mT
    varT = res['sumTT'] / n - mT * mT
    varD = res['sumDD'] / n - mD * mD
    cov = res['sumTD'] / n - mT * mD
    # delta method: var of (D - U T)
    v = varD - 2 * U * cov + U * U * varT
    se = math.sqrt(v / n) / mT
    return U, se


def merge(rs):
    out = {}
    for k in rs[0]:
        out[k] = sum(r[k] for r in rs)
    return out


if __name__ == '__main__':
    R = float(sys.argv[1]); dist = sys.argv[2]; policy = sys.argv[3]; reading = sys.argv[4]
    nc = int(sys.argv[5]); seed = int(sys.argv[6])
    restart = len(sys.argv) > 7 and sys.argv[7] == 'restart'
    r = run(R, dist, policy, reading, nc, seed, restart_on_loss=restart)
    U, se = estimate(r)
    print(R, dist, policy, reading, U, se, r['n'], r['sumT'], r['nloss'])
