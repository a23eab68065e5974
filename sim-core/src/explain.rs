//! `spofsim explain CODE`: what each stable code means, why it matters (with its
//! primary source), how to fix it, and an example. Lints explain themselves (their
//! file holds the text); the other finding and diagnostic codes are listed here.

use crate::lints;

pub struct Explanation {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub rationale: &'static str,
    pub fix: &'static str,
    pub example: &'static str,
}

/// A single point of failure, found by `analyze` and `check`.
pub const SPOF_FINDING: &str = "SPOF-S001";
/// An `expect` target that does not hold.
pub const EXPECTATION_FINDING: &str = "SPOF-X001";
/// The simulated availability and the static figure with timings disagree.
pub const MODELS_DISAGREE: &str = "SPOF-X002";

static OTHERS: &[Explanation] = &[
    Explanation {
        code: SPOF_FINDING,
        name: "single-point-of-failure",
        summary: "One component whose failure alone takes a service down.",
        rationale: "docs/SEMANTICS.md §1–§4: a service is up while a chain of working members reaches from its entry through every tier; redundancy at the component, system and site levels (RAID, failover, UPS, clustering, alternate sites: NIST SP 800-34 Rev. 1 §3.4.1, §3.4.3) keeps that chain when one part fails. A component with none (or whose redundancy shares a dependency: one PDU, one switch, one site) stops the service by itself. The report's chain says which redundancy it defeats.",
        fix: "Double the component, and check that the two copies share no power, network, storage or site: the explanation chain names the shared dependency.",
        example: r#""sw-1": { "kind": "switch", "power": ["pdu-a"] }, "sw-2": { "kind": "switch", "power": ["pdu-b"] }"#,
    },
    Explanation {
        code: EXPECTATION_FINDING,
        name: "expectation-failed",
        summary: "An `expect` target (availability, SPOFs, downtime, RPO, RTO) is not met.",
        rationale: "NIST SP 800-34 Rev. 1 §3.2.1 (RTO, RPO) and §3.5 (testing; §3.5.4: a full-scale exercise includes a system failover): the scenario states what the design must achieve; `check` measures it (exactly, or by a fixed-seed simulation for RPO and RTO) and fails the run when a target is missed.",
        fix: "Read the measured value next to the target; fix the SPOFs and slow failovers behind it (`spofsim analyze`, `spofsim simulate`), or change the target if it was wrong.",
        example: r#"{ "service": "shop", "min_availability": "99.99%", "max_spofs": 0, "max_rpo": "5s" }"#,
    },
    Explanation {
        code: MODELS_DISAGREE,
        name: "models-disagree",
        summary: "The simulated availability and the static figure with timings (detection and failover time) disagree.",
        rationale: "docs/SEMANTICS.md §5 (figures with timings): an availability target is checked on the static figure, which lengthens each repair by its detection delay and adds a first-order failover term. The simulation plays the same delays over years of random failures. When its 95% interval misses the static figure by more than the first-order term's tolerance, one of them misses an effect (overlapping failures, a failover that cannot complete, a long delay), and a gate that passed on the static figure alone would pass a design the simulation shows broken.",
        fix: "Read the biggest contributors in the simulated attribution (the verdict names them): shorten that failover, add monitoring, or fix the design. Accept with a `suppress` entry and a reason only when the difference is understood.",
        example: r#""suppress": [ { "code": "models-disagree", "subject": "shop", "reason": "10-minute DR takeover measured in drills" } ]"#,
    },
];

/// The explanation of a code ("SPOF-L009", "raid-no-spare", "SPOF-S001"), any case.
pub fn explain(code: &str) -> Option<Explanation> {
    if let Some(l) = lints::find(code) {
        return Some(Explanation {
            code: l.code,
            name: l.name,
            summary: l.summary,
            rationale: l.rationale,
            fix: l.fix,
            example: l.example,
        });
    }
    OTHERS.iter().find(|e| e.code.eq_ignore_ascii_case(code) || e.name == code).map(|e| Explanation { ..*e })
}

/// Every explainable code, sorted.
pub fn codes() -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<_> =
        lints::LINTS.iter().map(|l| (l.code, l.name)).chain(OTHERS.iter().map(|e| (e.code, e.name))).collect();
    all.sort();
    all
}

/// The primary sources a rationale may cite (each lint's and each explain entry's must
/// name one): standards, vendor and project documentation, and the product's own
/// semantics.
pub const CITED_SOURCES: &[&str] = &[
    "docs/SEMANTICS.md",
    "RFC",
    "IEEE",
    "NIST",
    "CIS Controls",
    "corosync-qdevice(8)",
    "Corosync",
    "Linux kernel",
    "md(4)",
    "PostgreSQL",
    "HAProxy",
    "keepalived",
    "HikariCP",
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_code_explains_itself() {
        for (code, name) in super::codes() {
            let e = super::explain(code).expect("explained");
            assert_eq!((e.code, e.name), (code, name));
            assert!(super::explain(name).is_some() && super::explain(&code.to_lowercase()).is_some());
            let sources = super::CITED_SOURCES;
            assert!(sources.iter().any(|s| e.rationale.contains(s)), "{code} cites no source");
        }
        assert!(super::explain("SPOF-L999").is_none());
    }
}
