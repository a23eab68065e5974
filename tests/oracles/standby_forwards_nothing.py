"""Oracle: a VRRP standby member forwards NOTHING.

Written from the semantics description alone (no project code was read).

Network (undirected):
    internet (entry, never fails), lb-1, lb-2 (VRRP pair), sw-a, sw-b,
    web-1, db-1 (servers, never fail, NICs never fail).
    Links: internet~lb-1, internet~lb-2, lb-1~sw-a, lb-2~sw-a,
           lb-1~sw-b, lb-2~sw-b, web-1~sw-a, db-1~sw-b.
Availabilities: switch 0.9999, load balancer 0.999, link 0.999.

Service: internet -> (holder lb) -> web-1 -> db-1.
Correct rule: up iff some working holder h in {lb-1, lb-2} gives
    (a) internet reaches h, (b) h reaches web-1, (c) web-1 reaches db-1,
where paths may only pass THROUGH working forwarding nodes: internet,
the switches, and h itself (never the non-holder lb, never a server).

Comparison ("any" rule, wrong/optimistic): both lbs forward transit
traffic; the chain member m must be working with internet reaches m and
m reaches web-1, and web-1 reaches db-1, all paths may pass through any
working lb (plus internet and switches).

The script enumerates all 2^12 failure states exactly (fractions.Fraction),
prints U, U_any, the minimal cut sets, and checks a hand-derived closed form.
"""

from fractions import Fraction
from decimal import Decimal, getcontext
from itertools import product

# ---------------------------------------------------------------- model
SW = Fraction(9999, 10000)   # switch availability
LB = Fraction(999, 1000)     # load balancer availability
LK = Fraction(999, 1000)     # link availability

LINKS = [
    ("internet", "lb-1"), ("internet", "lb-2"),
    ("lb-1", "sw-a"), ("lb-2", "sw-a"),
    ("lb-1", "sw-b"), ("lb-2", "sw-b"),
    ("web-1", "sw-a"), ("db-1", "sw-b"),
]


def link_name(l):
    return f"{l[0]}~{l[1]}"


# Failable components and their availabilities.
COMPONENTS = {"sw-a": SW, "sw-b": SW, "lb-1": LB, "lb-2": LB}
for l in LINKS:
    COMPONENTS[link_name(l)] = LK
NAMES = sorted(COMPONENTS)                  # fixed order for enumeration
NEVER_FAIL = {"internet", "web-1", "db-1"}  # always-up nodes


def reaches(src, dst, up, forwarders):
    """True iff src reaches dst over working links, where every
    intermediate node must be working and in `forwarders`.
    Endpoints src/dst must themselves be working."""
    def node_up(n):
        return n in NEVER_FAIL or up[n]
    if not (node_up(src) and node_up(dst)):
        return False
    adj = {}
    for l in LINKS:
        if up[link_name(l)]:
            a, b = l
            adj.setdefault(a, []).append(b)
            adj.setdefault(b, []).append(a)
    seen = {src}
    stack = [src]
    while stack:
        n = stack.pop()
        for m in adj.get(n, []):
            if m == dst:
                return True
            if m in seen:
                continue
            # m would be an intermediate hop: must forward and be working
            if m in forwarders and node_up(m):
                seen.add(m)
                stack.append(m)
    return src == dst


def service_up_holder(up):
    """Correct rule: only the holder lb forwards."""
    for h in ("lb-1", "lb-2"):
        if not up[h]:
            continue
        fwd = {"internet", "sw-a", "sw-b", h}
        if (reaches("internet", h, up, fwd)
                and reaches(h, "web-1", up, fwd)
                and reaches("web-1", "db-1", up, fwd)):
            return True
    return False


def service_up_any(up):
    """Wrong/optimistic rule: both lbs forward transit traffic."""
    fwd = {"internet", "sw-a", "sw-b", "lb-1", "lb-2"}
    if not reaches("web-1", "db-1", up, fwd):
        return False
    for m in ("lb-1", "lb-2"):
        if (up[m] and reaches("internet", m, up, fwd)
                and reaches(m, "web-1", up, fwd)):
            return True
    return False


# ---------------------------------------------------------- enumeration
def analyse(service_up):
    """Return (exact unavailability, list of minimal cut sets)."""
    U = Fraction(0)
    down_sets = []
    for bits in product((True, False), repeat=len(NAMES)):
        up = dict(zip(NAMES, bits))
        p = Fraction(1)
        for n in NAMES:
            p *= COMPONENTS[n] if up[n] else 1 - COMPONENTS[n]
        if not service_up(up):
            U += p
            down_sets.append(frozenset(n for n in NAMES if not up[n]))
    # Minimal cut sets: down sets with no down proper subset.  Processing
    # by size, a set is minimal iff it contains no minimal cut found so far
    # (any down subset contains a minimal cut).
    down_sets.sort(key=len)
    mcs = []
    for s in down_sets:
        if not any(c <= s for c in mcs):
            mcs.append(s)
    mcs = sorted((tuple(sorted(c)) for c in mcs), key=lambda c: (len(c), c))
    return U, mcs


def dec(x, digits=12):
    """Fraction -> Decimal string with `digits` significant digits."""
    getcontext().prec = digits
    d = Decimal(x.numerator) / Decimal(x.denominator)  # correctly rounded
    return f"{d:.{digits - 1}E}"


def print_cuts(mcs, max_order=None):
    orders = {}
    for c in mcs:
        orders[len(c)] = orders.get(len(c), 0) + 1
    for c in mcs:
        if max_order is None or len(c) <= max_order:
            print(f"  order {len(c)}: {{{', '.join(c)}}}")
    print("  count by order:",
          ", ".join(f"{k}: {v}" for k, v in sorted(orders.items())
                    if max_order is None or k <= max_order))


# ----------------------------------------------------------- closed form
def closed_form_U():
    """Hand derivation (correct rule).
    (a) internet's only neighbours are lb-1, lb-2 and the non-holder may
        not forward, so internet reaches h iff link internet~h is up.
    (b) web-1's only link is web-1~sw-a; from h the only route to sw-a not
        via the non-holder or a server is the direct link h~sw-a.
        So (b) iff h~sw-a, sw-a, web-1~sw-a up.
    (c) db-1's only link is db-1~sw-b; sw-a and sw-b are joined only
        through an lb (or via internet, which again needs both lbs), and
        only h forwards, so (c) iff web-1~sw-a, sw-a, h~sw-a, h~sw-b, sw-b,
        db-1~sw-b up.
    Hence up iff  sw-a, sw-b, web-1~sw-a, db-1~sw-b  all up  AND
       some h has {h, internet~h, h~sw-a, h~sw-b} all up.
    With p = a_lb * a_link^3 per branch:
        U = 1 - a_sw^2 * a_link^2 * (1 - (1 - p)^2)
    """
    p = LB * LK ** 3
    return 1 - SW ** 2 * LK ** 2 * (1 - (1 - p) ** 2)


def main():
    U, mcs = analyse(service_up_holder)
    print("Correct rule (only the VRRP holder forwards):")
    print(f"  U = {dec(U)}")
    print(f"  U exact = {U}")
    print(f"  minimal cut sets ({len(mcs)}):")
    print_cuts(mcs)

    U_any, mcs_any = analyse(service_up_any)
    print()
    print("Comparison rule (both lbs forward transit traffic):")
    print(f"  U_any = {dec(U_any)}")
    print(f"  U_any exact = {U_any}")
    print(f"  minimal cut sets of order <= 2:")
    print_cuts(mcs_any, max_order=2)
    print(f"  (total minimal cut sets under this rule: {len(mcs_any)})")
    print(f"  U - U_any = {dec(U - U_any)}")

    Uc = closed_form_U()
    print()
    print("Closed form: U = 1 - a_sw^2 * a_link^2 * (1 - (1 - a_lb*a_link^3)^2)")
    print(f"  closed form U = {dec(Uc)}")
    print(f"  equals enumeration exactly: {Uc == U}")
    assert Uc == U, "closed form disagrees with enumeration"


if __name__ == "__main__":
    main()
