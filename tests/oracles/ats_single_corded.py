"""Oracle: an automatic transfer switch (ATS) feeding a single-corded server
(tests/cases/exact/ats-single-corded.jsonc and tests/cases/drills/ats-transfer.jsonc;
DERIVATIONS.md case 16).

Written by a helper from a prose description alone (no project code was read).

feed-a, feed-b (MTBF 1 y, MTTR 3 h) -> pdu-a, pdu-b (25 y, 4 h). The ATS (20 y, 4 h)
has pdu-a as preferred and pdu-b as alternate input; its output has power iff it works
and one input has power. web-1 (5 y, 4 h) has one PSU (15 y, 4 h) on the ATS. web-2
(5 y, 4 h) has a PSU on each PDU. Services: single = web-1, dual = web-2,
either = web-1 or web-2. Part 1 enumerates all 2^10 states in exact rationals and
checks closed forms; part 2 plays drills with a 100 ms break-before-make transfer,
20 ms ride-through (ITI curve) and a 5 min boot after a power loss.
"""
from fractions import Fraction as F
from itertools import product, combinations
Y = 8760
comps = {  # name: (MTBF h, MTTR h)
 'feed-a': (1*Y, 3), 'feed-b': (1*Y, 3),
 'pdu-a': (25*Y, 4), 'pdu-b': (25*Y, 4),
 'ats': (20*Y, 4),
 'psu-1w': (15*Y, 4), 'web-1': (5*Y, 4),
 'web-2': (5*Y, 4), 'psu-2a': (15*Y, 4), 'psu-2b': (15*Y, 4),
}
names = list(comps)
q = {n: F(r, m + r) for n, (m, r) in comps.items()}
def A(s): return s['pdu-a'] and s['feed-a']
def B(s): return s['pdu-b'] and s['feed-b']
def single(s): return s['web-1'] and s['psu-1w'] and s['ats'] and (A(s) or B(s))
def dual(s): return s['web-2'] and ((s['psu-2a'] and A(s)) or (s['psu-2b'] and B(s)))
def either(s): return single(s) or dual(s)
svcs = {'single': single, 'dual': dual, 'either': either}

def sig(x, n=10): return f"{float(x):.{n-1}e}"
H = 3600
RIDE = F(20, 1000); RESTART = 300

def union(iv):
    iv = sorted((a, b) for a, b in iv if b > a); out = []
    for a, b in iv:
        if out and a <= out[-1][1]: out[-1] = (out[-1][0], max(out[-1][1], b))
        else: out.append((a, b))
    return out
def inter(x, y):
    out = []
    for a, b in x:
        for c, d in y:
            lo, hi = max(a, c), min(b, d)
            if hi > lo: out.append((lo, hi))
    return union(out)
def measure(iv): return sum(b - a for a, b in iv)

def run(failures, T_transfer, END=10 * H, restart=RESTART):
    """failures: dict comp -> list of (start, end) seconds down."""
    def up(c, t):  # state on [t, next event)
        return not any(a <= t < b for a, b in failures.get(c, []))
    times = sorted({0, END} | {x for l in failures.values() for iv in l for x in iv})
    A = lambda t: up('feed-a', t) and up('pdu-a', t)
    B = lambda t: up('feed-b', t) and up('pdu-b', t)
    # ATS output: off intervals (static dead + transfer gaps)
    off = []; pos = 'pref'
    for i, t in enumerate(times[:-1]):
        nxt = times[i + 1]
        if not up('ats', t): new = 'none'
        elif A(t): new = 'pref'
        elif B(t): new = 'alt'
        else: new = 'none'
        if new == 'none': off.append((t, nxt))
        elif pos != 'none' and new != pos: off.append((t, t + T_transfer))  # break-before-make transfer
        # none -> pref/alt: output returns without extra gap
        pos = new
    off = union(off)
    def server_down(power_off, static_fail):
        down = [(a, b + restart) for a, b in power_off if b - a > RIDE]  # lost power -> reboot after return
        # (power loss at a; ride-through of <=20 ms means no effect)
        return union(down + static_fail)
    # web-1: PSU psu-1w on ATS
    w1 = server_down(off, failures.get('web-1', []) + failures.get('psu-1w', []))
    # web-2: dual corded, power off when neither (psu-2a & A) nor (psu-2b & B)
    off2 = []
    for i, t in enumerate(times[:-1]):
        if not ((up('psu-2a', t) and A(t)) or (up('psu-2b', t) and B(t))):
            off2.append((t, times[i + 1]))
    off2 = union(off2)
    w2 = server_down(off2, failures.get('web-2', []))
    return {'single': measure(w1), 'dual': measure(w2), 'either': measure(inter(w1, w2))}, off, off2

drills = {
 'a': ({'feed-a': [(1 * H, 2 * H)]}, F(1, 10)),
 'b': ({'feed-b': [(1 * H, 2 * H)]}, F(1, 10)),
 'c': ({'pdu-a': [(1 * H, 2 * H)]}, F(1, 10)),
 'd': ({'feed-a': [(1 * H, 2 * H)], 'feed-b': [(F(3, 2) * H, F(5, 2) * H)]}, F(1, 10)),
 'e': ({'ats': [(1 * H, 2 * H)]}, F(1, 10)),
 'f': ({'feed-a': [(1 * H, 2 * H)]}, F(8, 1000)),
}


def main_static():
    for n in names: print(f"q[{n}] = {q[n]} = {sig(q[n])}")
    U = {k: F(0) for k in svcs}
    for bits in product([True, False], repeat=len(names)):
        s = dict(zip(names, bits))
        p = F(1)
        for n in names: p *= (1 - q[n]) if s[n] else q[n]
        for k, f in svcs.items():
            if not f(s): U[k] += p
    # closed forms
    p = {n: 1 - q[n] for n in names}
    pA = p['feed-a'] * p['pdu-a']; pB = p['feed-b'] * p['pdu-b']
    Us_cf = 1 - p['web-1'] * p['psu-1w'] * p['ats'] * (1 - (1 - pA) * (1 - pB))
    Ud_cf = 1 - p['web-2'] * (1 - (1 - p['psu-2a'] * pA) * (1 - p['psu-2b'] * pB))
    # either via inclusion-exclusion conditioning on feeds/pdus
    print()
    for k in svcs:
        print(f"U[{k}] (enumeration 2^{len(names)}) = {sig(U[k])}   exact = {U[k]}")
    print("closed form single:", sig(Us_cf), Us_cf == U['single'])
    print("closed form dual  :", sig(Ud_cf), Ud_cf == U['dual'])
    # minimal cut sets order <=2
    allup = {n: True for n in names}
    for k, f in svcs.items():
        cuts = []
        for r in (1, 2):
            for c in combinations(names, r):
                if any(set(x) <= set(c) for x in cuts): continue
                s = dict(allup); [s.__setitem__(n, False) for n in c]
                if not f(s): cuts.append(c)
        print(f"{k}: order1 {[c for c in cuts if len(c)==1]}")
        print(f"{k}: order2 ({sum(len(c)==2 for c in cuts)}) {[c for c in cuts if len(c)==2]}")


def main_drills():
    for k, (fl, T) in drills.items():
        res, off, off2 = run(fl, T)
        # static view: zero transfer time and zero restart
        st, _, _ = run(fl, F(0), restart=0)   # static view: instant transfer, no reboot
        print(f"({k}) T={T}s  ATS-off={[(float(a),float(b)) for a,b in off]}  web2-off={[(float(a),float(b)) for a,b in off2]}")
        for s in res:
            print(f"     {s:7s} total={float(res[s]):.10g} s  static={float(st[s]):.10g} s  extra={float(res[s]-st[s]):.10g} s")


if __name__ == '__main__':
    main_static()
    print()
    main_drills()
