//! Failover preconditions: what a group's takeover needs at the moment it happens but
//! not in steady state. A regional control plane that promotes a database replica in
//! another zone, an orchestrator that moves a VIP, a DNS provider's API that a GSLB
//! failover writes through, a lock service that elects the new primary.
//!
//! Public post-mortems show why it matters. In AWS's April 2011 US-East event, Multi-AZ
//! RDS instances whose failover needed the degraded EBS control plane stayed down for
//! hours, not the advertised minutes ("Summary of the Amazon EC2 and Amazon RDS Service
//! Disruption in the US East Region", 2011-04-29).
//!
//! Vocabulary: `"require": ["control-plane"]` on an active-standby `cluster`, a `vrrp`
//! or `hsrp` group, or a single-answer `gslb`. Each id is a component, link or site, and
//! all of them must work when the takeover happens.
//!
//! Semantics (docs/SEMANTICS.md §3):
//! - Static analysis (exact figures, cut sets, SPOFs): a member that must take over to
//!   carry is eligible only while the preconditions work. With preemption (VRRP, HSRP,
//!   GSLB: the first member takes the role back whenever it works), that is every member
//!   but the first. So {first member, precondition} is a cut set, and the precondition
//!   alone is not a SPOF. Without preemption (a database cluster stays on the member it
//!   promoted), which member is active is not known statically. Any member then needs
//!   the preconditions while another member is down. This is pessimistic: it also counts
//!   the loss of the idle member. Every output says so.
//! - Simulation: the takeover waits. Detection runs as usual. The takeover starts only
//!   once every precondition works again, and it takes its usual time from then on.

use super::Ref;
use crate::model::{LowerCx, Req};

/// Lowers `"require": [...]` of the group being lowered. `preempts`: the group returns
/// to its first member whenever that member works.
pub fn lower_requires(cx: &mut LowerCx, require: &[Ref], preempts: bool) {
    if require.is_empty() {
        return;
    }
    super::check_distinct(cx, require, "a takeover's preconditions");
    let members = cx.me_group().map(|g| cx.builder.model.groups[g.0 as usize].members.clone()).unwrap_or_default();
    let mut ids: Vec<Req> = Vec::new();
    for r in require {
        let Some(e) = cx.resolve_any_element(r, "a takeover's precondition") else { continue };
        if members.contains(&e) {
            cx.error(
                crate::diagnostics::Code::ImpossibleValue,
                r.span,
                format!("\"{}\" is a member of this group, so it cannot be what a takeover needs", r.value),
                "name what the takeover needs besides the members: a control plane, an orchestrator, an API",
            );
            continue;
        }
        ids.push(Req::Element(e));
    }
    if ids.len() == require.len() {
        let req = ids.into_iter().fold(Req::Always, Req::and);
        cx.takeover_requires(req, preempts);
    }
}

/// The error for `field` ("require", "fencing") on a group that has no takeover
/// (`what`: "an active-active cluster"), with the change that gives it one (`fix`).
pub fn no_takeover(cx: &mut LowerCx, field: &str, what: &str, fix: &str) {
    cx.error(
        crate::diagnostics::Code::ImpossibleValue,
        cx.span,
        format!("\"{field}\" concerns a takeover, and {what} has no takeover"),
        format!("drop \"{field}\", or {fix}"),
    );
}

#[cfg(test)]
mod tests {
    use crate::analysis::single_failures::single_failures;

    /// Two load balancers sharing a VIP; moving the VIP to lb-b needs the orchestrator.
    /// Figures derived by hand, independent of the code: the service is down when lb-a
    /// is down and (lb-b or the orchestrator) is down, so with unavailabilities qa, qb,
    /// qc: U = qa · (qb + qc − qb·qc). The orchestrator alone is no SPOF.
    const TEXT: &str = r#"{
      "components": { "users": { "kind": "entry" }, "sw": { "kind": "switch", "availability": "100%" },
        "lb-a": { "kind": "load-balancer", "availability": "99%", "mttr": "1h" },
        "lb-b": { "kind": "load-balancer", "availability": "99%", "mttr": "1h" },
        "orchestrator": { "kind": "server", "availability": "90%", "mttr": "1h" } },
      "links": [ { "between": ["users", "sw"], "availability": "100%" },
                 { "between": ["lb-a", "sw"], "availability": "100%" },
                 { "between": ["lb-b", "sw"], "availability": "100%" } ],
      "groups": { "vip": { "kind": "vrrp", "members": ["lb-a", "lb-b"], "require": ["orchestrator"] } },
      "services": { "s": { "from": "users", "through": ["vip"] } } }"#;

    #[test]
    fn the_precondition_joins_the_first_members_cut_sets_but_is_no_spof() {
        let loaded = crate::load(TEXT);
        let model = loaded.model.unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
        let singles = single_failures(&model);
        let spofs: Vec<&str> = singles[0].as_ref().unwrap().iter().map(|&e| model.element(e).name.as_str()).collect();
        assert!(!spofs.contains(&"orchestrator"), "{spofs:?}");
        let tree = crate::analysis::structure::service_trees(&model).remove(0).unwrap();
        let result = crate::analysis::analyze_tree(&tree, &crate::analysis::Options::default()).unwrap();
        let (qa, qb, qc) = (0.01, 0.01, 0.10);
        let expected = qa * (qb + qc - qb * qc);
        assert!((result.probability - expected).abs() < 1e-12, "{} vs {expected}", result.probability);
        let cut_sets: Vec<Vec<&str>> = result
            .cut_sets
            .iter()
            .map(|c| c.events.iter().map(|&e| tree.events[e as usize].name.as_str()).collect())
            .collect();
        assert!(cut_sets.contains(&vec!["lb-a", "orchestrator"]), "{cut_sets:?}");
    }

    /// A cluster does not fail back, so any takeover may need the control plane.
    /// Derived by hand: down when both members are down, or when the control plane is
    /// down and one member is: U = qa·qb + qc·(qa·(1 − qb) + qb·(1 − qa)). Checked
    /// against the evaluator (the semantics' oracle) over every failure state too.
    #[test]
    fn without_fail_back_any_takeover_needs_the_precondition() {
        let text = TEXT.replace(
            r#""vip": { "kind": "vrrp", "members": ["lb-a", "lb-b"], "require": ["orchestrator"] }"#,
            r#""vip": { "kind": "cluster", "mode": "active-standby", "members": ["db-a", "db-b"], "require": ["orchestrator"] }"#,
        )
        .replace(r#""lb-a": { "kind": "load-balancer""#, r#""db-a": { "kind": "server", "runs": ["db"], "nics": ["sw"]"#)
        .replace(r#""lb-b": { "kind": "load-balancer""#, r#""db-b": { "kind": "server", "runs": ["db"], "nics": ["sw"]"#)
        .replace(r#"{ "between": ["lb-a", "sw"], "availability": "100%" },"#, "")
        .replace(r#"{ "between": ["lb-b", "sw"], "availability": "100%" } ],"#, "],")
        .replace(r#""links": ["#, r#""defaults": { "nic": { "availability": "100%" }, "process": { "availability": "100%" }, "link": { "availability": "100%" } }, "links": ["#);
        let loaded = crate::load(&text);
        let model = loaded.model.unwrap_or_else(|| panic!("{:#?}\n{text}", loaded.diagnostics));
        let tree = crate::analysis::structure::service_trees(&model).remove(0).unwrap();
        let result = crate::analysis::analyze_tree(&tree, &crate::analysis::Options::default()).unwrap();
        let (qa, qb, qc) = (0.01, 0.01, 0.10);
        let expected = qa * qb + qc * (qa * (1.0 - qb) + qb * (1.0 - qa));
        assert!((result.probability - expected).abs() < 1e-12, "{} vs {expected}", result.probability);
        // Every state of the three elements that can fail, through the evaluator.
        let id = |n: &str| model.elements.iter().position(|e| e.name == n).unwrap();
        let (a, b, c) = (id("db-a"), id("db-b"), id("orchestrator"));
        let mut enumerated = 0.0;
        for mask in 0..8u32 {
            let mut failed = vec![false; model.elements.len()];
            let mut p = 1.0;
            for (bit, (e, q)) in [(a, qa), (b, qb), (c, qc)].into_iter().enumerate() {
                let down = mask & (1 << bit) != 0;
                failed[e] = down;
                p *= if down { q } else { 1.0 - q };
            }
            if !crate::model::eval::evaluate(&model, &failed).service_up[0] {
                enumerated += p;
            }
        }
        assert!((enumerated - expected).abs() < 1e-12, "{enumerated} vs {expected}");
    }

    #[test]
    fn a_member_cannot_be_its_own_groups_precondition() {
        let text = TEXT.replace(r#""require": ["orchestrator"]"#, r#""require": ["lb-b"]"#);
        let loaded = crate::load(&text);
        assert!(loaded.model.is_none());
        assert!(loaded.diagnostics.iter().any(|d| d.message.contains("\"lb-b\" is a member of this group")));
    }

    #[test]
    fn a_group_with_no_takeover_rejects_require_and_fencing() {
        let text = TEXT.replace(
            r#""vip": { "kind": "vrrp", "members": ["lb-a", "lb-b"], "require": ["orchestrator"] }"#,
            r#""db": { "kind": "cluster", "mode": "active-active", "sharing": "shared-everything", "members": ["orchestrator", "lb-a"], "require": ["sw"], "fencing": { "device": "sw" } }"#,
        );
        let messages: Vec<String> = crate::load(&text).diagnostics.iter().map(|d| d.message.clone()).collect();
        for field in ["require", "fencing"] {
            let wanted = format!("\"{field}\" concerns a takeover, and an active-active cluster has no takeover");
            assert!(messages.contains(&wanted), "{messages:?}");
        }
    }
}
