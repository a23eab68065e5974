//! SPOF-L014 backups: data with no backup, or backups further apart than the RPO target.

use super::{edge_sources, edge_targets, hit, req_elements, secs_attr, text_attr, Hit, Lint, Severity};
use crate::model::{EdgeKind, ElementId, Model, NodeRef};
use crate::units::Duration;

pub static LINT: Lint = Lint {
    code: "SPOF-L014",
    name: "backups",
    severity: Severity::Warning,
    summary: "Data has no backup, or the backup that restores it runs less often than the RPO target.",
    rationale: "NIST SP 800-34 Rev. 1 §3.2.1: the RPO is the point to which data can be recovered given the most recent backup, so the backup interval bounds how much data a restore loses; §3.4.2: back up regularly. Redundancy is no backup: RAID guards against drive failures only (§5.1.2) and loses data when more disks fail than it tolerates, as in a rebuild window (md(4), 'RECOVERY').",
    fix: "Add a data backup covering the database (or its host), with an interval within the RPO target.",
    example: r#""nightly": { "type": "data", "of": ["db-1/db"], "interval": "1h", "restore": "2h", "stored_at": "vault" }"#,
    check,
};

fn backed_up(model: &Model, e: ElementId) -> bool {
    let mut candidates = vec![e];
    candidates.extend(req_elements(&model.element(e).needs));
    candidates.iter().any(|c| !edge_sources(model, NodeRef::Element(*c), EdgeKind::Backs).is_empty())
}

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for e in model
        .elements
        .iter()
        .filter(|e| (e.kind == "process" && text_attr(&e.attrs, "role") == Some("db")) || e.kind == "storage-array")
    {
        if !backed_up(model, e.id) {
            out.push(hit(e.span, &e.name, format!("{} holds data that no backup covers", e.name)));
            continue;
        }
        // Restored from a system image only (no data backup covers it): the image's
        // interval bounds the loss, and the per-backup check below judges data backups only.
        let mut holders = vec![e.id];
        holders.extend(req_elements(&e.needs));
        let covering: Vec<&crate::model::Element> = model
            .elements
            .iter()
            .filter(|b| crate::mechanisms::backup::is_backup(b))
            .filter(|b| {
                edge_targets(model, NodeRef::Element(b.id), EdgeKind::Backs)
                    .iter()
                    .any(|t| matches!(t, NodeRef::Element(t) if holders.contains(t)))
            })
            .collect();
        if covering.iter().any(|b| crate::mechanisms::backup::is_data_backup(b)) {
            continue;
        }
        let rpo = super::expectations_touching(model, |x| holders.contains(&x))
            .filter_map(|x| x.max_rpo_secs)
            .fold(f64::INFINITY, f64::min);
        let best = covering
            .iter()
            .filter_map(|b| secs_attr(&b.attrs, "interval").map(|i| (i, b)))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((interval, b)) = best.filter(|(interval, _)| *interval > rpo) {
            out.push(hit(
                e.span,
                &e.name,
                format!(
                    "{} is restored from system backup {} only, every {}, but the RPO target is {}: a restore loses more than allowed",
                    e.name,
                    b.name,
                    Duration::from_secs(interval),
                    Duration::from_secs(rpo)
                ),
            ));
        }
    }
    for b in model.elements.iter().filter(|e| e.kind == "backup") {
        // The tightest RPO target among design-wide ones and the services whose tiers
        // hold the data this backup covers (a process, or one hosted on a covered server).
        let covered = edge_targets(model, NodeRef::Element(b.id), EdgeKind::Backs);
        // A covered element, or the host a covered process runs on.
        let hosts: Vec<ElementId> = covered
            .iter()
            .filter_map(|c| match c {
                NodeRef::Element(c) => Some(req_elements(&model.element(*c).needs)),
                _ => None,
            })
            .flatten()
            .collect();
        let holds = move |e: ElementId| covered.contains(&NodeRef::Element(e)) || hosts.contains(&e);
        let rpo =
            super::expectations_touching(model, holds).filter_map(|x| x.max_rpo_secs).fold(f64::INFINITY, f64::min);
        if let Some(interval) = secs_attr(&b.attrs, "interval") {
            if crate::mechanisms::backup::is_data_backup(b) && interval > rpo {
                out.push(hit(
                    b.span,
                    &b.name,
                    format!(
                        "{} runs every {}, but the RPO target is {}: a restore loses more than allowed",
                        b.name,
                        Duration::from_secs(interval),
                        Duration::from_secs(rpo)
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "components": { "internet": { "kind": "entry" }, "db-1": { "kind": "server", "runs": ["db"] }, "db-2": { "kind": "server", "runs": ["db"] } },
      "links": [ { "between": ["internet", "db-1"] } ],
      "services": { "s": { "from": "internet", "through": ["db-1"] } },
      "backups": { "nightly": { "type": "data", "of": ["db-1/db"], "interval": "1d", "restore": "2h" } },
      "expect": [ { "service": "s", "max_rpo": "1h" } ] }"#;

    #[test]
    fn fires_on_missing_backup_and_slow_interval() {
        let codes = codes_for(BAD);
        assert!(
            codes.contains(&"SPOF-L014 db-2/db".to_string()) && codes.contains(&"SPOF-L014 nightly".to_string()),
            "{codes:?}"
        );
    }

    #[test]
    fn fires_when_only_a_rare_system_image_covers_a_database_with_an_rpo() {
        let image = BAD
            .replace(
                r#""type": "data", "of": ["db-1/db"], "interval": "1d""#,
                r#""type": "system", "of": ["db-1"], "interval": "30d""#,
            )
            .replace(r#""through": ["db-1"]"#, r#""through": ["db-1/db"]"#);
        let codes = crate::lints::only("SPOF-L014", &image);
        assert!(codes.contains(&"SPOF-L014 db-1/db".to_string()), "{codes:?}");
        // A data backup within the RPO beside the image: the data backup is what restores.
        let both = image.replace(
            r#""nightly": {"#,
            r#""hourly": { "type": "data", "of": ["db-1/db"], "interval": "30m", "restore": "1h" }, "nightly": {"#,
        );
        assert!(!crate::lints::only("SPOF-L014", &both).contains(&"SPOF-L014 db-1/db".to_string()));
        // An image within the RPO is enough.
        let frequent = image.replace(r#""interval": "30d""#, r#""interval": "30m""#);
        assert!(!crate::lints::only("SPOF-L014", &frequent).contains(&"SPOF-L014 db-1/db".to_string()));
    }

    #[test]
    fn quiet_when_every_database_is_backed_up_in_time() {
        let good =
            BAD.replace(r#""of": ["db-1/db"], "interval": "1d""#, r#""of": ["db-1/db", "db-2"], "interval": "30m""#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L014")), "{:?}", codes_for(&good));
    }
}
