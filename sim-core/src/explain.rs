//! `spofsim explain CODE`: what each stable code means, why it matters (with its
//! primary source), how to fix it, and an example. Lints explain themselves (their
//! file holds the text); the other finding codes and the diagnostic codes (E101…W501)
//! are listed here.

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
    Explanation {
        code: "E101",
        name: "syntax",
        summary: "The file is not valid JSONC (JSON with comments and trailing commas).",
        rationale: "RFC 8259 defines JSON; spofsim also accepts // and /* */ comments and trailing commas (JSONC). Nothing of a file is analysed until it parses, so a syntax error stops validation of that file. YAML and other formats are named as such in the message.",
        fix: "Fix the text at the marked position: a missing comma or quote, an unclosed bracket. Convert YAML first (`yq -o=json . design.yaml`).",
        example: r#"{ "components": { "sw-1": { "kind": "switch" }, } }   // trailing comma: allowed"#,
    },
    Explanation {
        code: "E201",
        name: "wrong-type",
        summary: "A value has the wrong JSON type or shape (a string where a number belongs, an object where a list belongs).",
        rationale: "GUIDE.md §1 and `spofsim schema`: every field has one type; a wrong one would otherwise be guessed at, and an architect would act on a figure computed from a guess.",
        fix: "Write the value in the shape the message names; `spofsim schema` lists each field's type.",
        example: r#""members": ["web-1", "web-2"]   // a list, not "web-1, web-2""#,
    },
    Explanation {
        code: "E202",
        name: "unknown-field",
        summary: "An object has a field the scenario language does not know (often a typo).",
        rationale: "GUIDE.md §1: a misspelt field (\"mtbf\" as \"mtfb\") would silently fall back to a default and change the figures, so unknown fields are errors, each reported with the closest known name.",
        fix: "Use the suggested name, or remove the field; `spofsim schema` lists every field.",
        example: r#""web-1": { "kind": "server", "mtbf": "5y" }"#,
    },
    Explanation {
        code: "E203",
        name: "missing-field",
        summary: "A required field is absent (a component without `kind`, a UPS without `feed`).",
        rationale: "GUIDE.md §1: required fields carry the structure the analysis depends on (what a component is, what powers it); spofsim never invents them.",
        fix: "Add the field the message names.",
        example: r#""ups-a": { "kind": "ups", "feed": "feed-a" }"#,
    },
    Explanation {
        code: "E204",
        name: "unknown-kind",
        summary: "A `kind` that no mechanism declares, or a kind in the wrong section.",
        rationale: "docs/MECHANISMS.md lists every kind with its section (components, groups, services); each kind brings its own failure model and protocol timing, so an unknown one cannot be analysed.",
        fix: "Use the suggested kind, or move the entry to the section the message names.",
        example: r#""lb-1": { "kind": "load-balancer" }"#,
    },
    Explanation {
        code: "E301",
        name: "unknown-id",
        summary: "A reference names no declared id.",
        rationale: "GUIDE.md §1: links, groups, services and expectations refer to components by id; a dangling reference would drop a dependency and hide a SPOF. An entry that failed to decode still defines its id, so one typo gives one error.",
        fix: "Declare the id, or correct the reference (the message suggests the closest declared id).",
        example: r#""links": [ { "between": ["sw-1", "web-1"] } ]"#,
    },
    Explanation {
        code: "E302",
        name: "duplicate-id",
        summary: "Two declarations share one id (ids are shared by every section).",
        rationale: "GUIDE.md §1: every component, group, service and generated part (`web-1/web`, `a~b`) lives in one namespace, so a reference always means one thing.",
        fix: "Rename one of the two.",
        example: r#""web-1": { "kind": "server" }, "web-2": { "kind": "server" }"#,
    },
    Explanation {
        code: "E303",
        name: "wrong-kind",
        summary: "A reference names an id of the wrong kind (a PSU plugged into a switch, a group where a component belongs).",
        rationale: "docs/MECHANISMS.md: each field accepts the kinds whose behaviour it models (power comes from a PDU or UPS, a bond bundles NICs); another kind would give the analysis a dependency that does not exist.",
        fix: "Refer to one of the kinds the message lists.",
        example: r#""web-1": { "kind": "server", "power": ["pdu-a", "pdu-b"] }"#,
    },
    Explanation {
        code: "E304",
        name: "dependency-cycle",
        summary: "Dependencies form a cycle (a UPS fed by the PDU it powers).",
        rationale: "docs/SEMANTICS.md §1: a component is up when it and everything it depends on is up; a cycle makes that definition circular, so the design is refused instead of resolved arbitrarily.",
        fix: "Break the cycle: the message lists the members in order.",
        example: r#""ups-a": { "kind": "ups", "feed": "feed-a" }, "pdu-a": { "kind": "pdu", "from": "ups-a" }"#,
    },
    Explanation {
        code: "E401",
        name: "impossible-value",
        summary: "A value that cannot be true, or outside its range: a negative duration, k > n, RAID 5 on two disks, a VRRP priority of 300.",
        rationale: "docs/MECHANISMS.md gives each parameter's range and the standard it comes from (for example RFC 5798 §5.2.4: VRRP priorities 1–254); a value outside it describes no real system.",
        fix: "Use a value inside the range the message names.",
        example: r#""priorities": [200, 100]"#,
    },
    Explanation {
        code: "E402",
        name: "no-path",
        summary: "A service cannot be reached even with everything up.",
        rationale: "docs/SEMANTICS.md §1: a service is up while a chain of working members reaches from its entry through every tier; when no chain exists at all, every figure would be zero, which is a modelling mistake rather than a finding.",
        fix: "Add the missing link between the tiers the message names.",
        example: r#""links": [ { "between": ["sw-1", "lb-1"] } ]"#,
    },
    Explanation {
        code: "E403",
        name: "unsupported",
        summary: "Valid input in a feature spofsim does not support (Open-PSA MEF parameters, common-cause groups, ...).",
        rationale: "docs/SEMANTICS.md: figures are only printed for models spofsim evaluates exactly or bounds with a stated error; an unsupported construct is refused rather than ignored.",
        fix: "Rewrite the construct with supported ones (the message says which), or remove it.",
        example: r#"<define-gate name="top"><or><basic-event name="a"/><basic-event name="b"/></or></define-gate>"#,
    },
    Explanation {
        code: "W501",
        name: "questionable",
        summary: "Legal but questionable input: a design that is allowed but probably not what was meant (multipath over one HBA, a PDU capacity with no known draws, an STP group used as a service tier).",
        rationale: "docs/MECHANISMS.md describes what each mechanism protects against; a warning marks a declaration that cannot deliver it (a redundancy group with nothing redundant, a capacity that checks nothing). Warnings do not stop the analysis.",
        fix: "Follow the help line of the warning, or accept the design as it is.",
        example: r#""db-1-path": { "kind": "multipath", "server": "db-1", "hbas": ["db-1-hba-1", "db-1-hba-2"], "array": "array" }"#,
    },
];

/// The explanation of a code ("SPOF-L009", "L009", "raid-no-spare", "SPOF-S001"), any case.
pub fn explain(code: &str) -> Option<Explanation> {
    if let Some(e) = explain_exact(code) {
        return Some(e);
    }
    // "L020" for "SPOF-L020": the number is what people remember.
    explain_exact(&format!("SPOF-{code}"))
}

fn explain_exact(code: &str) -> Option<Explanation> {
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
    OTHERS
        .iter()
        .find(|e| e.code.eq_ignore_ascii_case(code) || e.name == code)
        .map(|e| Explanation { ..*e })
        .or_else(|| netbox_code(code))
}

/// An importer code (`spofsim import netbox`): its meaning from the importer's table.
fn netbox_code(code: &str) -> Option<Explanation> {
    let &(code, severity, meaning) =
        crate::netbox::codes::CODES.iter().find(|(c, _, _)| c.eq_ignore_ascii_case(code))?;
    Some(Explanation {
        code,
        name: severity,
        summary: meaning,
        rationale: "docs/NETBOX.md (\"Diagnostics\" and the mapping rule it names): the NetBox importer reports what it could not read, or what NetBox leaves out, instead of guessing; an error writes no scenario, a warning or note writes one with the gap filled pessimistically and said in the file's comments.",
        fix: "Follow the help line printed under the finding (it names the NetBox object, endpoint or option to fix), then import again.",
        example: "spofsim import netbox --from nb-responses/ --output netbox-dc1.jsonc",
    })
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
    "docs/MECHANISMS.md",
    "GUIDE.md",
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
    "ITI (CBEMA) Curve",
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
        assert_eq!(super::explain("l020").map(|e| e.code), Some("SPOF-L020"));
        for (code, _, meaning) in crate::netbox::codes::CODES {
            let e = super::explain(code).expect("importer codes explain themselves");
            assert_eq!(e.summary, *meaning);
            assert!(super::explain(&code.to_lowercase()).is_some());
        }
        for code in crate::diagnostics::Code::ALL {
            assert!(super::explain(code.as_str()).is_some(), "{} has no explanation", code.as_str());
        }
    }
}
