"""RAID groups whose disks being rebuilt onto fail too (DERIVATIONS.md case 27):
exact rationals from raid_restarts_chain.py. Run: python3 raid_restarts.py"""
from fractions import Fraction as F
from raid_restarts_chain import prob_down, start_rate, U_slot, stationary, states


def fmt(x):
    return f"{float(x):.15e}"


res = {}
print("== (1) RAID1 n=2 tol=1, MTBF=5*365 d, MTTR=7 d, R=2 d")
for h in (1, 0):
    p = prob_down(2, h, 5 * 365, 7, 2, 1)
    res[("1", h)] = p
    print(f"h={h}: P(both unprotected) = {p}  = {fmt(p)}")

print("== (2) RAID5 n=3, MTBF=8760 h, MTTR=24 h, R=12 h: counted rebuild starts per 8760 h")
for h in (0, 1):
    c, a = start_rate(3, h, 8760, 24, 12)
    res[("2", h)] = c * 8760
    print(f"h={h}: counted = {c*8760} = {fmt(c*8760)} ; all starts = {fmt(a*8760)}")

print("== (3) RAID1 n=2 h=1, MTBF=100 d, MTTR=30 d")
for R in (1, 10, 30, 60):
    p = prob_down(2, 1, 100, 30, R, 1)
    res[("3", R)] = p
    print(f"R={R}: P = {p} = {fmt(p)}")

print("== (4) single slot closed form, check")
U = U_slot(5 * 365, 7, 2)
S, pi, _ = stationary(1, 0, 5 * 365, 7, 2)
U1 = sum(v for st, v in pi.items() if st[0] == 0)
print("U closed =", U, fmt(U), " chain n=1:", U1, " equal:", U == U1)
print("U^2 =", fmt(U * U), " chain (1) h=0:", fmt(res[("1", 0)]), " equal:", U * U == res[("1", 0)])
# also check generic symbolic identity on other values
for (a, b, c) in [(100, 30, 1), (8760, 24, 12), (7, 3, 5)]:
    S, pi, _ = stationary(1, 0, a, b, c)
    assert sum(v for st, v in pi.items() if st[0] == 0) == U_slot(a, b, c)
    S2, pi2, _ = stationary(2, 0, a, b, c)
    assert sum(v for st, v in pi2.items() if st[0] == 0) == U_slot(a, b, c) ** 2
print("closed form verified exactly for 3 more parameter sets (n=1 and n=2 independence)")
