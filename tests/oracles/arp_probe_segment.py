#!/usr/bin/env python3
"""Independent oracle: exact unavailability by enumerating all 2^8 failure states."""
from itertools import product, combinations
from fractions import Fraction as F

Q = {"gw-1": F(1,1000), "gw-2": F(1,1000), "sw-1": F(1,1000), "sw-2": F(1,1000),
     "gw-1~sw-1": F(1,100), "gw-1~sw-2": F(1,100), "gw-2~sw-1": F(1,100), "gw-2~sw-2": F(1,100)}
E = list(Q)
GW, SW = ["gw-1", "gw-2"], ["sw-1", "sw-2"]

def l2_reach(up, sw, gw):           # ARP: switch -> router directly, never through a router
    return up[sw] and up[gw] and up[f"{gw}~{sw}"]

def routed_reach(up, sw, gw):       # WRONG model: ARP may cross routers / internet
    # graph: internet-gw1, internet-gw2 (never fail), gwk~swi links; find path sw -> gw
    if not (up[sw] and up[gw]): return False
    adj = {"inet": {"gw-1", "gw-2"}, "gw-1": {"inet"}, "gw-2": {"inet"}, "sw-1": set(), "sw-2": set()}
    for g in GW:
        for s in SW:
            if up[g] and up[s] and up[f"{g}~{s}"]:
                adj[g].add(s); adj[s].add(g)
    alive = lambda n: n == "inet" or up[n]
    seen, st = {sw}, [sw]
    while st:
        n = st.pop()
        for m in adj[n]:
            if alive(m) and m not in seen: seen.add(m); st.append(m)
    return gw in seen

def data_reach(up, sw):             # internet -> some up router -> up link -> up switch
    return up[sw] and any(up[g] and up[f"{g}~{sw}"] for g in GW)

def service_up(up, mode, reach=l2_reach):
    for sw in SW:                   # eth0 -> sw-1, eth1 -> sw-2
        hits = [reach(up, sw, g) for g in GW]
        nic_up = any(hits) if mode == "any" else all(hits)
        if nic_up and data_reach(up, sw):
            return True
    return False

def unavail(pred):
    U = F(0)
    for bits in product([True, False], repeat=len(E)):
        up = dict(zip(E, bits))
        if not pred(up):
            p = F(1)
            for e in E: p *= (1 - Q[e]) if up[e] else Q[e]
            U += p
    return U

def min_cuts(pred):
    cuts = []
    for k in range(1, len(E) + 1):
        for c in combinations(E, k):
            if any(set(m) <= set(c) for m in cuts): continue
            up = {e: e not in c for e in E}
            if not pred(up): cuts.append(c)
    return cuts

cases = {"site-any": lambda u: service_up(u, "any"),
         "site-all": lambda u: service_up(u, "all"),
         "site-all (WRONG: ARP crosses routers)": lambda u: service_up(u, "all", routed_reach)}
for name, pred in cases.items():
    U = unavail(pred)
    print(f"U({name}) = {float(U):.9g}   exact = {U}")
    for c in min_cuts(pred):
        p = F(1)
        for e in c: p *= Q[e]
        print(f"    {{{', '.join(c)}}}  prod={float(p):.3g}")
