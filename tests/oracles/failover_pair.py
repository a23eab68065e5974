#!/usr/bin/env python3
"""oracle15: reference values derived from first principles (independent of the
implementation under test).  Prints every number in RESULTS.md with 7
significant digits.

Case A  active-standby pair with deterministic failover / takeover delays
        exact semi-Markov (Markov-regenerative) analysis, two readings of the
        rules ("check-at-expiry" = primary, "abort" = alternative), a
        matrix-exponential cross-check of the timer kernels, first-order
        approximation, and a Monte Carlo of the raw rules.
Case B  VRRP Master_Down_Interval (RFC 3768 s6.1, RFC 5798 s6.1), exact decimals.
Case C  802.1D-1998 reconvergence times from the timers.

usage:  python3 oracle15.py            (full run, MC takes about a minute)
        python3 oracle15.py --no-mc    (analytic part only)
"""
import sys
from fractions import Fraction

import mpmath as mp
import numpy as np
from scipy.linalg import expm

mp.mp.dps = 50


def g7(x):
    """7 significant digits."""
    return f"{float(x):.7g}"


# ----------------------------------------------------------------------------
# Case A parameters (hours)
# ----------------------------------------------------------------------------
MTBF = mp.mpf(1000)
MTTR = mp.mpf(10)
LAM = 1 / MTBF            # failure rate per member
MU = 1 / MTTR             # repair rate per member (unlimited crews)
SEC = mp.mpf(1) / 3600    # one second in hours
P_UP = MU / (LAM + MU)    # p = steady-state availability of one member
Q_DN = LAM / (LAM + MU)   # q = MTTR/(MTBF+MTTR)


def timer_kernel(tau, semantics):
    """Exit law of a deterministic timer of length tau.

    At the start of every timer the target X is up and the other member Y is
    down (true both for the failover timer F and the takeover timer K).
    Members keep failing / being repaired independently during the timer.

    returns dict  next_state -> probability, and mean sojourn (hours)
    next states: 'A' (X active, Y standby up), 'B' (X active, Y down),
                 'Z' (both down, no timer), 'K' (new takeover timer for Y)
    """
    s = LAM + MU
    if semantics == "expiry":
        # X, Y evolve freely; roles decided by their states at the instant tau
        a = mp.e ** (-s * tau)
        ux = P_UP + Q_DN * a          # P(X up at tau | X up at 0)
        vy = P_UP * (1 - a)           # P(Y up at tau | Y down at 0)
        probs = {"A": ux * vy, "B": ux * (1 - vy),
                 "Z": (1 - ux) * (1 - vy), "K": (1 - ux) * vy}
        mean = tau
    elif semantics == "abort":
        # the timer is cancelled the moment X fails (rate LAM, independent of Y)
        ex = mp.e ** (-LAM * tau)
        vy = P_UP * (1 - mp.e ** (-s * tau))
        # abort with Y up: int_0^tau LAM e^{-LAM t} P(Y up at t) dt
        abort_yup = P_UP * ((1 - ex) - LAM / (2 * LAM + MU)
                            * (1 - mp.e ** (-(2 * LAM + MU) * tau)))
        abort_ydn = (1 - ex) - abort_yup
        probs = {"A": ex * vy, "B": ex * (1 - vy), "Z": abort_ydn, "K": abort_yup}
        mean = (1 - ex) / LAM if tau > 0 else mp.mpf(0)
    else:
        raise ValueError(semantics)
    return probs, mean


def smp_solve(d, T, semantics):
    """Exact steady state of the semi-Markov process with states A,B,Z,F,K.
    Returns U and a dict of diagnostics."""
    S = ["A", "B", "Z", "F", "K"]
    idx = {k: i for i, k in enumerate(S)}
    n = len(S)
    P = mp.zeros(n, n)
    m = [mp.mpf(0)] * n
    down = {"A": False, "B": False, "Z": True, "F": True, "K": True}
    # A: both up, one active.  active fails -> F ; standby fails -> B
    P[idx["A"], idx["F"]] = mp.mpf(1) / 2
    P[idx["A"], idx["B"]] = mp.mpf(1) / 2
    m[idx["A"]] = 1 / (2 * LAM)
    # B: active up, other down.  active fails -> Z ; other repaired -> A
    P[idx["B"], idx["Z"]] = LAM / (LAM + MU)
    P[idx["B"], idx["A"]] = MU / (LAM + MU)
    m[idx["B"]] = 1 / (LAM + MU)
    # Z: both down, no timer.  first repair (rate 2 MU) -> K
    P[idx["Z"], idx["K"]] = 1
    m[idx["Z"]] = 1 / (2 * MU)
    for name, tau in (("F", d), ("K", T)):
        pr, mean = timer_kernel(tau, semantics)
        for k, v in pr.items():
            P[idx[name], idx[k]] += v
        m[idx[name]] = mean
    # stationary law of the embedded chain: pi (P - I) = 0, sum pi = 1
    M = (P - mp.eye(n)).T
    for j in range(n):
        M[n - 1, j] = 1
    rhs = mp.zeros(n, 1)
    rhs[n - 1] = 1
    pi = mp.lu_solve(M, rhs)
    tot = sum(pi[i] * m[i] for i in range(n))
    dn = sum(pi[i] * m[i] for i in range(n) if down[S[i]])
    frac = {S[i]: pi[i] * m[i] / tot for i in range(n)}
    # event rates per hour: entries into F (failovers) and into K from Z
    rate_F = pi[idx["F"]] / tot
    rate_ZK = pi[idx["Z"]] / tot
    return dn / tot, {"time_frac": frac, "rate_failover": rate_F,
                      "rate_Z_to_K": rate_ZK, "P": P, "m": m}


def expm_kernel(tau, semantics):
    """Cross-check of timer_kernel with matrix exponentials (float64)."""
    lam, mu = float(LAM), float(MU)
    tau = float(tau)
    if semantics == "expiry":
        # states (X,Y): 0=uu 1=ud 2=du 3=dd ; start 1 (X up, Y down)
        Q = np.zeros((4, 4))
        for s_, (x, y) in enumerate([(1, 1), (1, 0), (0, 1), (0, 0)]):
            for who in (0, 1):
                st = [x, y]
                st[who] = 1 - st[who]
                t_ = [(1, 1), (1, 0), (0, 1), (0, 0)].index(tuple(st))
                Q[s_, t_] += lam if (x, y)[who] == 1 else mu
            Q[s_, s_] = -Q[s_].sum()
        pt = expm(Q * tau)[1]
        return {"A": pt[0], "B": pt[1], "K": pt[2], "Z": pt[3]}, tau
    # abort: transient states 0=(X up,Y up) 1=(X up,Y down);
    # absorbing 2 = aborted with Y up, 3 = aborted with Y down
    Q = np.zeros((4, 4))
    Q[0, 1] = lam; Q[0, 2] = lam
    Q[1, 0] = mu;  Q[1, 3] = lam
    # absorbed states keep Y evolving is irrelevant (state frozen at abort)
    for i in range(2):
        Q[i, i] = -Q[i].sum()
    E = expm(Q * tau)[1]
    # mean time in transient states: integral of expm -> augmented matrix trick
    Qt = Q[:2, :2]
    aug = np.zeros((4, 4))
    aug[:2, :2] = Qt
    aug[:2, 2:] = np.eye(2)
    I = expm(aug * tau)[:2, 2:]        # = int_0^tau e^{Qt s} ds
    mean = I[1].sum()
    return {"A": E[0], "B": E[1], "K": E[2], "Z": E[3]}, mean


def first_order(d, T):
    U0 = Q_DN ** 2
    r_fo = LAM * P_UP ** 2            # active fails while standby up
    r_rep = 2 * MU * Q_DN ** 2         # both down -> one repaired
    return U0, r_fo, r_rep, r_fo * d, r_rep * T


# ----------------------------------------------------------------------------
# Monte Carlo of the raw rules (member timelines are role-independent)
# ----------------------------------------------------------------------------
def member_timeline(rng, horizon, lam, mu):
    """Alternating up/down renewal process starting up at t=0.
    returns array of change times (first change is a failure)."""
    n = int(horizon / (1 / lam + 1 / mu) * 1.2) + 100
    while True:
        dur = np.empty(2 * n)
        dur[0::2] = rng.exponential(1 / lam, n)
        dur[1::2] = rng.exponential(1 / mu, n)
        t = np.cumsum(dur)
        if t[-1] > horizon:
            return t[t <= horizon]
        n *= 2


def simulate(d, T, horizon, semantics, seed, nbatch=100):
    rng = np.random.default_rng(seed)
    lam, mu = float(LAM), float(MU)
    tl = [member_timeline(rng, horizon, lam, mu) for _ in range(2)]
    times = np.concatenate(tl)
    who = np.concatenate([np.zeros(len(tl[0]), int), np.ones(len(tl[1]), int)])
    # event kind: member alternates fail(0),repair(1),fail,...
    kind = np.concatenate([np.arange(len(tl[0])) % 2, np.arange(len(tl[1])) % 2])
    order = np.argsort(times, kind="stable")
    times, who, kind = times[order].tolist(), who[order].tolist(), kind[order].tolist()

    up = [True, True]
    active = 0                # db-1 active at t=0
    timer = None              # (expiry_time, target)
    down_start = None
    iv_s, iv_e = [], []
    n_failover = 0
    n_ZK = 0

    def service_down(t):
        nonlocal down_start
        if down_start is None:
            down_start = t

    def service_up(t):
        nonlocal down_start
        if down_start is not None:
            iv_s.append(down_start); iv_e.append(t)
            down_start = None

    def expire(texp):
        nonlocal timer, active
        _, x = timer
        timer = None
        if up[x]:
            active = x
            service_up(texp)
        elif up[1 - x]:
            timer = (texp + T, 1 - x)      # the other one takes over after T
        # else both down: wait for a repair (state Z)

    for t, i, k in zip(times, who, kind):
        while timer is not None and timer[0] <= t:
            expire(timer[0])
        o = 1 - i
        if k == 0:            # member i fails
            up[i] = False
            if active == i:
                active = None
                service_down(t)
                if up[o]:
                    timer = (t + d, o)     # failover (detection + takeover)
                    n_failover += 1
                # else both down -> Z
            elif active is None and timer is not None and semantics == "abort" \
                    and timer[1] == i:
                timer = None               # takeover target died: cancel
                if up[o]:
                    timer = (t + T, o)
        else:                 # member i repaired
            up[i] = True
            if active is None and timer is None:
                # both were down (Z): repaired one takes over after T
                timer = (t + T, i)
                n_ZK += 1
            # active == o: becomes standby ; timer running: nothing changes
    while timer is not None and timer[0] <= horizon:
        expire(timer[0])
    if down_start is not None:
        iv_s.append(down_start); iv_e.append(horizon)
    s = np.array(iv_s); e = np.minimum(np.array(iv_e), horizon)
    # batch means over equal time slices
    bounds = np.linspace(0, horizon, nbatch + 1)

    def cumdown(b):
        # total downtime in [0,b]
        return np.clip(np.minimum(e, b) - s, 0, None).sum()
    cum = np.array([cumdown(b) for b in bounds])
    per = np.diff(cum) / np.diff(bounds)
    U = cum[-1] / horizon
    half = 1.96 * per.std(ddof=1) / np.sqrt(nbatch)
    return U, half, n_failover, n_ZK, len(s), per


# ----------------------------------------------------------------------------
# Case B: VRRP
# ----------------------------------------------------------------------------
def vrrp_v2(adv_s, prio):
    skew = Fraction(256 - prio, 256)                  # seconds
    return 3 * Fraction(adv_s) + skew, skew


def vrrp_v3(adv_s, prio):
    adv_cs = Fraction(adv_s) * 100                    # centiseconds
    skew_cs = (256 - prio) * adv_cs / 256
    mdi_cs = 3 * adv_cs + skew_cs
    # what an integer-centisecond implementation (truncating division) gets
    skew_cs_int = ((256 - prio) * int(adv_cs)) // 256
    mdi_cs_int = 3 * int(adv_cs) + skew_cs_int
    return mdi_cs / 100, skew_cs / 100, Fraction(mdi_cs_int, 100), mdi_cs, skew_cs


def dec(fr):
    """exact decimal string of a Fraction with a power-of-2/5 denominator"""
    fr = Fraction(fr)
    for k in range(0, 30):
        if (fr * 10 ** k).denominator == 1:
            v = fr * 10 ** k
            s = str(abs(v.numerator)).rjust(k + 1, "0")
            out = s[:-k] + "." + s[-k:] if k else s
            return ("-" if fr < 0 else "") + out
    return str(fr)


# ----------------------------------------------------------------------------
def main():
    do_mc = "--no-mc" not in sys.argv
    print("=" * 78)
    print("CASE A  active-standby pair, MTBF=1000 h, MTTR=10 h")
    print("=" * 78)
    print("p =", g7(P_UP), " q =", g7(Q_DN))
    cases = {
        "(a) d=90 s, T=60 s": (90 * SEC, 60 * SEC),
        "(b) d=0,   T=0":     (mp.mpf(0), mp.mpf(0)),
        "(d) d=30 s+87600 h, T=87600 h": (30 * SEC + 87600, mp.mpf(87600)),
    }
    res = {}
    for label, (d, T) in cases.items():
        print("-" * 78)
        print(label, f"  d = {g7(d)} h, T = {g7(T)} h")
        for sem in ("expiry", "abort"):
            U, info = smp_solve(d, T, sem)
            res[(label, sem)] = (U, info)
            print(f"  exact U [{sem:6s}] = {g7(U)}   A = 1-U = {g7(1 - U)}"
                  f"   (15 digits: U = {mp.nstr(U, 15)})")
            fr = info["time_frac"]
            print("     time fractions: " + ", ".join(f"{k}={g7(v)}" for k, v in fr.items()))
            print(f"     failover rate = {g7(info['rate_failover'])} /h,"
                  f"  Z->K rate = {g7(info['rate_Z_to_K'])} /h")
        # matrix-exponential cross-check of the kernels
        for sem in ("expiry", "abort"):
            for name, tau in (("F", d), ("K", T)):
                pr, mean = timer_kernel(tau, sem)
                pe, me = expm_kernel(tau, sem)
                err = max(abs(float(pr[k]) - pe[k]) for k in pr)
                err = max(err, abs(float(mean) - me) / max(1.0, float(mean)))
                print(f"     expm check kernel {name} [{sem}]: max abs diff {err:.1e}")
        U0, r_fo, r_rep, dF, dK = first_order(d, T)
        Uex = res[(label, "expiry")][0]
        approx = U0 + dF + dK
        print(f"  U0 = q^2 = {g7(U0)}")
        print(f"  failover rate  lam*p^2   = {g7(r_fo)} /h ; * d = {g7(dF)}")
        print(f"  Z->repair rate 2*mu*q^2  = {g7(r_rep)} /h ; * T = {g7(dK)}")
        print(f"  first-order extra dU1    = {g7(dF + dK)}")
        print(f"  U0 + dU1                 = {g7(approx)}   (15 digits: {mp.nstr(approx, 15)})")
        print(f"  (U0 + dU1) - U [expiry]  = {g7(approx - Uex)}")
        if Uex > 0:
            print(f"  rel. error (U0+dU1 - U)/U  [vs expiry] = {g7((approx - Uex) / Uex)}")
            Uab = res[(label, 'abort')][0]
            print(f"  rel. error (U0+dU1 - U)/U  [vs abort]  = {g7((approx - Uab) / Uab)}")
            print(f"  exact extra U - U0 [expiry] = {g7(Uex - U0)}")
    # difference between the two readings for case (a)
    la = "(a) d=90 s, T=60 s"
    Ue, Ua = res[(la, "expiry")][0], res[(la, "abort")][0]
    print("-" * 78)
    print(f"(a) U_expiry - U_abort = {g7(Ue - Ua)}  (relative {g7((Ue - Ua) / Ue)})")
    # case (d) closed-form asymptotics for the abort reading
    ld = "(d) d=30 s+87600 h, T=87600 h"
    Uab = res[(ld, "abort")][0]
    print(f"(d) abort reading: availability 1-U = {mp.nstr(1 - Uab, 7)}")

    if do_mc:
        print("=" * 78)
        print("Monte Carlo of the raw rules (batch means: 100 equal time batches per")
        print("replication, batches pooled over replications; 95% CI = 1.96 s/sqrt(n))")
        print("=" * 78)

        def pooled(list_of_per):
            x = np.concatenate(list_of_per)
            return x.mean(), 1.96 * x.std(ddof=1) / np.sqrt(len(x))

        da, Ta = cases["(a) d=90 s, T=60 s"]
        dd, Td = cases["(d) d=30 s+87600 h, T=87600 h"]
        Ua_ex = res[("(a) d=90 s, T=60 s", "expiry")][0]
        Ub_ex = res[("(b) d=0,   T=0", "expiry")][0]
        Ud_ex = res[("(d) d=30 s+87600 h, T=87600 h", "expiry")][0]
        Ud_ab = res[("(d) d=30 s+87600 h, T=87600 h", "abort")][0]
        pa, pb, pdiff = [], [], []
        nfo_tot = nzk_tot = 0
        H = 2e9
        for seed in range(100, 108):     # 8 replications x 2e9 h, common random numbers
            Ua, _, nfo, nzk, _, per_a = simulate(float(da), float(Ta), H, "expiry", seed)
            Ub, _, _, _, _, per_b = simulate(0.0, 0.0, H, "expiry", seed)
            pa.append(per_a); pb.append(per_b); pdiff.append(per_a - per_b)
            nfo_tot += nfo; nzk_tot += nzk
        for name, lst, ex in (("(a) U", pa, Ua_ex), ("(b) U0", pb, Ub_ex),
                              ("(a)-(b) delay term", pdiff, Ua_ex - Ub_ex)):
            m_, h_ = pooled(lst)
            print(f"  {name:20s}: MC = {g7(m_)} +/- {g7(h_)}  CI [{g7(m_ - h_)}, {g7(m_ + h_)}]"
                  f"   exact {g7(ex)}")
        print(f"  (a) total simulated: {8 * H:.1e} h, failovers = {nfo_tot},"
              f" both-down->repair events = {nzk_tot}")
        Uab, hab, *_ = simulate(float(da), float(Ta), H, "abort", 100)
        print(f"  (a) abort reading, rep 100: U = {g7(Uab)} (same sample as expiry rep 100:"
              f" {g7(pa[0].mean())})")
        pd_ = []
        for seed in range(200, 204):
            Ud, _, nfo, nzk, _, per_d = simulate(float(dd), float(Td), 1e9, "expiry", seed)
            pd_.append(per_d)
        m_, h_ = pooled(pd_)
        print(f"  (d) U [expiry]      : MC = {g7(m_)} +/- {g7(h_)}  CI [{g7(m_ - h_)}, {g7(m_ + h_)}]"
              f"   exact {g7(Ud_ex)}   (4 x 1e9 h)")
        Ud2, hd2, nfo, nzk, nout, _ = simulate(float(dd), float(Td), 1e9, "abort", 200)
        print(f"  (d) U [abort]       : MC = {g7(Ud2)} (service never recovers after the first"
              f" failover; outages={nout})   exact 1 - {mp.nstr(1 - Ud_ab, 4)}")

    print("=" * 78)
    print("CASE B  VRRP Master_Down_Interval")
    print("=" * 78)
    for adv, pr in ((1, 100), (2, 100), (1, 150), (1, 100)):
        mdi, skew, mdi_int, mdi_cs, skew_cs = vrrp_v3(adv, pr)
        print(f"  v3 adv={adv}s prio={pr}: Skew_Time={dec(skew)} s ({dec(skew_cs)} cs),"
              f" MDI={dec(mdi)} s ({dec(mdi_cs)} cs); integer-cs truncation -> {dec(mdi_int)} s")
    for adv, pr in ((1, 100), (2, 100)):
        mdi, skew = vrrp_v2(adv, pr)
        print(f"  v2 adv={adv}s prio={pr}: Skew_Time={dec(skew)} s, MDI={dec(mdi)} s")

    print("=" * 78)
    print("CASE C  802.1D-1998 (Max Age 20, Forward Delay 15, Hello 2)")
    print("=" * 78)
    MaxAge, FwdDelay, Hello = 20, 15, 2
    print(f"  (1) blocked: acc-2 port on link acc-2--dist (dist is designated)")
    print(f"  (2) core--acc-1 fails, server on acc-1: MaxAge + 2*FwdDelay = {MaxAge + 2 * FwdDelay} s")
    print(f"      (if acc-2 ages the info by message age 1 s and the last BPDU came"
          f" 0..{Hello} s before the failure: {MaxAge - 1 - Hello + 2 * FwdDelay}..{MaxAge - 1 + 2 * FwdDelay} s)")
    print(f"  (3) core--dist fails, server on acc-1: 0 s (its path acc-1--core is untouched);"
          f" server on dist: {MaxAge + 2 * FwdDelay} s")


if __name__ == "__main__":
    main()
