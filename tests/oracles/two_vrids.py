#!/usr/bin/env python3
"""DERIVATIONS.md case 20: one router pair serving two VRRP groups with opposite
priorities (RFC 5798 §4.2, "Sample Configuration 2"). Written by an independent helper
from docs/SEMANTICS.md alone (a brute-force enumerator of every failure state in exact
rationals, with its own reachability); it prints both readings of "a backup forwards
nothing": A, a router that holds either group forwards; B, a router that is backup in
either group forwards nothing. spofsim follows A (exact case
tests/cases/exact/two-vrids.jsonc)."""
# Independent brute-force oracle for spofsim semantics (docs/SEMANTICS.md)
from fractions import Fraction as F
import collections

def pct(s):  # "99%" -> unavailability Fraction
    return 1 - F(s.rstrip('%')) / 100

class Net:
    def __init__(self):
        self.p = {}          # basic event -> unavailability (Fraction)
        self.fwd = set()     # forwarding nodes
        self.att = {}        # node -> set of attached nodes
        self.links = {}      # link id -> (a, b)
        self.needs = {}      # element -> list of fn(W) -> bool
        self.elems = set()
    def el(self, name, p=None, fwd=False):
        self.elems.add(name)
        if p is not None: self.p[name] = p
        if fwd: self.fwd.add(name)
        self.att.setdefault(name, set())
        return name
    def attach(self, a, b):
        self.el(a); self.el(b)
        self.att[a].add(b); self.att[b].add(a)
    def link(self, a, b, p=None, lid=None):
        lid = lid or f"{a}~{b}"
        self.links[lid] = (a, b); self.el(lid, p)
        return lid
    def need(self, e, fn):
        self.needs.setdefault(e, []).append(fn)
    def closure(self, a):
        seen = {a}; st = [a]
        while st:
            x = st.pop()
            for y in self.att.get(x, ()):
                if y not in seen: seen.add(y); st.append(y)
        return seen
    def reach(self, W, S, b, nofwd=frozenset(), fwdset=None, exclude=frozenset()):
        """Reach(S,b). nofwd: forwarding devices that do not forward (standby holders).
        exclude: elements removed from closures (idle NICs)."""
        fw = (self.fwd if fwdset is None else fwdset) - set(nofwd)
        seeded = set()
        for a in S:
            if a in W:
                seeded |= {x for x in self.closure(a) if x in W and x not in exclude}
        cb = self.closure(b) - set(exclude)
        if b not in W: return False
        reached = set(seeded); st = list(seeded)
        while st:
            u = st.pop()
            if not (u in fw or u in seeded): continue
            for lid, (x, y) in self.links.items():
                if lid not in W: continue
                for (p, q) in ((x, y), (y, x)):
                    if p == u and q in W and q not in reached and q not in exclude and (q in fw or q in cb):
                        reached.add(q); st.append(q)
        return bool(reached & cb)
    def works(self, failed):
        W = set(self.elems) - set(failed)
        changed = True
        while changed:
            changed = False
            for e in list(W):
                for fn in self.needs.get(e, ()):
                    if not fn(W):
                        W.discard(e); changed = True; break
        return W

def enumerate_states(net, up_fn, events=None):
    events = sorted(net.p) if events is None else events
    n = len(events)
    unav = F(0); down = []
    for mask in range(1 << n):
        failed = [events[i] for i in range(n) if mask >> i & 1]
        pr = F(1)
        for i, e in enumerate(events):
            pr *= net.p[e] if mask >> i & 1 else 1 - net.p[e]
        if not up_fn(failed):
            unav += pr; down.append(mask)
    ds = set(down)
    mcs = []
    for m in down:
        if all((m & ~(1 << i)) not in ds for i in range(n) if m >> i & 1):
            mcs.append(frozenset(events[i] for i in range(n) if m >> i & 1))
    # coherence check
    incoh = [m for m in down if any((m | (1 << i)) not in ds for i in range(n))]
    return unav, mcs, len(incoh)


n = Net()
n.el("internet", fwd=True)
for r, a in (("r1", "90%"), ("r2", "85%")): n.el(r, pct(a), fwd=True)
n.el("sw-a", pct("97%"), fwd=True); n.el("sw-b", pct("96%"), fwd=True)
for s, sw in (("web", "sw-a"), ("db", "sw-b")):
    n.el(s); n.attach(s, s + "/eth0"); n.attach(s, s + "/" + s)
    n.need(s + "/eth0", lambda W, s=s: s in W); n.need(s + "/" + s, lambda W, s=s: s in W)
    n.link(s + "/eth0", sw)
for (a, b, av) in [("internet","r1","95%"),("internet","r2","94%"),("r1","sw-a","93%"),("r2","sw-a","92%"),("r1","sw-b","91%"),("r2","sw-b","89%")]:
    n.link(a, b, pct(av))
groups = {"gw-a": ["r1", "r2"], "gw-b": ["r2", "r1"]}
tiers = ["gw-a", "web/web", "gw-b", "db/db"]

def up(failed, interp):
    W = n.works(failed)
    for ha in groups["gw-a"]:
        for hb in groups["gw-b"]:
            hold = {"gw-a": ha, "gw-b": hb}
            if interp == "A":   # non-forwarding = members that are no group's holder
                nof = {m for g in groups for m in groups[g]} - set(hold.values())
            else:               # B: a non-holder of any group forwards nothing
                nof = {m for g in groups for m in groups[g] if m != hold[g]}
            chain = [hold[t] if t in groups else t for t in tiers]
            if not all(c in W for c in chain): continue
            if not n.reach(W, ["internet"], chain[0], nof): continue
            if all(n.reach(W, [chain[i]], chain[i+1], nof) for i in range(len(chain)-1)):
                return True
    return False

for interp in "AB":
    u, mcs, incoh = enumerate_states(n, lambda f: up(f, interp))
    orders = sorted(collections.Counter(len(c) for c in mcs).items())
    print(f"reading {interp}: U = {u} = {float(u):.12e}, A = {float(1 - u):.12%}, minimal cut sets by order {orders}")
    if interp == "A":
        for c in sorted(mcs, key=lambda s: (len(s), sorted(s))):
            print("  ", sorted(c))
