//! Standby generators behind utility feeds, with an automatic transfer switch (ATS).
//!
//! A generator `backs` one `power-feed`. It stands idle while the feed has utility
//! power. When the utility is lost it starts, and after `start` it carries the feed's
//! load until the utility returns; a start fails with probability `fail_to_start` (per
//! demand), and the load then waits for the utility. Whatever hangs on the feed is
//! without power from the utility's loss until the generator runs, unless a UPS
//! battery bridges that gap (SPOF-L026 when it cannot).
//!
//! Lowering: every element that needs the feed needs "the feed, or the generator"
//! instead. The ideal view (the exact analysis) takes the start as instant and the
//! generator as down with probability 1 − (1 − U) · (1 − p), U its own unavailability
//! and p its chance of failing to start, independent of the utility. That is pessimistic
//! where a generator that failed to start is repaired before the utility returns (the
//! load waits for the utility here), by at most P(utility down) · p. The simulator plays
//! the start time and samples each start.
//!
//! Defaults: `start` 10 s, NFPA 110 (Standard for Emergency and Standby Power Systems)
//! Type 10: the load is back within 10 seconds; `fail_to_start` 0.01, the starting
//! reliability goal of 0.99 per demand of US NRC Regulatory Guide 1.108 (NUREG-0933,
//! Item B-56); failures while standing by or running: once in 2 years, 8 h to repair
//! (spofsim default, no external source).

use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Attr, EdgeKind, ElementId, Generator, Layer, LowerCx, ModelBuilder, NodeRef, Req};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<GeneratorSpec>::NEW];

/// NFPA 110 Type 10: power back within 10 s.
pub const DEFAULT_START_SECS: f64 = 10.0;
/// US NRC Regulatory Guide 1.108: a starting reliability of 0.99 per demand.
pub const DEFAULT_FAIL_TO_START: f64 = 0.01;

/// A standby generator that takes over a utility feed's load through an ATS.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GeneratorSpec {
    /// The utility `power-feed` it backs: whatever that feed powers runs on the
    /// generator while the utility is lost.
    pub backs: Ref,
    /// From the utility's loss to carrying the load: start, run-up and transfer
    /// (default 10s, NFPA 110 Type 10).
    pub start: Option<Duration>,
    /// Probability that a start fails, per demand (default 0.01: NRC Regulatory Guide
    /// 1.108's 0.99 starting reliability).
    pub fail_to_start: Option<f64>,
}

impl Spec for GeneratorSpec {
    const INFO: KindInfo = KindInfo {
        name: "generator",
        section: Section::Components,
        layer: Layer::Power,
        doc: "A standby generator behind a utility feed (through an automatic transfer switch).",
        failure: Some(("2y", "8h")),
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        let start_secs = self.start.map_or(DEFAULT_START_SECS, |d| d.secs);
        let fail_to_start = self.fail_to_start.unwrap_or(DEFAULT_FAIL_TO_START);
        if !(0.0..1.0).contains(&fail_to_start) {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("fail_to_start must be a probability per start, 0 ≤ p < 1, not {fail_to_start}"),
                "e.g. \"fail_to_start\": 0.01 (NRC Regulatory Guide 1.108's goal)",
            );
            return;
        }
        let Some(feed) = cx.resolve_element(&self.backs, &["power-feed"], "the feed a generator backs") else {
            return;
        };
        cx.attr("start", Attr::Secs(start_secs));
        cx.attr("fail_to_start", Attr::Ratio(fail_to_start));
        cx.attr("backs", Attr::Text(self.backs.value.clone()));
        cx.builder.model.elements[me.0 as usize].generator = Some(Generator { feed, start_secs, fail_to_start });
    }
}

/// The generator backing `feed`, if any.
pub fn backing(model: &crate::model::Model, feed: ElementId) -> Option<ElementId> {
    model.elements.iter().find(|e| e.generator.is_some_and(|g| g.feed == feed)).map(|e| e.id)
}

/// The transfer switches (`ats`) that take `generator` as their alternate input: its
/// only ways to its loads when there are any. O(elements).
pub fn transfer_switches(model: &crate::model::Model, generator: ElementId) -> Vec<ElementId> {
    model
        .elements
        .iter()
        .filter(|e| e.transfer_switch.is_some_and(|t| t.alternate == generator))
        .map(|e| e.id)
        .collect()
}

/// After all kinds lowered: whatever needs a backed feed needs the feed or its
/// generator (an implicit transfer switch that never fails), unless an `ats` takes the
/// generator as its alternate input: that switch is then the only way to its power.
/// One generator per feed.
pub fn finish(b: &mut ModelBuilder) {
    let backed: Vec<(ElementId, ElementId)> =
        b.model.elements.iter().filter_map(|e| e.generator.map(|g| (g.feed, e.id))).collect();
    let mut seen: Vec<ElementId> = Vec::new();
    for &(feed, generator) in &backed {
        if seen.contains(&feed) {
            let span = b.model.elements[generator.0 as usize].span;
            let feed_name = b.model.elements[feed.0 as usize].name.clone();
            b.error(
                Code::ImpossibleValue,
                span,
                format!("{feed_name} is backed by two generators"),
                "one generator backs one feed through its transfer switch; model a generator pair as two feeds",
            );
            continue;
        }
        seen.push(feed);
        // A generator named as an ATS's alternate input reaches its loads through that
        // switch only: no implicit one.
        let switches = transfer_switches(&b.model, generator);
        if !switches.is_empty() {
            for ats in switches {
                let t = b.model.elements[ats.0 as usize].transfer_switch.expect("filtered on it");
                if t.preferred != feed {
                    let name = |e: ElementId| b.model.elements[e.0 as usize].name.clone();
                    let (ats_name, gen_name, feed_name, preferred_name) =
                        (name(ats), name(generator), name(feed), name(t.preferred));
                    let span = b.model.elements[ats.0 as usize].span;
                    b.error(
                        Code::ImpossibleValue,
                        span,
                        format!("{ats_name} takes {gen_name} as its alternate input, so its preferred input must be the feed {gen_name} backs, {feed_name}, not {preferred_name}"),
                        format!("a generator starts when its feed loses power: write \"from\": [\"{feed_name}\", \"{gen_name}\"]"),
                    );
                }
            }
            continue;
        }
        let either = Req::AtLeast { k: 1, of: vec![Req::Element(feed), Req::Element(generator)] };
        for i in 0..b.model.elements.len() {
            if i == generator.0 as usize || !mentions(&b.model.elements[i].needs, feed) {
                continue;
            }
            let needs = std::mem::replace(&mut b.model.elements[i].needs, Req::Always);
            b.model.elements[i].needs = replace(needs, feed, &either);
            b.edge(NodeRef::Element(ElementId(i as u32)), NodeRef::Element(generator), EdgeKind::Power);
        }
    }
}

fn mentions(req: &Req, feed: ElementId) -> bool {
    let mut found = false;
    req.visit(&mut |r| found |= *r == Req::Element(feed));
    found
}

fn replace(req: Req, feed: ElementId, with: &Req) -> Req {
    match req {
        Req::Element(e) if e == feed => with.clone(),
        Req::All(of) => Req::All(of.into_iter().map(|r| replace(r, feed, with)).collect()),
        Req::AtLeast { k, of } => Req::AtLeast { k, of: of.into_iter().map(|r| replace(r, feed, with)).collect() },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze_tree, structure, Options};
    use crate::simulate::{simulate, SimOptions};

    /// tests/oracles/DERIVATIONS.md case 11.
    const CASE_11: &str = r#"{ "name": "case-11",
      "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" }, "psu": { "availability": "100%" }, "process": { "availability": "100%" } },
      "components": {
        "internet": { "kind": "entry" },
        "utility": { "kind": "power-feed", "mtbf": "1y", "mttr": "3h" },
        "gen": { "kind": "generator", "backs": "utility", "start": "10s", "fail_to_start": 0.05, "mtbf": "2y", "mttr": "8h" },
        "ups": { "kind": "ups", "feed": "utility", "battery_runtime": "5m", "availability": "100%" },
        "pdu": { "kind": "pdu", "from": "ups", "availability": "100%" },
        "sw": { "kind": "switch", "availability": "100%" },
        "app": { "kind": "server", "nics": ["sw"], "runs": ["web"], "availability": "100%", "power": { "from": ["pdu"] } } },
      "links": [{ "between": ["internet", "sw"] }],
      "services": { "s": { "from": "internet", "through": ["app/web"] } } }"#;

    fn model() -> crate::model::Model {
        let loaded = crate::load(CASE_11);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        loaded.model.unwrap()
    }

    /// The exact analysis is the independence figure, 1.67929e-5, within 4.4e-5 of the
    /// exact chain's 1.67921e-5; the feed alone is no SPOF.
    #[test]
    fn the_analysis_matches_the_independent_derivation() {
        let m = model();
        let tree = structure::service_trees(&m).remove(0).unwrap();
        let u = analyze_tree(&tree, &Options::default()).unwrap().probability;
        assert!((u - 1.67929e-5).abs() < 1e-5 * 1.67929e-5, "{u:e}");
        assert!((u - 1.67921e-5).abs() < 1e-4 * 1.67921e-5, "{u:e}");
        let singles = crate::analysis::single_failures::single_failures(&m);
        assert_eq!(singles[0].as_deref(), Some(&[][..]), "no SPOF: {singles:?}");
    }

    /// The simulator with no delays (starts sampled, batteries played) against the exact
    /// 1.67921e-5: within its 95% interval over 200,000 simulated years.
    #[test]
    fn the_ideal_simulation_matches_the_exact_figure() {
        let m = model();
        let options = SimOptions { years: 1000, replications: 200, seed: 1, random_failures: true, ideal: true };
        let s = &simulate(&m, &options).services[0];
        let [lo, hi] = s.availability_ci95;
        let exact = 1.0 - 1.67921e-5;
        assert!(lo <= exact && exact <= hi, "exact {exact} outside [{lo}, {hi}]");
    }

    /// Found by an independent audit: the utility feed stands in its own site (a
    /// substation) and the generator elsewhere. The ATS sees the feed without voltage
    /// whatever the cause, so a site outage starts the generator like the feed's own
    /// failure: an hour's drill of the site costs the 10 s start and the switch's boot
    /// once power is back (5 min, its default), and nothing with `--ideal`, as the exact
    /// analysis (unavailability 0) takes it. The simulator used to start
    /// the generator only on the feed's own failures: down for the whole hour.
    #[test]
    fn a_feed_down_with_its_site_starts_the_generator() {
        let text = r#"{ "defaults": { "server": { "availability": "100%" }, "nic": { "availability": "100%" },
              "switch": { "availability": "100%" }, "link": { "availability": "100%" },
              "process": { "availability": "100%" }, "psu": { "availability": "100%" } },
            "sites": { "substation": { "mtbf": "30d", "mttr": "1d" } },
            "components": { "internet": { "kind": "entry" },
              "feed": { "kind": "power-feed", "site": "substation", "mtbf": "5y", "mttr": "10m" },
              "gen": { "kind": "generator", "backs": "feed", "fail_to_start": 0, "availability": "100%" },
              "pdu": { "kind": "pdu", "from": "feed", "availability": "100%" },
              "sw": { "kind": "switch", "power": ["pdu"] },
              "srv": { "kind": "server", "nics": ["sw"], "runs": ["web"] } },
            "links": [ { "between": ["internet", "sw"] } ],
            "services": { "s": { "from": "internet", "through": ["srv/web"] } },
            "drills": [ { "fail": "substation", "at": "1h", "for": "1h" } ] }"#;
        let loaded = crate::load(text);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let m = loaded.model.unwrap();
        let tree = structure::service_trees(&m).remove(0).unwrap();
        assert_eq!(analyze_tree(&tree, &Options::default()).unwrap().probability, 0.0);
        for (ideal, outages, longest) in [(false, 1, 310.0), (true, 0, 0.0)] {
            let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal };
            let s = &simulate(&m, &options).services[0];
            assert_eq!((s.outages, s.max_outage_secs), (outages, longest), "ideal: {ideal}");
        }
    }

    /// Found by a new-user trial: the transfer switch between the utility and the
    /// generator was implicit and never failed. Named as an `ats` with the generator as
    /// its alternate input, it is the one way to the generator's power and fails like
    /// any box: a SPOF of the UPS behind it. Closed form (independent parts, as case 11
    /// reads the implicit switch): the UPS's input is lost beyond its battery when the
    /// switch fails past the battery, a = q_ats · e^(−5 min / 6 h), or when the utility
    /// is out past the battery and the generator out too, b = q_utility · e^(−5 min / 3
    /// h) · (1 − (1 − q_gen)(1 − 0.05)): U = a + b − ab. Drills: the switch's hour costs 55 min beyond the 5 min battery and the
    /// server's 10 min boot; the utility's hour nothing (the 10 s start is bridged).
    #[test]
    fn an_explicit_transfer_switch_takes_the_generator_and_can_fail() {
        let text = r#"{ "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" },
              "psu": { "availability": "100%" }, "process": { "availability": "100%" } },
          "components": { "internet": { "kind": "entry" },
            "utility": { "kind": "power-feed", "mtbf": "1y", "mttr": "3h" },
            "gen": { "kind": "generator", "backs": "utility", "start": "10s", "fail_to_start": 0.05, "mtbf": "2y", "mttr": "8h" },
            "main-ats": { "kind": "ats", "from": ["utility", "gen"], "mtbf": "5y", "mttr": "6h" },
            "ups": { "kind": "ups", "feed": "main-ats", "battery_runtime": "5m", "availability": "100%" },
            "pdu": { "kind": "pdu", "from": "ups", "availability": "100%" },
            "sw": { "kind": "switch", "availability": "100%" },
            "app": { "kind": "server", "nics": ["sw"], "runs": ["web"], "availability": "100%", "power": { "from": ["pdu"] } } },
          "links": [{ "between": ["internet", "sw"] }],
          "services": { "s": { "from": "internet", "through": ["app/web"] } },
          "drills": [ { "fail": "main-ats", "at": "1h", "for": "1h" }, { "fail": "utility", "at": "5h", "for": "1h" } ] }"#;
        let loaded = crate::load(text);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let m = loaded.model.unwrap();
        // Only the switch takes the generator: no implicit one beside it.
        let gen = m.elements.iter().find(|e| e.name == "gen").unwrap().id;
        let takers: Vec<&str> =
            m.elements.iter().filter(|e| super::mentions(&e.needs, gen)).map(|e| e.name.as_str()).collect();
        assert_eq!(takers, ["main-ats"]);
        let hours = |y: f64| y * 8760.0;
        let q = |mtbf_h: f64, mttr_h: f64| mttr_h / (mtbf_h + mttr_h);
        let a = q(hours(5.0), 6.0) * (-5.0f64 / 360.0).exp();
        let b = q(hours(1.0), 3.0) * (-5.0f64 / 180.0).exp() * (1.0 - (1.0 - q(hours(2.0), 8.0)) * 0.95);
        let expected = a + b - a * b;
        let tree = structure::service_trees(&m).remove(0).unwrap();
        let u = analyze_tree(&tree, &Options::default()).unwrap().probability;
        assert!((u - expected).abs() < 1e-9 * expected, "{u:e} against {expected:e}");
        let singles = crate::analysis::single_failures::single_failures(&m);
        let names: Vec<&str> =
            singles[0].as_deref().unwrap().iter().map(|e| m.elements[e.0 as usize].name.as_str()).collect();
        assert_eq!(names, ["main-ats"]);
        let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
        let s = &simulate(&m, &options).services[0];
        assert_eq!((s.outages, s.max_outage_secs), (1, 65.0 * 60.0));
        // The preferred input must be the feed the generator backs.
        let wrong = crate::load(&text.replace(r#""from": ["utility", "gen"]"#, r#""from": ["pdu", "gen"]"#));
        assert!(
            wrong.diagnostics.iter().any(|d| d.is_error()
                && d.message.contains("its preferred input must be the feed gen backs, utility, not pdu")),
            "{:#?}",
            wrong.diagnostics
        );
        // A generator listed first: the fix is to swap them.
        let swapped = crate::load(&text.replace(r#""from": ["utility", "gen"]"#, r#""from": ["gen", "utility"]"#));
        assert!(
            swapped.diagnostics.iter().any(|d| d.is_error()
                && d.message.starts_with("gen is a generator, which can only be an ats's alternate (second) input")
                && d.help.as_deref() == Some(r#"list the feed first: "from": ["utility", "gen"]"#)),
            "{:#?}",
            swapped.diagnostics
        );
    }
}
