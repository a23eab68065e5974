"""Shared by the enumeration oracles: every failure state of a small system, in exact
rationals, and the minimal cut sets read off the down states. Written once so that each
oracle script keeps only its own system and its rule for "the service is up".
"""
from decimal import Decimal, getcontext
from fractions import Fraction
from itertools import product


def analyse(names, q, service_up):
    """Exact unavailability and minimal cut sets of `service_up` over the components
    `names`, each down with probability `q[name]` (a Fraction), independently.
    Returns (U, cut sets as sorted name tuples ordered by (order, names))."""
    U = Fraction(0)
    down_sets = []
    for bits in product((True, False), repeat=len(names)):
        up = dict(zip(names, bits))
        p = Fraction(1)
        for n in names:
            p *= (1 - q[n]) if up[n] else q[n]
        if not service_up(up):
            U += p
            down_sets.append(frozenset(n for n in names if not up[n]))
    # Processing down sets by size, a set is minimal iff it contains no minimal cut
    # found so far.
    down_sets.sort(key=len)
    mcs = []
    for s in down_sets:
        if not any(c <= s for c in mcs):
            mcs.append(s)
    return U, sorted((tuple(sorted(c)) for c in mcs), key=lambda c: (len(c), c))


def dec(x, digits=12):
    """Fraction -> Decimal string with `digits` significant digits."""
    getcontext().prec = digits
    d = Decimal(x.numerator) / Decimal(x.denominator)  # correctly rounded
    return f"{d:.{digits - 1}E}"


def print_cuts(mcs):
    orders = {}
    for c in mcs:
        orders[len(c)] = orders.get(len(c), 0) + 1
        print(f"  order {len(c)}: {{{', '.join(c)}}}")
    print("  count by order:",
          ", ".join(f"{k}: {v}" for k, v in sorted(orders.items())))
