//! SPOF-L017 backup-unmonitored: a backup job no monitor watches.

use super::{edge_sources, hit, Hit, Lint, Severity};
use crate::model::{EdgeKind, Model, NodeRef};

pub static LINT: Lint = Lint {
    code: "SPOF-L017",
    name: "backup-unmonitored",
    severity: Severity::Warning,
    summary: "A backup job that no monitor watches: its failed runs go unnoticed until a restore needs them.",
    rationale: "Backup jobs fail silently: a full disk, an expired credential or a changed path stops the runs without stopping the service, and the last good copy ages until a restore finds it. CIS Controls v8, safeguard 11.5 (test data recovery), and NIST SP 800-34 Rev. 1 (contingency planning: backups verified as part of the plan) ask for the runs to be checked. The simulator draws each run's success from the backup's availability, so the loss is the time since the last run that succeeded.",
    fix: "Add a monitor whose targets include the backup (a log check on the job's result), and give the backup its measured success rate as `availability`.",
    example: r#""job-check": { "method": "log", "targets": ["nightly"], "interval": "1h" }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    model
        .elements
        .iter()
        .filter(|e| e.kind == "backup")
        .filter(|b| edge_sources(model, NodeRef::Element(b.id), EdgeKind::Monitors).is_empty())
        .map(|b| hit(b.span, &b.name, format!("no monitor watches backup {}: a failed run goes unnoticed", b.name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BASE: &str = r#"{ "components": { "db": { "kind": "server", "runs": ["db"] } },
      "backups": { "nightly": { "type": "data", "of": ["db/db"], "interval": "1d", "restore": "2h" } } MONITORS }"#;

    #[test]
    fn fires_on_an_unwatched_backup_only() {
        let bare = BASE.replace("MONITORS", "");
        assert!(codes_for(&bare).contains(&"SPOF-L017 nightly".to_string()), "{:?}", codes_for(&bare));
        let watched =
            BASE.replace("MONITORS", r#", "monitors": { "job": { "method": "log", "targets": ["nightly"] } }"#);
        assert!(!codes_for(&watched).iter().any(|c| c.starts_with("SPOF-L017")), "{:?}", codes_for(&watched));
    }
}
