//! Monitoring (docs/SEMANTICS.md §5; SNMP traps: RFC 3413): what notices a failure, and how
//! fast. Repair starts only once someone knows, so a monitor's detection delay is part of
//! every outage it covers; an unmonitored failure waits until users notice
//! (`noticed_by_users_after`). SNMP traps are not retransmitted: a lost trap (`trap_loss`)
//! means nobody is told.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Attr, EdgeKind, Layer, LowerCx, NodeRef};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::{Duration, Fraction};

pub static KINDS: &[&dyn Kind] = &[&KindOf::<MonitorSpec>::NEW];

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// ICMP liveness of every device.
    Ping,
    /// Process monitoring (ps) of the important processes.
    Process,
    /// Log monitoring: middleware errors, exhausted space.
    Log,
    /// Performance monitoring: disk, memory, latency (df, vmstat, sar).
    Performance,
    /// SNMP manager polling.
    SnmpPoll,
    /// SNMP agent traps (not retransmitted).
    SnmpTrap,
    /// Content checks: HTTP GET of a registered URL.
    Content,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Ping => "ping",
            Method::Process => "process",
            Method::Log => "log",
            Method::Performance => "performance",
            Method::SnmpPoll => "snmp-poll",
            Method::SnmpTrap => "snmp-trap",
            Method::Content => "content",
        }
    }
}

/// A monitor watching some elements.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitorSpec {
    /// "ping", "process", "log", "performance", "snmp-poll", "snmp-trap" (alerts at once,
    /// no interval; see `trap_loss`) or "content".
    pub method: Method,
    /// What it watches: components, links or sites (not groups); watching a device also
    /// covers its parts (`web-1/eth0`).
    pub targets: Vec<Ref>,
    /// Time between probes (traps: not used; default 1m).
    pub interval: Option<Duration>,
    /// Consecutive failed probes before an alert (default 1; at least 1).
    pub threshold: Option<u32>,
    /// SNMP traps only: the fraction of traps lost (default 0%), e.g. "5%".
    pub trap_loss: Option<Fraction>,
    /// Time from alert to someone starting the repair (default 0s).
    pub response: Option<Duration>,
}

impl Spec for MonitorSpec {
    const INFO: KindInfo = KindInfo {
        name: "monitor",
        section: Section::Monitors,
        layer: Layer::Operations,
        doc: "A monitor: ping, process, log, performance, SNMP poll/trap or content check.",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        if self.targets.is_empty() {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "a monitor with no targets watches nothing",
                "list what it watches in \"targets\"",
            );
            return;
        }
        super::check_distinct(cx, &self.targets, "the monitor's targets");
        let interval = self.interval.map_or(60.0, |d| d.secs);
        let threshold = self.threshold.unwrap_or(1);
        if (self.method != Method::SnmpTrap && interval <= 0.0) || threshold == 0 {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "interval and threshold must be above zero",
                "e.g. \"interval\": \"1m\", \"threshold\": 3",
            );
            return;
        }
        match (self.method, self.trap_loss) {
            (Method::SnmpTrap, None) => cx.attr("trap_loss", Attr::Ratio(0.0)),
            (Method::SnmpTrap, Some(f)) => cx.attr("trap_loss", Attr::Ratio(f.0)),
            (_, Some(_)) => cx.error(
                Code::ImpossibleValue,
                cx.span,
                "trap_loss applies to snmp-trap monitors only",
                "drop \"trap_loss\" or set \"method\": \"snmp-trap\"",
            ),
            _ => {}
        }
        // Traps arrive at once (when they arrive); probes notice after threshold intervals.
        let detect = if self.method == Method::SnmpTrap { 0.0 } else { interval * f64::from(threshold) };
        cx.attr("method", Attr::Text(self.method.as_str().into()));
        cx.attr("detect", Attr::Secs(detect + self.response.map_or(0.0, |d| d.secs)));
        for target in &self.targets {
            if let Some(t) = cx.resolve_any_element(target, "a monitor target") {
                cx.builder.edge(NodeRef::Element(me), NodeRef::Element(t), EdgeKind::Monitors);
            }
        }
    }
}

/// A monitor watching an element: how long until it alerts, and how often its alert is
/// lost (an SNMP trap is sent once).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detector {
    pub detect_secs: f64,
    pub loss: f64,
}

/// Per element (by id): the monitors watching it, fastest first. A monitor on a device
/// also covers the parts written inside it ("web-1/eth0").
pub fn detectors(model: &crate::model::Model) -> Vec<Vec<Detector>> {
    let watchers = |node: NodeRef| {
        crate::model::edge_sources(model, node, EdgeKind::Monitors).into_iter().filter_map(|n| match n {
            NodeRef::Element(e) => Some(e),
            _ => None,
        })
    };
    model
        .elements
        .iter()
        .map(|e| {
            let mut watched = vec![e.id];
            if let Some((host, _)) = e.name.split_once('/') {
                watched.extend(model.element_by_name(host).map(|h| h.id));
            }
            let mut list: Vec<Detector> = watched
                .iter()
                .flat_map(|&w| watchers(NodeRef::Element(w)))
                .map(|m| {
                    let attrs = &model.element(m).attrs;
                    let loss = match attrs.get("trap_loss") {
                        Some(Attr::Ratio(r)) => *r,
                        _ => 0.0,
                    };
                    Detector { detect_secs: crate::model::secs_attr(attrs, "detect").unwrap_or(0.0), loss }
                })
                .collect();
            list.sort_by(|a, b| a.detect_secs.total_cmp(&b.detect_secs).then(a.loss.total_cmp(&b.loss)));
            list
        })
        .collect()
}

/// The mean of a delay distribution of (probability, seconds) pairs, such as
/// [`detection_delays`]'s: the mean time from a failure to its repair starting.
pub fn mean_delay_secs(delays: &[(f64, f64)]) -> f64 {
    delays.iter().map(|&(p, secs)| p * secs).sum()
}

/// The distribution of the time from a failure to its repair starting, as (probability,
/// seconds) pairs (probabilities summing to 1, the zero ones left out): each monitor
/// (`detectors`, fastest first) sees it when every faster one's alert was lost and its
/// own was not, else the users after `noticed_by_users_secs`.
pub fn detection_delays(detectors: &[Detector], noticed_by_users_secs: f64) -> Vec<(f64, f64)> {
    let mut all_lost = 1.0;
    let mut out = Vec::new();
    for d in detectors {
        out.push((all_lost * (1.0 - d.loss), d.detect_secs));
        all_lost *= d.loss;
    }
    out.push((all_lost, noticed_by_users_secs));
    out.retain(|&(p, _)| p > 0.0);
    out
}
