//! SPOF-L019 backup-same-site: a data backup kept at the site of the data it covers.

use super::{edge_targets, hit, text_attr, Hit, Lint, Severity};
use crate::model::{EdgeKind, Model, NodeRef};

pub static LINT: Lint = Lint {
    code: "SPOF-L019",
    name: "backup-same-site",
    severity: Severity::Warning,
    summary: "A data backup is kept at the one site that holds the data it covers (or names no site, so it lives beside the data).",
    rationale: "NIST SP 800-34 Rev. 1 §3.4.2: backup media should be stored offsite or at an alternate site, far enough away that the same event does not destroy both. A disaster at the data's site then takes the data and its last good copy together: the simulator reports it as 'all data lost', which fails any max_rpo.",
    fix: "Set the backup's `stored_at` to a site other than the data's (a second data centre or a vault).",
    example: r#""nightly": { "type": "data", "of": ["db-1/db"], "interval": "1d", "restore": "2h", "stored_at": "vault" }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for b in model.elements.iter().filter(|e| crate::mechanisms::backup::is_data_backup(e)) {
        let stored_at = text_attr(&b.attrs, "stored_at").and_then(|s| model.element_by_name(s)).map(|s| s.id);
        let mut sites: Vec<_> = edge_targets(model, NodeRef::Element(b.id), EdgeKind::Backs)
            .into_iter()
            .filter_map(|c| match c {
                NodeRef::Element(c) => crate::simulate::data::site_of(model, c),
                _ => None,
            })
            .collect();
        sites.sort_unstable();
        sites.dedup();
        // Data with no site: the single-site lint speaks for the whole design. Copies at
        // two sites or more: a disaster at one leaves the other.
        let [data_site] = sites[..] else { continue };
        if stored_at.is_some_and(|at| at != data_site) {
            continue;
        }
        let site = &model.element(data_site).name;
        let message = match stored_at {
            Some(_) => {
                format!("backup {} is kept at {site}, with the data it covers: one disaster there loses both", b.name)
            }
            None => format!("backup {} names no `stored_at`, so it lives beside its data at {site}", b.name),
        };
        out.push(hit(b.span, &b.name, message));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BASE: &str = r#"{ "sites": { "dc1": {}, "vault": {} },
      "components": { "db": { "kind": "server", "site": "dc1", "runs": ["db"] } },
      "backups": { "nightly": { "type": "data", "of": ["db/db"], "interval": "1d", "restore": "2h" STORED } } }"#;

    #[test]
    fn fires_at_the_data_site_or_without_a_site() {
        for stored in [r#", "stored_at": "dc1""#, ""] {
            let text = BASE.replace("STORED", stored);
            assert!(codes_for(&text).contains(&"SPOF-L019 nightly".to_string()), "{stored}: {:?}", codes_for(&text));
        }
    }

    #[test]
    fn quiet_when_kept_elsewhere() {
        let text = BASE.replace("STORED", r#", "stored_at": "vault""#);
        assert!(!codes_for(&text).iter().any(|c| c.starts_with("SPOF-L019")), "{:?}", codes_for(&text));
    }

    #[test]
    fn quiet_when_the_data_has_a_copy_at_another_site() {
        let text = BASE
            .replace(r#""db": { "kind": "server", "site": "dc1", "runs": ["db"] }"#,
                r#""db": { "kind": "server", "site": "dc1", "runs": ["db"] }, "dr": { "kind": "server", "site": "vault", "runs": ["db"] }"#)
            .replace(r#""of": ["db/db"]"#, r#""of": ["db/db", "dr/db"]"#)
            .replace("STORED", r#", "stored_at": "vault""#);
        assert!(text.contains("dr/db"));
        assert!(!codes_for(&text).iter().any(|c| c.starts_with("SPOF-L019")), "{:?}", codes_for(&text));
    }
}
