//! Backups (NIST SP 800-34 Rev. 1 §3.2.1, §3.4.2): copies elsewhere plus a restore. The
//! interval bounds the RPO (data since the last backup is lost); the restore time is part
//! of the RTO. A system backup (OS, middleware) needs the service stopped; a data backup
//! runs online and must be consistent.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Attr, EdgeKind, Layer, LowerCx, NodeRef};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<BackupSpec>::NEW];

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum BackupType {
    /// OS and middleware, after builds, patches and big changes; service stopped.
    System,
    /// Frequent, online, consistent copies of data.
    Data,
}

/// A backup job.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackupSpec {
    /// "system" (OS and middleware, service stopped) or "data" (frequent online copies;
    /// restores use a data backup first).
    #[serde(rename = "type")]
    pub backup: BackupType,
    /// What is backed up: components (a DB process or its server), links or sites, not
    /// groups (name a cluster's members), e.g. `"of": ["db-1"]`.
    pub of: Vec<Ref>,
    /// Time between backups, above zero: the worst-case data loss, e.g. `"interval": "1d"`.
    pub interval: Duration,
    /// Time to restore from the backup (part of the RTO), e.g. `"restore": "4h"`.
    pub restore: Duration,
    /// The site where the copies are kept (a site other than the data's protects from
    /// disasters).
    pub stored_at: Option<Ref>,
}

impl Spec for BackupSpec {
    const INFO: KindInfo = KindInfo {
        name: "backup",
        section: Section::Backups,
        layer: Layer::Operations,
        doc: "A system or data backup with interval (RPO) and restore time (RTO).",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        if self.interval.secs <= 0.0 {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "backup interval must be longer than zero",
                "e.g. \"interval\": \"1d\"",
            );
            return;
        }
        if self.of.is_empty() {
            cx.error(Code::ImpossibleValue, cx.span, "a backup of nothing", "list what is backed up in \"of\"");
            return;
        }
        cx.attr("type", Attr::Text(if self.backup == BackupType::System { "system" } else { "data" }.into()));
        cx.attr("interval", Attr::Secs(self.interval.secs));
        cx.attr("restore", Attr::Secs(self.restore.secs));
        for target in &self.of {
            if let Some(t) = cx.resolve_any_element(target, "a backup source") {
                cx.builder.edge(NodeRef::Element(me), NodeRef::Element(t), EdgeKind::Backs);
            }
        }
        if let Some(site) = &self.stored_at {
            if let Some(s) = cx.resolve_element(site, &["site"], "a backup's storage site") {
                cx.attr("stored_at", Attr::Text(site.value.clone()));
                cx.builder.edge(NodeRef::Element(me), NodeRef::Element(s), EdgeKind::Site);
            }
        }
    }
}

/// How data held by any of `covered` (or by their hosts) is restored: the backup
/// covering it (data backups first, then the most frequent), with where it is stored
/// and how often a run succeeds (the backup's availability; 1 when none is given).
pub fn restore_plan(model: &crate::model::Model, covered: &[crate::model::ElementId]) -> crate::simulate::Backups {
    let hosts: Vec<crate::model::ElementId> = covered
        .iter()
        .filter_map(|&c| {
            model.element(c).name.split_once('/').and_then(|(h, _)| model.element_by_name(h)).map(|h| h.id)
        })
        .collect();
    let covers = |t: crate::model::ElementId| covered.contains(&t) || hosts.contains(&t);
    backups(model, &covers)
}

/// A backup job (an element of this mechanism's kind).
pub fn is_backup(e: &crate::model::Element) -> bool {
    e.kind == "backup"
}

/// A backup of the data (`"type": "data"`), which runs online, rather than a system
/// image; a restore prefers it.
pub fn is_data_backup(e: &crate::model::Element) -> bool {
    is_backup(e) && crate::model::text_attr(&e.attrs, "type") == Some("data")
}

/// The backups whose `of` satisfies `covers`, best first: data backups, then the most
/// frequent, then the fastest restore (ties by name, as elements are sorted).
pub fn backups(
    model: &crate::model::Model,
    covers: &dyn Fn(crate::model::ElementId) -> bool,
) -> crate::simulate::Backups {
    use crate::model::{secs_attr, text_attr};
    let mut found: Vec<(bool, crate::simulate::BackupPlan)> = model
        .elements
        .iter()
        .filter(|e| is_backup(e))
        .filter(|b| {
            crate::model::edge_targets(model, NodeRef::Element(b.id), EdgeKind::Backs)
                .into_iter()
                .any(|t| matches!(t, NodeRef::Element(t) if covers(t)))
        })
        .filter_map(|b| {
            let data = is_data_backup(b);
            let plan = crate::simulate::BackupPlan {
                interval_secs: secs_attr(&b.attrs, "interval")?,
                restore_secs: secs_attr(&b.attrs, "restore")?,
                stored_at: text_attr(&b.attrs, "stored_at").and_then(|s| model.element_by_name(s)).map(|s| s.id),
                success: b.failure.map_or(1.0, |f| f.availability()),
            };
            Some((!data, plan))
        })
        .collect();
    // Stable: equal backups keep the order of their (sorted) names.
    found.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.interval_secs.total_cmp(&b.1.interval_secs))
            .then(a.1.restore_secs.total_cmp(&b.1.restore_secs))
    });
    crate::simulate::Backups(found.into_iter().map(|(_, plan)| plan).collect())
}
