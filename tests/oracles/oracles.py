#!/usr/bin/env python3
"""Independent oracle values for steady-state unavailability cases 1-8.

Pure Python (no numpy). CTMCs are solved EXACTLY in rational arithmetic
(fractions.Fraction) with Gauss-Jordan elimination on pi*Q = 0, sum(pi) = 1;
the closed forms are evaluated in floating point and compared.
See DERIVATIONS.md for the models.  Units: hours internally, 1 y = 365 d.
"""
from fractions import Fraction as F
from itertools import product
from math import exp, comb
import sys

H = F(1)
D = 24 * H
Y = 365 * D
OUT = []


def emit(name, value):
    OUT.append((name, value))
    if isinstance(value, str):
        print(f"{name} {value}")
    else:
        print(f"{name} {float(value):.12g}")


# ---------------------------------------------------------------- CTMC solver
def ctmc_steady(states, trans):
    """states: list of hashable; trans(s) -> list of (rate, s2).
    Returns dict state -> stationary probability (exact Fraction if rates are)."""
    idx = {s: i for i, s in enumerate(states)}
    n = len(states)
    Q = [[F(0)] * n for _ in range(n)]
    for s in states:
        i = idx[s]
        for r, t in trans(s):
            if r == 0 or t == s:
                continue
            j = idx[t]  # KeyError => state space not closed
            Q[i][j] += r
            Q[i][i] -= r
    # Solve pi Q = 0  <=>  Q^T pi^T = 0; replace last equation by normalisation
    A = [[Q[j][i] for j in range(n)] for i in range(n)]
    b = [F(0)] * n
    A[-1] = [F(1)] * n
    b[-1] = F(1)
    # Gauss-Jordan with exact arithmetic
    for c in range(n):
        p = next(r for r in range(c, n) if A[r][c] != 0)
        A[c], A[p] = A[p], A[c]
        b[c], b[p] = b[p], b[c]
        piv = A[c][c]
        A[c] = [x / piv for x in A[c]]
        b[c] = b[c] / piv
        for r in range(n):
            if r != c and A[r][c] != 0:
                f = A[r][c]
                A[r] = [x - f * y for x, y in zip(A[r], A[c])]
                b[r] -= f * b[c]
    pi = {s: b[idx[s]] for s in states}
    assert sum(pi.values()) == 1 and all(v >= 0 for v in pi.values())
    return pi


def reachable(start, trans):
    seen, stack = {start}, [start]
    while stack:
        s = stack.pop()
        for r, t in trans(s):
            if r and t not in seen:
                seen.add(t)
                stack.append(t)
    return sorted(seen, key=repr)


def rel(a, b):
    return (F(a) - F(b)) / F(b) if not isinstance(a, float) else (a - b) / b


# ======================================================================= Case 1
def case1():
    mtbf, mttr, reb = 5 * Y, 7 * D, 2 * D
    lam, mu_r, mu_b = 1 / mtbf, 1 / mttr, 1 / reb
    # (a) simple approximation
    u = (mttr + reb) / (mtbf + mttr + reb)
    Ua = u * u
    emit("case1a_slot_unavail", u)
    emit("case1a_U_raid1_nospare_approx", Ua)

    # (b) exact CTMC, each slot U -> R(eplace, exp 7d) -> B(uild, exp 2d) -> U,
    # both slots modelled jointly (9 states) and unlimited repair.
    def tr_slot(x):
        return {"U": [(lam, "R")], "R": [(mu_r, "B")], "B": [(mu_b, "U")]}[x]

    def trans(s):
        out = []
        for k in range(2):
            for r, y in tr_slot(s[k]):
                t = list(s)
                t[k] = y
                out.append((r, tuple(t)))
        return out

    states = list(product("URB", repeat=2))
    pi = ctmc_steady(states, trans)
    Ub = sum(p for s, p in pi.items() if s[0] != "U" and s[1] != "U")
    pslot = sum(p for s, p in pi.items() if s[0] != "U")
    emit("case1b_slot_unavail_ctmc", pslot)
    emit("case1b_U_raid1_nospare_ctmc", Ub)
    emit("case1_identical_exactly", "yes" if Ub == Ua else "no")
    emit("case1_rel_diff_b_vs_a", rel(Ub, Ua))


# ======================================================================= Case 2
def case2_model(spare_fails=False, target_fails=False):
    """State (slotA, slotB, s): slot in U(p, protected) / R(ebuilding onto a
    disk) / W(aiting for a disk, no disk present); s=1 if a hot spare is in
    the spare bay.  Pending replacements n = #W + (1-s) (each empty bay has one
    replacement under way, unlimited crews, exp 7 d).  A delivered disk goes
    to a W slot first (rebuild starts) else becomes the spare."""
    lam, mu_r, mu_b = 1 / (5 * Y), 1 / (7 * D), 1 / (2 * D)

    def trans(st):
        a, b, s = st
        slots = [a, b]
        out = []
        nW = slots.count("W")
        n = nW + (1 - s)
        for k in range(2):
            x = slots[k]
            fail_rate = lam if x == "U" else (lam if (x == "R" and target_fails) else 0)
            if fail_rate:
                t = slots[:]
                if s == 1:
                    t[k] = "R"  # rebuild onto hot spare at once
                    out.append((fail_rate, (t[0], t[1], 0)))
                else:
                    t[k] = "W"
                    out.append((fail_rate, (t[0], t[1], 0)))
            if x == "R":
                t = slots[:]
                t[k] = "U"
                out.append((mu_b, (t[0], t[1], s)))
        if n:
            rate = n * mu_r
            if nW:
                for k in range(2):
                    if slots[k] == "W":
                        t = slots[:]
                        t[k] = "R"
                        out.append((rate / nW, (t[0], t[1], s)))
            else:
                out.append((rate, (a, b, 1)))
        if spare_fails and s == 1:
            out.append((lam, (a, b, 0)))
        return out

    states = reachable(("U", "U", 1), trans)
    pi = ctmc_steady(states, trans)
    U = sum(p for st, p in pi.items() if st[0] != "U" and st[1] != "U")
    return U, len(states)


def case2():
    U0, n0 = case2_model()
    U1, n1 = case2_model(spare_fails=True)
    U2, n2 = case2_model(target_fails=True)
    U3, n3 = case2_model(spare_fails=True, target_fails=True)
    approx = ((2 * D) / (5 * Y + 2 * D)) ** 2
    # leading-order (second order in lambda) first-passage expansion, see DERIVATIONS.md
    lam, mr, mb = 1 / (5 * Y), 1 / (7 * D), 1 / (2 * D)
    dW = 1 / (mb + 2 * mr) + (2 * mr / (mb + 2 * mr)) / (2 * mb)
    lead = 2 * lam * lam * (dW / (mb + mr) + (mr / (mb + mr)) / mb / (2 * mb))
    emit("case2_U_leading_order_2lam2", lead)
    emit("case2_U_hotspare_ctmc_spare_no_fail", U0)
    emit("case2_nstates", n0)
    emit("case2_U_hotspare_ctmc_spare_fails", U1)
    emit("case2_U_sens_rebuild_target_fails", U2)
    emit("case2_U_sens_both", U3)
    emit("case2_U_approx", approx)
    emit("case2_rel_diff_approx_vs_ctmc", rel(approx, U0))
    emit("case2_rel_diff_approx_vs_ctmc_sparefails", rel(approx, U1))


# ======================================================================= Case 3
def birth_death_U(lams, mus):
    """birth-death on 0..N failed; lams[i] rate i->i+1, mus[i] rate i+1->i"""
    N = len(lams)
    states = list(range(N + 1))

    def trans(i):
        out = []
        if i < N:
            out.append((lams[i], i + 1))
        if i > 0:
            out.append((mus[i - 1], i - 1))
        return out

    return ctmc_steady(states, trans)[N]


def case3():
    lam, mu = 1 / (1000 * H), 1 / (100 * H)
    rho = lam / mu
    Ucold = birth_death_U([lam, lam], [mu, mu])
    emit("case3a_U_cold_1crew_ctmc", Ucold)
    emit("case3a_U_cold_1crew_closed", rho ** 2 / (1 + rho + rho ** 2))
    Uhot1 = birth_death_U([2 * lam, lam], [mu, mu])
    emit("case3b_U_hot_1crew_ctmc", Uhot1)
    emit("case3b_U_hot_1crew_closed", 2 * rho ** 2 / (1 + 2 * rho + 2 * rho ** 2))
    Uhot2 = birth_death_U([2 * lam, lam], [mu, 2 * mu])
    q = 100 / (1000 + 100 * H)
    emit("case3c_U_hot_2crew_ctmc", Uhot2)
    emit("case3c_U_hot_2crew_closed_q2", q * q)
    # warm standby, standby fails at alpha*lam (sensitivity, alpha = 0.5)
    alpha = F(1, 2)
    emit("case3_sens_warm_alpha0.5_1crew", birth_death_U([(1 + alpha) * lam, lam], [mu, mu]))


# ======================================================================= Case 4
def case4():
    mtbf, mttr, T = 8760.0, 3.0, 0.25
    qf = mttr / (mtbf + mttr)
    closed = qf * exp(-T / mttr)
    # renewal-reward: E[(D-T)^+] by numerical integration of the survival fn
    # E[(D-T)^+] = int_T^inf P(D>x) dx, Simpson on [T, T+60*mttr]
    def simpson(f, a, b, n=200000):
        h = (b - a) / n
        s = f(a) + f(b)
        for i in range(1, n):
            s += (4 if i % 2 else 2) * f(a + i * h)
        return s * h / 3

    e_excess = simpson(lambda x: exp(-x / mttr), T, T + 60 * mttr)
    rr = e_excess / (mtbf + mttr)
    emit("case4_q_feed", qf)
    emit("case4_U_load_closed", closed)
    emit("case4_U_load_renewal_reward_numeric", rr)
    emit("case4_U_two_loads_one_ups", closed)  # perfect switches: same event
    emit("case4_qfeed_over_U_minus1_percent", (qf / closed - 1) * 100)


# ======================================================================= Case 5
def case5():
    qp = (15 * H / 60) / (180 * D + 15 * H / 60)
    qd = 12 * H / (2 * Y + 12 * H)
    U_right = U_wrong = F(0)
    for p1, p2, d in product((0, 1), repeat=3):  # 1 = up
        pr = (1 - qp if p1 else qp) * (1 - qp if p2 else qp) * (1 - qd if d else qd)
        # correct model: hosts never fail -> host votes 2 of 3 always present
        votes = 2 + d
        up_right = votes >= 2 and (p1 or p2)
        if not up_right:
            U_right += pr
        # wrong model: votes per process
        if (p1 + p2 + d) < 2 or not (p1 or p2):
            U_wrong += pr
    emit("case5_q_process", qp)
    emit("case5_q_qdev", qd)
    emit("case5_U_correct_enum", U_right)
    emit("case5_U_correct_closed_qp2", qp * qp)
    emit("case5_U_wrong_votes_per_process", U_wrong)
    emit("case5_U_wrong_closed", qp * qp + 2 * qp * (1 - qp) * qd)


# ======================================================================= Case 6
def case6():
    fwd = {"internet", "lb-1", "lb-2", "sw"}  # entry, LBs, switch
    nodes = ["internet", "lb-1", "lb-2", "sw", "web-1", "web-1/eth0"]
    links = {  # link name -> endpoints
        "internet~lb-1": ("internet", "lb-1"),
        "internet~lb-2": ("internet", "lb-2"),
        "lb-2~sw": ("lb-2", "sw"),
        "web-1/eth0~sw": ("web-1/eth0", "sw"),
    }
    internal = [("web-1/eth0", "web-1")]  # NIC belongs to its host
    elements = ["lb-1", "lb-2", "sw", "web-1", "web-1/eth0", "web-1/web"] + list(links)

    def reach(src, dst, down):
        """Path src->dst over working nodes/links; intermediate nodes must be
        forwarding devices (NIC is transit only into/out of its own host)."""
        if src in down or dst in down:
            return False
        adj = {v: [] for v in nodes}
        for name, (a, b) in links.items():
            if name not in down:
                adj[a].append(b)
                adj[b].append(a)
        for a, b in internal:
            adj[a].append(b)
            adj[b].append(a)
        seen, stack = {src}, [src]
        while stack:
            v = stack.pop()
            if v == dst:
                return True
            if v != src and v not in fwd and not (v == "web-1/eth0" and dst == "web-1"):
                continue
            for w in adj[v]:
                if w not in seen and w not in down:
                    seen.add(w)
                    stack.append(w)
        return False

    def service_up(down):
        for m1 in ("lb-1", "lb-2"):
            if m1 in down or not reach("internet", m1, down):
                continue
            if "web-1/web" not in down and "web-1" not in down and reach(m1, "web-1", down):
                return True
        return False

    assert service_up(set())
    spofs = [e for e in elements if not service_up({e})]
    emit("case6_n_spof", len(spofs))
    emit("case6_spofs", ",".join(spofs))
    emit("case6_not_spof", ",".join(e for e in elements if e not in spofs))


# ======================================================================= Case 7
def case7():
    q = F(1, 100)
    U = F(0)
    for st in product((0, 1), repeat=3):
        pr = 1
        for x in st:
            pr *= (1 - q) if x else q
        if sum(st) < 2:
            U += pr
    emit("case7_U_2of3_q0.01", U)
    emit("case7_U_2of3_closed", 3 * q ** 2 * (1 - q) + q ** 3)
    q3 = F(1, 1000)
    emit("case7_U_series3_q0.001", 1 - (1 - q3) ** 3)
    emit("case7_U_parallel2_q0.01", q * q)


# ======================================================================= Case 8
def case8():
    qh, ql = F(1, 100), F(5, 100)
    Ua = F(0)
    Ub = F(0)
    for h in product((0, 1), repeat=3):
        ph = 1
        for x in h:
            ph *= (1 - qh) if x else qh
        if sum(h) <= 1:
            Ua += ph
        for l in (0, 1):
            pr = ph * ((1 - ql) if l else ql)
            parts = [[0, 1, 2]] if l else [[0, 1], [2]]
            ok = any(sum(h[i] for i in P) >= 2 for P in parts)  # majority of 3 votes
            if not ok:
                Ub += pr
    emit("case8a_U_3node_majority", Ua)
    emit("case8a_U_closed", 3 * qh ** 2 * (1 - qh) + qh ** 3)
    emit("case8b_U_node3_behind_link", Ub)
    emit("case8b_U_closed", 1 - ((1 - ql) * (1 - Ua) + ql * (1 - qh) ** 2))


if __name__ == "__main__":
    for c in (case1, case2, case3, case4, case5, case6, case7, case8):
        c()
