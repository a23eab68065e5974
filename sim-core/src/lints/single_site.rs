//! SPOF-L016 single-site: a service that one site's disaster stops.

use super::{hit, Hit, Lint, Severity};
use crate::model::eval::Evaluator;
use crate::model::Model;

pub static LINT: Lint = Lint {
    code: "SPOF-L016",
    name: "single-site",
    severity: Severity::Warning,
    summary: "Every path of a service crosses one site.",
    rationale: "NIST SP 800-34 Rev. 1 §3.4.3: an alternate site must be unlikely to be hit by the same hazard, since redundancy inside a site does not survive the site; §5.1.5: between sites, users are moved to the other site (GSLB returns its address) and synchronized remote copies keep the data.",
    fix: "Run the service in a second site (GSLB in front, replication between sites), or accept the site as a documented SPOF.",
    example: r#""gslb": { "kind": "gslb", "name": "shop.example.com", "members": ["lb-tokyo", "lb-osaka"], "answers": "single", "check": { "type": "http" } }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut evaluator = Evaluator::new(model);
    for site in model.elements.iter().filter(|e| e.kind == "site") {
        let mut failed = vec![false; model.elements.len()];
        failed[site.id.0 as usize] = true;
        let eval = evaluator.evaluate(&failed);
        for (i, s) in model.services.iter().enumerate() {
            if !eval.service_up[i] {
                out.push(hit(
                    s.span,
                    &s.name,
                    format!("service {} stops when site {} does: every path crosses it", s.name, site.name),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "sites": { "east": {}, "west": {} },
      "components": { "internet": { "kind": "entry" }, "w1": { "kind": "server", "site": "east" }, "w2": { "kind": "server", "site": "east" } },
      "links": [ { "between": ["internet", "w1"] }, { "between": ["internet", "w2"] } ],
      "groups": { "g": { "kind": "gslb", "members": ["w1", "w2"], "check": {} } },
      "services": { "s": { "from": "internet", "through": ["g"] } } }"#;

    #[test]
    fn fires_when_one_site_holds_everything() {
        assert!(codes_for(BAD).contains(&"SPOF-L016 s".to_string()));
    }

    #[test]
    fn quiet_across_two_sites() {
        let good = BAD
            .replace(r#""w2": { "kind": "server", "site": "east" }"#, r#""w2": { "kind": "server", "site": "west" }"#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L016")), "{:?}", codes_for(&good));
    }
}
