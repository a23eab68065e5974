"""Oracle: an authoritative DNS server cabled into the design must be reached.

Written from the semantics description alone (no project code was read).

Network (undirected):
    internet (entry, never fails); load balancers lb-a, lb-b, each joined
    to internet by a perfect cable; switch ns-sw; cable internet~ns-sw;
    authoritative DNS servers ns-1, ns-2 cabled to ns-sw (ns-sw~ns-1,
    ns-sw~ns-2); a third DNS server ns-3 with no cable at all (a managed
    DNS service outside this network: usable whenever it works).
    There is no cable between the balancers and ns-sw.
Unavailabilities: load balancer 0.001, switch 0.0001, DNS server 0.01,
    every failable cable 0.001.

lb-a and lb-b are the two answers of a DNS-based global load balancer with
perfect health checks: its answer is usable iff at least one of them works.
A switch forwards between its cables; a DNS server does not forward; a
balancer is not on the path to the DNS servers.

Rule: a name resolves iff some of its authoritative servers works AND (if
that server is cabled into the network) it is reachable from internet over
working cables and working switches.  A service is up iff its name
resolves AND at least one of lb-a, lb-b works.

Services:
    "both-cabled":    authoritative servers ns-1, ns-2.
    "one-off-network": authoritative servers ns-1, ns-3.

The script enumerates all 2^9 failure states exactly (fractions.Fraction),
prints U, 1 - U, the minimal cut sets and single points of failure of each
service, and checks hand-derived closed forms.
"""

import enumeration
from fractions import Fraction
from decimal import Decimal, getcontext

# ---------------------------------------------------------------- model
Q_LB = Fraction(1, 1000)     # load balancer unavailability
Q_SW = Fraction(1, 10000)    # switch unavailability
Q_NS = Fraction(1, 100)      # DNS server unavailability
Q_LK = Fraction(1, 1000)     # cable unavailability

# Failable cables only (internet~lb-a, internet~lb-b are perfect and, as the
# balancers are not on the path to the DNS servers, irrelevant to reachability).
LINKS = [("internet", "ns-sw"), ("ns-sw", "ns-1"), ("ns-sw", "ns-2")]


def link_name(l):
    return f"{l[0]}~{l[1]}"


# Failable components and their unavailabilities.
COMPONENTS = {"lb-a": Q_LB, "lb-b": Q_LB, "ns-sw": Q_SW,
              "ns-1": Q_NS, "ns-2": Q_NS, "ns-3": Q_NS}
for l in LINKS:
    COMPONENTS[link_name(l)] = Q_LK
NAMES = sorted(COMPONENTS)        # fixed order for enumeration
NEVER_FAIL = {"internet"}
FORWARDERS = {"internet", "ns-sw"}    # switches (and the entry) forward
CABLED = {"ns-1", "ns-2"}             # ns-3 has no cable: off-network

SERVICES = {
    "both-cabled": ("ns-1", "ns-2"),
    "one-off-network": ("ns-1", "ns-3"),
}


def node_up(n, up):
    return n in NEVER_FAIL or up[n]


def reaches(src, dst, up):
    """True iff src reaches dst over working cables, every intermediate
    node being a working forwarder.  Endpoints must themselves work."""
    if not (node_up(src, up) and node_up(dst, up)):
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
            if m in FORWARDERS and node_up(m, up):
                seen.add(m)
                stack.append(m)
    return src == dst


def resolves(servers, up):
    for s in servers:
        if not up[s]:
            continue
        if s not in CABLED or reaches("internet", s, up):
            return True
    return False


def make_service_up(servers):
    def service_up(up):
        return resolves(servers, up) and (up["lb-a"] or up["lb-b"])
    return service_up


# ---------------------------------------------------------- enumeration
def analyse(service_up):
    """Return (exact unavailability, list of minimal cut sets)."""
    return enumeration.analyse(NAMES, COMPONENTS, service_up)


dec = enumeration.dec


def pct(x, digits=12):
    """Fraction in [0,1] -> percentage with `digits` significant digits."""
    getcontext().prec = digits
    d = Decimal(100 * x.numerator) / Decimal(x.denominator)
    return f"{d} %"


print_cuts = enumeration.print_cuts


# ----------------------------------------------------------- closed forms
# Availabilities.
L = 1 - Q_LB
S = 1 - Q_SW
D = 1 - Q_NS
C = 1 - Q_LK


def closed_form_both_cabled():
    """Up iff (lb-a or lb-b) AND ns-sw AND internet~ns-sw AND
    (ns-1 and ns-sw~ns-1, or ns-2 and ns-sw~ns-2): ns-sw is reached only
    over internet~ns-sw (balancers are not cabled to it), and each server
    only over its own cable.
        U = 1 - (1 - q_lb^2) * s * c * (1 - (1 - d c)^2)
    """
    return 1 - (1 - Q_LB ** 2) * S * C * (1 - (1 - D * C) ** 2)


def closed_form_one_off_network():
    """ns-3 needs no path; ns-1 needs ns-1, ns-sw~ns-1, ns-sw,
    internet~ns-sw.  Up iff (lb-a or lb-b) AND (ns-3 or that chain):
        U = 1 - (1 - q_lb^2) * (1 - q_ns * (1 - d s c^2))
    """
    return 1 - (1 - Q_LB ** 2) * (1 - Q_NS * (1 - D * S * C ** 2))


CLOSED = {
    "both-cabled": (closed_form_both_cabled,
                    "U = 1 - (1 - q_lb^2) * s * c * (1 - (1 - d*c)^2)"),
    "one-off-network": (closed_form_one_off_network,
                        "U = 1 - (1 - q_lb^2) * (1 - q_ns * (1 - d*s*c^2))"),
}


def main():
    results = {}
    for name, servers in SERVICES.items():
        U, mcs = analyse(make_service_up(servers))
        results[name] = U
        print(f"Service {name!r} (authoritative servers {', '.join(servers)}):")
        print(f"  U = {dec(U)}")
        print(f"  U exact = {U}")
        print(f"  1 - U = {pct(1 - U)}")
        print(f"  minimal cut sets ({len(mcs)}):")
        print_cuts(mcs)
        spof = [c[0] for c in mcs if len(c) == 1]
        print(f"  single points of failure: "
              f"{', '.join(spof) if spof else '(none)'}")
        f, text = CLOSED[name]
        Uc = f()
        print(f"  closed form: {text}")
        print(f"  closed form U = {dec(Uc)}")
        print(f"  equals enumeration exactly: {Uc == U}")
        assert Uc == U, f"closed form disagrees with enumeration for {name}"
        print()
    a, b = results["both-cabled"], results["one-off-network"]
    print(f"U(both-cabled) / U(one-off-network) = {dec(a / b, 10)}")
    print(f"U(both-cabled) - U(one-off-network) = {dec(a - b, 10)}")


if __name__ == "__main__":
    main()
