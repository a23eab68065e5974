from fractions import Fraction as F
from raid_spares_chain import *

def sig(x, d=15):
    return f"{float(x):.{d}g}"

for n, h, K in [(2, 1, 1), (3, 1, 1), (2, 1, 5)]:
    check_generator_conservation(n, h, K)

print("(1) RAID1 n=2 h=1 MTBF 5y MTTR 7d R 2d")
U1 = prob_down(2, 1, 5 * 365, 7, 2, 1)
print("  U =", U1, "=", sig(U1))

print("(2) RAID1 n=2 h=1 MTBF 100 MTTR 30, exp rebuild")
for R in [1, 10, 30, 60]:
    U = prob_down(2, 1, 100, 30, R, 1)
    print(f"  R={R}: U = {U} = {sig(U)}")

print("(4) RAID5 n=3 tol1 h=1 MTBF 8760 MTTR 24 R 12")
c, a = start_rate(3, 1, 8760, 24, 12)
print("  counted starts /8760h =", c * 8760, "=", sig(c * 8760))
print("  all starts /8760h     =", a * 8760, "=", sig(a * 8760))
print("  P(down) =", sig(prob_down(3, 1, 8760, 24, 12, 1)))

print("(5) R->0 limit, MTBF 100 MTTR 30")
lim = (F(30) / 130) ** 3
print("  target (3/13)^3 =", lim, "=", sig(lim))
for R in [F(1, 10**k) for k in (2, 4, 6, 9)]:
    U = prob_down(2, 1, 100, 30, R, 1)
    print(f"  R={R}: U = {sig(U)}, U-lim = {float(U-lim):.3e}")
