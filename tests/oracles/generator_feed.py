import mpmath as mp
mp.mp.dps = 40
Y = mp.mpf(8760)
MU_UP = Y; MD = mp.mpf(3)            # utility mean up / mean outage (h)
nu = 1/MD
lam = 1/mp.mpf(17520); mu = 1/mp.mpf(8)
f = mp.mpf('0.05')
Ug = mp.mpf(8)/(17520+8); a = 1-Ug
cyc = MU_UP+MD
pU = MD/cyc

def approx(T):
    q = 1-(1-Ug)*(1-f)
    return pU*mp.e**(-T/MD)*q, q

def exact(T, restart_after_running_failure=True):
    # states: 0=C (gen carrying), 1=R (gen in repair, will be started on repair), 2=X (no input for rest of outage)
    Q = mp.matrix(3,3)
    if restart_after_running_failure:
        Q[0,1] = lam
    else:
        Q[0,2] = lam          # failed running gen never carries again this outage
    Q[1,0] = mu*(1-f); Q[1,2] = mu*f
    for i in range(3): Q[i,i] = -sum(Q[i,j] for j in range(3) if j!=i)
    p0 = mp.matrix([[a*(1-f), Ug, a*f]])
    M = nu*mp.eye(3) - Q
    L = p0 * M**-1            # Laplace transforms of state probs at s=nu
    g = mp.e**(-mu*T) + f*(1-mp.e**(-mu*T))   # P(no transition R->C within T)
    Edown = mp.e**(-nu*T)*(L[0,2] + g*L[0,1])  # expected load-down hours per outage
    return Edown/cyc, Edown

T1 = mp.mpf(5)/60
A1,q = approx(T1)
print("Ug =", mp.nstr(Ug,15), " q =", mp.nstr(q,15))
print("P(util down, age>T) =", mp.nstr(pU*mp.e**(-T1/MD),15))
print("Item1 U_approx =", mp.nstr(A1,15), " h/yr =", mp.nstr(A1*Y,12), " min/yr =", mp.nstr(A1*Y*60,12))
for v in (True, False):
    E,Ed = exact(T1, v)
    print("Item2 exact (restart after running failure=%s) U =" % v, mp.nstr(E,15),
          " E[down/outage] h =", mp.nstr(Ed,12), " min/yr =", mp.nstr(E*Y*60,12),
          " rel (approx-exact)/exact =", mp.nstr((A1-E)/E,8))
# Item 3
T3 = mp.mpf(5)/3600
ts = mp.mpf(10)/3600
loss_rate = Y/cyc                 # utility losses per year
n_ok = loss_rate*a*(1-f)
gap_nom_s = n_ok*5
gap_exact_h = loss_rate*a*(1-f)*MD*(mp.e**(-T3/MD)-mp.e**(-ts/MD))  # E[(min(D,10s)-5s)^+]
A3,_ = approx(T3)
print("Item3 losses/yr =", mp.nstr(loss_rate,15), " good starts/yr =", mp.nstr(n_ok,15))
print("  gap nominal s/yr =", mp.nstr(gap_nom_s,15), " frac =", mp.nstr(gap_nom_s/(Y*3600),15))
print("  gap exact (truncated by D) s/yr =", mp.nstr(gap_exact_h*3600,15), " frac =", mp.nstr(gap_exact_h/Y,15))
print("  long-outage approx T=5s U =", mp.nstr(A3,15), " s/yr =", mp.nstr(A3*Y*3600,12))
print("  TOTAL nominal U =", mp.nstr(A3+gap_nom_s/(Y*3600),15), " s/yr =", mp.nstr(A3*Y*3600+gap_nom_s,12))
print("  TOTAL exact-gap U =", mp.nstr(A3+gap_exact_h/Y,15), " s/yr =", mp.nstr((A3+gap_exact_h/Y)*Y*3600,12))
E3,_ = exact(T3)
print("  (check) exact long-outage model T=5s U =", mp.nstr(E3,15))
