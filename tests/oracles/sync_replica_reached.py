"""Oracle: a blocking synchronous commit needs a replica its primary reaches.

Written from the semantics description alone (no project code was read).

Network (undirected):
    internet (entry, never fails); switch sw-a (never fails), cable
    internet~sw-a (never fails); switch sw-b; cable sw-a~sw-b.
    Servers, each with one NIC cabled to one switch (NICs and these cables
    never fail): db-1, db-3, db-4 on sw-a; db-2, db-5 on sw-b.
Unavailabilities: sw-b 0.001, cable sw-a~sw-b 0.01, db-2, db-4, db-5 0.01
    each; db-1, db-3 and everything else never fail.

A switch forwards between its cables; a server does not forward.  Each
server runs a database process that is down only when its server is.

Rule (synchronous replication, "block" semantics as with PostgreSQL
synchronous_commit): a primary serves iff it works AND at least one of its
synchronous replicas works AND that replica's server reaches the primary's
server over working cables and working switches.  Clients reach the primary
from internet over perfect parts.

Services:
    "one-replica":      primary db-1, replica db-2.
    "local-and-remote": primary db-3, replicas db-4, db-5 (any one acks).

The script enumerates all 2^5 failure states exactly (fractions.Fraction),
prints U, 1 - U, the minimal cut sets and single points of failure of each
service, checks hand-derived closed forms, and, for comparison, gives U
when the network path to the replica is ignored (replica only has to work).
"""

import enumeration
from fractions import Fraction
from decimal import Decimal, getcontext

# ---------------------------------------------------------------- model
Q_SWB = Fraction(1, 1000)    # switch sw-b unavailability
Q_LK = Fraction(1, 100)      # cable sw-a~sw-b unavailability
Q_DB = Fraction(1, 100)      # db-2, db-4, db-5 server unavailability

# All cables; only sw-a~sw-b can fail.
LINKS = [("internet", "sw-a"), ("sw-a", "sw-b"),
         ("sw-a", "db-1"), ("sw-b", "db-2"), ("sw-a", "db-3"),
         ("sw-a", "db-4"), ("sw-b", "db-5")]
FAILABLE_LINKS = {("sw-a", "sw-b")}


def link_name(l):
    return f"{l[0]}~{l[1]}"


# Failable components and their unavailabilities.
COMPONENTS = {"sw-b": Q_SWB, "db-2": Q_DB, "db-4": Q_DB, "db-5": Q_DB}
for l in FAILABLE_LINKS:
    COMPONENTS[link_name(l)] = Q_LK
NAMES = sorted(COMPONENTS)        # fixed order for enumeration
FORWARDERS = {"internet", "sw-a", "sw-b"}   # switches (and the entry)

SERVICES = {
    "one-replica": ("db-1", ("db-2",)),
    "local-and-remote": ("db-3", ("db-4", "db-5")),
}


def node_up(n, up):
    return up.get(n, True)        # anything not failable never fails


def link_up(l, up):
    return up.get(link_name(l), True)


def reaches(src, dst, up):
    """True iff src reaches dst over working cables, every intermediate
    node being a working forwarder.  Endpoints must themselves work."""
    if not (node_up(src, up) and node_up(dst, up)):
        return False
    if src == dst:
        return True
    adj = {}
    for l in LINKS:
        if link_up(l, up):
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
    return False


def make_service_up(primary, replicas, need_path=True):
    def service_up(up):
        if not node_up(primary, up):
            return False
        if not reaches("internet", primary, up):   # always true here
            return False
        for r in replicas:
            if not node_up(r, up):
                continue
            if not need_path or reaches(r, primary, up):
                return True
        return False            # no acknowledging replica: writes block
    return service_up


# ---------------------------------------------------------- enumeration
def analyse(service_up):
    """Return (exact unavailability, list of minimal cut sets)."""
    return enumeration.analyse(NAMES, COMPONENTS, service_up)


dec = enumeration.dec


def pct(x, digits=13):
    """Fraction in (0,1] -> percentage with `digits` significant digits
    (trailing zeros kept)."""
    getcontext().prec = digits
    d = Decimal(100 * x.numerator) / Decimal(x.denominator)
    exp = d.adjusted() - digits + 1
    return f"{d.quantize(Decimal(1).scaleb(exp))} %"


print_cuts = enumeration.print_cuts


# ----------------------------------------------------------- closed forms
# Availabilities.
S = 1 - Q_SWB
C = 1 - Q_LK
D = 1 - Q_DB


def closed_form_one_replica():
    """db-1 never fails; db-2 reaches it only as db-2 -> sw-b -> sw-a~sw-b
    -> sw-a -> db-1.  Up iff db-2 AND sw-b AND sw-a~sw-b:
        U = 1 - d s c
    """
    return 1 - D * S * C


def closed_form_local_and_remote():
    """db-3 never fails; db-4 shares the perfect switch sw-a with it, so
    db-4 acknowledges whenever it works; db-5 needs db-5, sw-b, sw-a~sw-b.
    Up iff db-4 OR (db-5 AND sw-b AND sw-a~sw-b):
        U = q_db * (1 - d s c)
    """
    return Q_DB * (1 - D * S * C)


def closed_form_no_path(n_replicas):
    """Ignoring the path, the primary (perfect) serves iff some replica
    works:  U = q_db^n."""
    return Q_DB ** n_replicas


CLOSED = {
    "one-replica": (closed_form_one_replica, "U = 1 - d*s*c"),
    "local-and-remote": (closed_form_local_and_remote,
                         "U = q_db * (1 - d*s*c)"),
}


def main():
    results = {}
    for name, (primary, replicas) in SERVICES.items():
        U, mcs = analyse(make_service_up(primary, replicas))
        results[name] = U
        print(f"Service {name!r} (primary {primary}, "
              f"replicas {', '.join(replicas)}):")
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
        Un, _ = analyse(make_service_up(primary, replicas, need_path=False))
        Unc = closed_form_no_path(len(replicas))
        assert Un == Unc, f"no-path closed form disagrees for {name}"
        print(f"  for comparison, path ignored: U = {dec(Un)} "
              f"(exact {Un}), 1 - U = {pct(1 - Un)}")
        print(f"  U / U(path ignored) = {dec(U / Un, 10)}")
        print()


if __name__ == "__main__":
    main()
