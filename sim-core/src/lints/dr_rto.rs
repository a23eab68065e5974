//! SPOF-L015 dr-rto: a DR site recovers more slowly than the service allows.

use super::{edge_targets, hit, secs_attr, text_attr, Hit, Lint, Severity};
use crate::model::{EdgeKind, Model, NodeRef};
use crate::units::Duration;

pub static LINT: Lint = Lint {
    code: "SPOF-L015",
    name: "dr-rto",
    severity: Severity::Error,
    summary: "A DR tier's recovery time exceeds the service's RTO target.",
    rationale: "NIST SP 800-34 Rev. 1 §5.1.5: DR sites are hot (take over quickly, data kept current: low RTO and RPO), warm (equipment in place, hours to days) or cold (days to weeks); §3.4.3 (alternate site criteria): the shorter the setup time, the higher the cost — the tier must match the target.",
    fix: "Choose a faster DR tier (warm → hot) or relax the RTO target.",
    example: r#""osaka": { "dr": { "of": "tokyo", "tier": "hot", "rto": "5m" } }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    model
        .elements
        .iter()
        .filter(|e| e.kind == "site")
        .filter_map(|s| {
            let dr = secs_attr(&s.attrs, "dr_rto")?;
            // The tightest RTO of the services running in this site or the one it recovers.
            let primary = edge_targets(model, NodeRef::Element(s.id), EdgeKind::Replication);
            let here = move |e: crate::model::ElementId| {
                model.element(e).site.is_some_and(|x| x == s.id || primary.contains(&NodeRef::Element(x)))
            };
            let rto =
                super::expectations_touching(model, here).filter_map(|x| x.max_rto_secs).fold(f64::INFINITY, f64::min);
            (dr > rto).then(|| {
                let tier = text_attr(&s.attrs, "dr_tier").unwrap_or("?");
                hit(
                    s.span,
                    &s.name,
                    format!(
                        "{} is a {tier} DR site taking {} to recover, but the RTO target is {}",
                        s.name,
                        Duration::from_secs(dr),
                        Duration::from_secs(rto)
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "sites": { "main": {}, "dr": { "dr": { "of": "main", "tier": "cold" } } },
      "components": { "internet": { "kind": "entry" }, "web": { "kind": "server", "site": "main" } },
      "links": [ { "between": ["internet", "web"] } ],
      "services": { "s": { "from": "internet", "through": ["web"] } },
      "expect": [ { "service": "s", "max_rto": "1h" } ] }"#;

    #[test]
    fn fires_when_the_tier_is_too_slow() {
        assert!(codes_for(BAD).contains(&"SPOF-L015 dr".to_string()));
    }

    #[test]
    fn quiet_with_a_hot_site() {
        let good = BAD.replace(r#""tier": "cold""#, r#""tier": "hot""#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L015")));
    }

    #[test]
    fn only_targets_of_services_in_the_protected_sites_count() {
        // A 1m target on a service in another site does not make this cold site too slow.
        let other = BAD
            .replace(r#""dr": { "dr""#, r#""elsewhere": {}, "dr": { "dr""#)
            .replace(
                r#""web": { "kind": "server", "site": "main" }"#,
                r#""web": { "kind": "server", "site": "main" }, "api": { "kind": "server", "site": "elsewhere" }"#,
            )
            .replace(
                r#"{ "between": ["internet", "web"] }"#,
                r#"{ "between": ["internet", "web"] }, { "between": ["internet", "api"] }"#,
            )
            .replace(
                r#""s": { "from": "internet", "through": ["web"] }"#,
                r#""s": { "from": "internet", "through": ["web"] }, "t": { "from": "internet", "through": ["api"] }"#,
            )
            .replace(
                r#"{ "service": "s", "max_rto": "1h" }"#,
                r#"{ "service": "s", "max_rto": "4d" }, { "service": "t", "max_rto": "1m" }"#,
            );
        assert!(!codes_for(&other).iter().any(|c| c.starts_with("SPOF-L015")), "{:?}", codes_for(&other));
        let tight = other.replace(r#""max_rto": "4d""#, r#""max_rto": "1d""#);
        assert!(codes_for(&tight).contains(&"SPOF-L015 dr".to_string()));
    }
}
