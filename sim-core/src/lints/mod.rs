//! Design lints: known mistakes, each in its own file with a stable code, its
//! rationale (citing a primary source), and tests that it fires on a bad design and stays
//! quiet on a good one. Adding a lint: a file and a line in [`LINTS`].

mod arp_all_targets;
mod arp_single_target;
mod arp_validate;
mod ats_transfer;
mod backup_same_site;
mod backup_unmonitored;
mod backups;
mod battery_detection;
mod bond_one_switch;
mod capacity_without_draws;
mod cluster_fencing;
mod cluster_quorum;
mod cluster_storage_undeclared;
mod connection_pool;
mod dns_no_check;
mod dr_rto;
mod generator_start;
mod l2_loop;
mod lacp_without_mlag;
mod lb_pool_no_check;
mod lb_single;
mod mii_blind;
mod monitoring;
mod persistence;
mod pool_failover_hang;
mod power_overload;
mod quorum_device_uncabled;
mod raid_read_error;
mod raid_spare;
mod serves_only_from_backup;
mod single_site;
mod stp_as_tier;
mod stp_diameter;
mod sync_replication;
mod traps_only;
mod unreachable_member;
mod vrrp_multicast;
mod vrrp_segment_split;
mod vrrp_untracked;

use crate::model::{ElementId, Model, Req};
use crate::syntax::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A lint rule.
pub struct Lint {
    /// Stable code, e.g. "SPOF-L001"; never reused.
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what is wrong.
    pub summary: &'static str,
    /// Why it matters, citing a primary source (RFC, standard, vendor documentation).
    pub rationale: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// The fixed declaration, as scenario text (one `"id": { ... }` entry).
    pub example: &'static str,
    pub check: fn(&Model) -> Vec<Hit>,
}

/// Where a lint fired, before it becomes a [`Finding`].
pub struct Hit {
    pub span: Span,
    pub subject: String,
    pub message: String,
}

/// A lint finding, ready for reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// The element, group or service concerned.
    pub subject: String,
    pub message: String,
    pub fix: &'static str,
    pub span: Span,
    /// Accepted in the scenario, with this reason: reported, but it fails nothing.
    pub suppressed: Option<String>,
    /// Already present in the `--baseline` report: reported, but it fails nothing.
    pub in_baseline: bool,
}

impl Finding {
    /// Whether this finding fails a run gated at `threshold` (`--fail-on`): suppressed
    /// findings and findings already in the baseline never do.
    pub fn fails_run(&self, threshold: Option<Severity>) -> bool {
        self.suppressed.is_none() && !self.in_baseline && threshold.is_some_and(|t| self.severity >= t)
    }
}

/// The expectations that apply to some elements: design-wide ones, and those of the
/// services with a tier (or a tier member, or what that member directly needs, such
/// as a process's host) for which `touches` holds.
fn expectations_touching<'m>(
    model: &'m Model,
    touches: impl Fn(ElementId) -> bool + 'm,
) -> impl Iterator<Item = &'m crate::model::Expectation> + 'm {
    model.expectations.iter().filter(move |x| {
        x.service.is_none_or(|s| {
            model.services[s]
                .through
                .iter()
                .flat_map(|&t| model.anchors(t))
                .any(|a| touches(a) || req_elements(&model.element(a).needs).into_iter().any(&touches))
        })
    })
}

/// Every lint, in code order.
pub static LINTS: &[&Lint] = &[
    &power_overload::LINT,
    &bond_one_switch::LINT,
    &mii_blind::LINT,
    &l2_loop::LINT,
    &dns_no_check::LINT,
    &lb_single::LINT,
    &persistence::LINT,
    &sync_replication::LINT,
    &raid_spare::LINT,
    &cluster_quorum::LINT,
    &connection_pool::LINT,
    &monitoring::LINT,
    &traps_only::LINT,
    &backups::LINT,
    &dr_rto::LINT,
    &single_site::LINT,
    &backup_unmonitored::LINT,
    &quorum_device_uncabled::LINT,
    &backup_same_site::LINT,
    &capacity_without_draws::LINT,
    &unreachable_member::LINT,
    &stp_as_tier::LINT,
    &stp_diameter::LINT,
    &cluster_fencing::LINT,
    &raid_read_error::LINT,
    &generator_start::LINT,
    &vrrp_untracked::LINT,
    &arp_validate::LINT,
    &vrrp_multicast::LINT,
    &arp_single_target::LINT,
    &vrrp_segment_split::LINT,
    &arp_all_targets::LINT,
    &serves_only_from_backup::LINT,
    &ats_transfer::LINT,
    &cluster_storage_undeclared::LINT,
    &battery_detection::LINT,
    &pool_failover_hang::LINT,
    &lacp_without_mlag::LINT,
    &lb_pool_no_check::LINT,
];

/// The first (by name) group other than `bond` with two or more members that holds
/// `target`: the redundancy an ARP target's own failure would leave behind.
fn redundant_group_of<'m>(
    model: &'m Model,
    bond: &crate::model::Group,
    target: crate::model::ElementId,
) -> Option<&'m crate::model::Group> {
    model
        .groups
        .iter()
        .filter(|r| r.id != bond.id && r.members.len() > 1 && r.members.contains(&target))
        .min_by(|a, b| a.name.cmp(&b.name))
}

/// Runs every lint; findings sorted by code, then subject, then message.
pub fn run(model: &Model) -> Vec<Finding> {
    let mut out: Vec<Finding> = LINTS
        .iter()
        .flat_map(|lint| {
            (lint.check)(model).into_iter().map(move |h| Finding {
                code: lint.code,
                name: lint.name,
                severity: lint.severity,
                subject: h.subject,
                message: h.message,
                fix: lint.fix,
                span: h.span,
                suppressed: None,
                in_baseline: false,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.code, &a.subject, &a.message).cmp(&(b.code, &b.subject, &b.message)));
    out
}

/// Every lint's example is one `"id": { ... }` entry that decodes in some scenario
/// section with no syntax, type or field error (the ids it refers to may be absent).
#[cfg(test)]
#[test]
fn examples_decode_as_scenario_entries() {
    use crate::diagnostics::Code;
    let shape = [Code::Syntax, Code::WrongType, Code::UnknownField, Code::MissingField, Code::UnknownKind];
    for lint in LINTS {
        let decodes = ["components", "groups", "monitors", "backups", "sites", "services"].iter().any(|section| {
            let doc = format!("{{ \"{section}\": {{ {} }} }}", lint.example);
            crate::load(&doc).diagnostics.iter().all(|d| !shape.contains(&d.code))
        });
        assert!(decodes, "{}: example does not decode: {}", lint.code, lint.example);
    }
}

pub fn find(code: &str) -> Option<&'static Lint> {
    LINTS.iter().copied().find(|l| l.code.eq_ignore_ascii_case(code) || l.name == code)
}

// --- helpers shared by the lints ---

use crate::model::{count_attr, edge_sources, edge_targets, secs_attr, text_attr, watts_attr};

fn hit(span: Span, subject: &str, message: String) -> Hit {
    Hit { span, subject: subject.to_string(), message }
}

/// Elements named directly in a requirement (not through groups or paths).
fn req_elements(req: &Req) -> Vec<ElementId> {
    let mut out = Vec::new();
    req.visit(&mut |r| {
        if let Req::Element(e) = r {
            out.push(*e);
        }
    });
    out
}

/// The power sources (PDUs, UPSes, feeds, transfer switches) a device draws from,
/// through its PSUs and up each source's own inputs (both of a transfer switch, as each
/// carries the whole load when the other is lost), each once, in walk order. Shared by
/// the power lints.
fn power_sources(model: &Model, device: &crate::model::Element) -> Vec<ElementId> {
    let mut fed: Vec<ElementId> = Vec::new();
    for psu in req_elements(&device.needs).into_iter().filter(|p| model.element(*p).kind == "psu") {
        for src in crate::mechanisms::power::upstream_power(model, psu) {
            if !fed.contains(&src) {
                fed.push(src);
            }
        }
    }
    fed
}

/// Whether a VRRP/HSRP group's adverts from `from` reach an element `to` accepts, with
/// everything working but `cut` (a link or a device):
/// [`crate::model::NetworkIndex::adverts_reach`].
fn adverts_reach(
    net: &crate::model::NetworkIndex,
    g: &crate::model::Group,
    from: crate::model::ElementId,
    to: impl Fn(crate::model::ElementId) -> bool,
    cut: Option<crate::model::ElementId>,
    honour_blockers: bool,
) -> bool {
    net.adverts_reach(g, from, to, |e| Some(e) != cut, honour_blockers)
}

fn groups_of_kind<'m>(model: &'m Model, kind: &'static str) -> impl Iterator<Item = &'m crate::model::Group> + 'm {
    model.groups.iter().filter(move |g| g.kind == kind)
}

/// Findings of one lint only, as "CODE subject" lines (test helper).
#[cfg(test)]
pub(crate) fn only(code: &str, text: &str) -> Vec<String> {
    codes_for(text).into_iter().filter(|c| c.starts_with(code)).collect()
}

#[cfg(test)]
pub(crate) fn codes_for(text: &str) -> Vec<String> {
    let loaded = crate::load(text);
    let model = loaded.model.unwrap_or_else(|| panic!("fixture loads: {:?}", loaded.diagnostics));
    run(&model).into_iter().map(|f| format!("{} {}", f.code, f.subject)).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_unique_and_documented() {
        let mut codes: Vec<&str> = super::LINTS.iter().map(|l| l.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), super::LINTS.len());
        for l in super::LINTS {
            let sources = crate::explain::CITED_SOURCES;
            assert!(sources.iter().any(|s| l.rationale.contains(s)), "{} cites no source", l.code);
            assert!(!l.fix.is_empty() && !l.summary.is_empty());
        }
    }
}
