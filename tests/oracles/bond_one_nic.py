"""Oracle: web-1 with an active-backup bond (eth0->sw-1, eth1->sw-2), db cluster
db-1 (on sw-2) / db-2 (on sw-1), lb linked to both switches, NO sw-1~sw-2 cable.

Written from the task description alone (no project code was read).

Failable elements (independent, q = P(down)):
  lb q=0.001; sw-1, sw-2 q=0.0001; cables q=0.001:
  lb~sw-1, lb~sw-2, eth0~sw-1, eth1~sw-2, db-1~sw-2, db-2~sw-1.
Everything else (internet, internet~lb, servers, NICs, processes) is perfect.

Forwarding: switches and lb forward between any of their working cables (lb also
routes sw-1 <-> sw-2). Servers never forward between NICs. Down things carry nothing.
Bond (active-backup): one NIC carries ALL of web-1's traffic, in and out; perfect
failover picks whichever NIC works. db cluster: 2 members, no quorum device, perfect
failover -> any reachable member serves.

Service UP iff lb up and there is a NIC n of web-1 such that lb reaches web-1 via n
AND web-1 via n reaches db-1 or db-2.
Wrong "split" rule (for comparison): receive via any NIC, send via any NIC independently.

Enumerates all 2^9 states with exact Fractions, and checks a hand-derived closed form.
"""
from fractions import Fraction as F
from itertools import product, combinations

Q = {"lb": F(1, 1000), "sw-1": F(1, 10000), "sw-2": F(1, 10000),
     "lb~sw-1": F(1, 1000), "lb~sw-2": F(1, 1000),
     "eth0~sw-1": F(1, 1000), "eth1~sw-2": F(1, 1000),
     "db-1~sw-2": F(1, 1000), "db-2~sw-1": F(1, 1000)}
NAMES = list(Q)

# Undirected graph; edges are cables (a cable, or its endpoint device, must be up).
EDGES = [("internet", "lb", None),
         ("lb", "sw-1", "lb~sw-1"), ("lb", "sw-2", "lb~sw-2"),
         ("web-1/eth0", "sw-1", "eth0~sw-1"), ("web-1/eth1", "sw-2", "eth1~sw-2"),
         ("db-1", "sw-2", "db-1~sw-2"), ("db-2", "sw-1", "db-2~sw-1")]
FORWARDERS = {"lb", "sw-1", "sw-2"}          # servers/NIC endpoints do not forward


def reach(up, src, dst):
    """Is there a path src -> dst through working cables, forwarding only at lb/switches?"""
    def ok(n):
        return up.get(n, True)
    if not (ok(src) and ok(dst)):
        return False
    seen, stack = {src}, [src]
    while stack:
        u = stack.pop()
        if u != src and u not in FORWARDERS:
            continue                           # endpoint: does not pass traffic on
        for a, b, cab in EDGES:
            for x, y in ((a, b), (b, a)):
                if x == u and y not in seen and ok(y) and (cab is None or up[cab]):
                    if y == dst:
                        return True
                    seen.add(y)
                    stack.append(y)
    return False


NICS = ["web-1/eth0", "web-1/eth1"]
DBS = ["db-1", "db-2"]


def rx(up, n):
    return reach(up, "lb", n)


def tx(up, n):
    return any(reach(up, n, d) for d in DBS)


def service_up(up):
    return up["lb"] and any(rx(up, n) and tx(up, n) for n in NICS)


def service_up_split(up):
    return up["lb"] and any(rx(up, n) for n in NICS) and any(tx(up, n) for n in NICS)


def unavail(fn):
    total = F(0)
    for bits in product([True, False], repeat=len(NAMES)):
        up = dict(zip(NAMES, bits))
        if not fn(up):
            p = F(1)
            for k, u in up.items():
                p *= (1 - Q[k]) if u else Q[k]
            total += p
    return total


def min_cuts(fn, max_order=3):
    cuts = []
    for k in range(1, max_order + 1):
        for down in combinations(NAMES, k):
            if any(set(c) <= set(down) for c in cuts):
                continue
            if not fn({n: n not in down for n in NAMES}):
                cuts.append(down)
    return cuts


def closed_form():
    """Hand derivation. Let L=A(lb), s=A(switch), c=A(cable).
    Via eth0 the service works iff  X = sw1*eth0c*a1 * (d2 OR a2*sw2*d1)
      (lb can only reach sw-1 over lb~sw-1; db-1 is reachable from sw-1 only via lb).
    Via eth1:                       Y = sw2*eth1c*a2 * (d1 OR a1*sw1*d2).
    P(X)=P(Y)= s c^3 (1 + s c - s c^2);  X*Y = sw1 sw2 e0 e1 a1 a2 (d1 OR d2),
    P(XY) = s^2 c^4 (2c - c^2).
    U = 1 - L * [ 2 s c^3 (1 + s c - s c^2) - s^2 c^5 (2 - c) ]."""
    L, s, c = 1 - Q["lb"], 1 - Q["sw-1"], 1 - Q["lb~sw-1"]
    return 1 - L * (2 * s * c**3 * (1 + s * c - s * c**2) - s**2 * c**5 * (2 - c))


if __name__ == "__main__":
    U = unavail(service_up)
    Us = unavail(service_up_split)
    Uc = closed_form()
    print(f"U       = {U}  ~ {float(U):.9g}")
    print(f"U_split = {Us}  ~ {float(Us):.9g}")
    print(f"U - U_split = {U - Us}  ~ {float(U - Us):.9g}")
    print(f"closed form = {Uc}  matches enumeration: {Uc == U}")
    assert Uc == U
    print("minimal cut sets (order <= 3), correct bond rule:")
    for cut in min_cuts(service_up):
        print("  {" + ", ".join(cut) + "}")
    print("minimal cut sets (order <= 3), WRONG split rule:")
    for cut in min_cuts(service_up_split):
        print("  {" + ", ".join(cut) + "}")
