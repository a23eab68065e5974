# Independent brute-force evaluator of docs/SEMANTICS.md §1–4 (every failure state, holder
# and bond-NIC choices, members on chains for tiers that need k ≥ 2), written by an
# auditing helper from the prose alone; used by pool_behind_vrrp.py (DERIVATIONS case 26).
# Independent brute-force evaluator written from docs/SEMANTICS.md §1-4.
import itertools
from fractions import Fraction as F


class Model:
    def __init__(self):
        self.q = {}          # element -> failure probability (Fraction); 0 = never fails
        self.fwd = set()     # forwarding elements
        self.att = []        # attachments (a, b)
        self.links = {}      # link id -> (u, w)
        self.needs = {}      # element -> list of element ids (all must work)

    def el(self, i, q=0, fwd=False, needs=()):
        self.q[i] = F(q)
        if fwd:
            self.fwd.add(i)
        if needs:
            self.needs.setdefault(i, []).extend(needs)
        return i

    def link(self, u, w, q=0, i=None):
        i = i or f"{u}~{w}"
        self.q[i] = F(q)
        self.links[i] = (u, w)
        self.needs.setdefault(i, [])
        return i

    def server(self, s, q=0, nics=(), nic_q=0, link_q=0, runs=(), proc_q=0):
        """nics: list of switches; returns dict of nic ids"""
        self.el(s, q)
        out = {}
        for k, sw in enumerate(nics):
            n = self.el(f"{s}/eth{k}", nic_q, needs=[s])
            self.att.append((s, n))
            out[n] = self.link(n, sw, link_q)
        for r in runs:
            p = self.el(f"{s}/{r}", proc_q, needs=[s])
            self.att.append((s, p))
        return out

    def failing(self):
        return [e for e, q in self.q.items() if q > 0]

    def works_set(self, failed):
        W = {e for e in self.q if e not in failed}
        changed = True
        while changed:
            changed = False
            for e in list(W):
                needs = list(self.needs.get(e, []))
                if e in self.links:
                    pass  # a link works if not failed (its ends are checked by Reach)
                if any(n not in W for n in needs):
                    W.discard(e)
                    changed = True
        return W

    def closure(self, x, removed):
        if x in removed:
            return {x}
        seen = {x}
        st = [x]
        while st:
            y = st.pop()
            for a, b in self.att:
                for u, v in ((a, b), (b, a)):
                    if u == y and v not in seen and v not in removed:
                        seen.add(v)
                        st.append(v)
        return seen

    def reach(self, W, S, b, nonfwd=frozenset(), removed=frozenset()):
        fwd = self.fwd - set(nonfwd)
        seeded = set()
        for a in S:
            if a in W:
                seeded |= {y for y in self.closure(a, removed) if y in W}
        cb = self.closure(b, removed)
        reached = set(seeded)
        st = list(reached)
        while st:
            u = st.pop()
            if not (u in fwd or u in seeded):
                continue
            for l, (x, y) in self.links.items():
                if l not in W:
                    continue
                for a, c in ((x, y), (y, x)):
                    if a == u and c not in reached and c in W and (c in fwd or c in cb):
                        reached.add(c)
                        st.append(c)
        return b in W and bool(cb & reached)


def service_up(m, W, entry, tiers, choices, extra_ok=lambda W, ch: True):
    """tiers: list of dicts {members:[...], need:int, elig: fn(W,m)->bool (default m in W),
    holder_dim: name of choice dimension giving the tier's only member, or None}
    choices: list of (name, [option dicts {'holder':x, 'nonfwd':set, 'removed':set}])"""
    if entry not in W:
        return False
    names = [c[0] for c in choices]
    for combo in itertools.product(*[c[1] for c in choices]):
        ch = dict(zip(names, combo))
        nonfwd = set()
        removed = set()
        for o in combo:
            nonfwd |= set(o.get('nonfwd', ()))
            removed |= set(o.get('removed', ()))
        # a router that holds a group that is a tier forwards
        for t in tiers:
            if t.get('holder_dim'):
                nonfwd.discard(ch[t['holder_dim']]['holder'])
        if not extra_ok(W, ch):
            continue
        layers = []
        for t in tiers:
            if t.get('holder_dim'):
                mem = [ch[t['holder_dim']]['holder']]
            else:
                mem = t['members']
            elig = t.get('elig', lambda W, x: x in W)
            layers.append([x for x in mem if elig(W, x)])
        # tier 'works' conditions: need-k members working
        ok = True
        for t in tiers:
            need = t.get('need', 1)
            if need >= 2 and sum(1 for x in t['members'] if x in W) < need:
                ok = False
        if not ok:
            continue
        R = lambda S, b: m.reach(W, S, b, frozenset(nonfwd), frozenset(removed))
        fw = [set(x for x in layers[0] if R([entry], x))]
        for i in range(1, len(tiers)):
            fw.append({x for x in layers[i] if any(R([y], x) for y in fw[i - 1])})
        bw = [None] * len(tiers)
        bw[-1] = set(fw[-1])
        for i in range(len(tiers) - 2, -1, -1):
            bw[i] = {x for x in fw[i] if any(R([x], y) for y in bw[i + 1])}
        if not bw[0]:
            continue
        good = True
        for i, t in enumerate(tiers):
            if len(bw[i]) < t.get('need', 1):
                good = False
        if good:
            return True
    return False


def enumerate_U(m, up_fn):
    fl = m.failing()
    U = F(0)
    for bits in itertools.product([0, 1], repeat=len(fl)):
        failed = {e for e, b in zip(fl, bits) if b}
        p = F(1)
        for e, b in zip(fl, bits):
            p *= m.q[e] if b else 1 - m.q[e]
        W = m.works_set(failed)
        if not up_fn(W):
            U += p
    return U


def spofs(m, up_fn):
    out = []
    allW = m.works_set(set())
    assert up_fn(allW)
    for e in m.failing():
        if not up_fn(m.works_set({e})):
            out.append(e)
    return out


def report(name, m, up_fn):
    U = enumerate_U(m, up_fn)
    print(f"{name}: n={len(m.failing())} U={float(U):.12e} A={100*(1-float(U)):.10f}% SPOFs={spofs(m, up_fn)}")
    return U


def min_cuts(m, up_fn, maxo=3):
    fl = m.failing()
    cuts = []
    for o in range(1, maxo + 1):
        for c in itertools.combinations(fl, o):
            if any(set(x) <= set(c) for x in cuts):
                continue
            if not up_fn(m.works_set(set(c))):
                cuts.append(c)
    return cuts
