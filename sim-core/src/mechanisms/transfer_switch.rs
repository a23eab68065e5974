//! Automatic transfer switches (ATS): one output from two power inputs, for
//! single-corded equipment (a rack ATS) or a whole distribution board.
//!
//! - **Vocabulary:** `ats` with `from: [preferred, alternate]` (two power sources; the
//!   alternate may be the generator backing the preferred feed: a utility/generator
//!   transfer switch, which can fail like any other),
//!   `transfer` (the break in the output while it moves the load), `ride_through` (how
//!   long the loads it feeds bridge a total loss of voltage) and `capacity_watts`.
//! - **Lowering:** the ATS needs its preferred or its alternate input; whatever is
//!   plugged into it needs the ATS. Its own failure (relays, control board) stops the
//!   output whatever its inputs do: it is the single point of failure of every
//!   single-corded load on it.
//! - **Timing (simulator):** it stays on its preferred input while that input has power,
//!   moves the load to the alternate when it is lost, and back when it returns (a rack
//!   ATS returns to its preferred source: APC Rack ATS AP44xx User Guide, "Preferred
//!   Source"). Each move is break before make: the output is off for `transfer`. A
//!   break no longer than `ride_through` goes unnoticed (the PSUs' hold-up bridges it);
//!   a longer one drops every load, which then boots (`restart`). An output that had no
//!   power at all comes back when either input does, with no break. A break within the
//!   ride-through is unnoticed downstream, by a second transfer switch fed from this
//!   one too (it does not move for it; a unit that senses faster than the break would,
//!   and the loads would then see both breaks: optimistic there).
//! - **Analyzer:** the exact figure takes each move as instant (a static view); the
//!   figure with timings adds the reboots through the drills of the inputs' failures.
//!
//! Defaults: `ride_through` 20 ms, the ITI (CBEMA) Curve (Information Technology
//! Industry Council, 2000): IT equipment is to ride through a loss of all voltage for
//! 20 ms. `transfer` 10 ms: spofsim default (no external source), a unit built for IT
//! loads switching within that tolerance; take the figure from the unit's datasheet.
//! Failures: once in 20 years, 4 h to replace (spofsim default, no external source).

use schemars::JsonSchema;
use serde::Deserialize;

use super::{Ref, POWER_SOURCES};
use crate::diagnostics::Code;
use crate::model::{Attr, EdgeKind, ElementId, Layer, LowerCx, Model, Req, TransferSwitch};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<AtsSpec>::NEW];

/// The ITI (CBEMA) Curve: IT equipment rides through 20 ms without voltage.
pub const DEFAULT_RIDE_THROUGH_SECS: f64 = 0.020;
/// spofsim default (no external source): a transfer within the ITI curve's tolerance.
pub const DEFAULT_TRANSFER_SECS: f64 = 0.010;

/// What an ATS's alternate (second) input may be: any power source, or a standby
/// generator backing its preferred input.
const ALTERNATE_SOURCES: &[&str] = &["pdu", "ups", "power-feed", "ats", "generator"];

/// An automatic transfer switch: one output, fed from its preferred input or, when that
/// input is lost, from its alternate.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AtsSpec {
    /// Its two inputs, preferred first: PDUs, UPSes, feeds or other transfer switches,
    /// e.g. `"from": ["pdu-a", "pdu-b"]`; the alternate may be the standby generator
    /// that backs the preferred feed (`"from": ["utility", "genset"]`), and this ATS is
    /// then that generator's transfer switch.
    pub from: Vec<Ref>,
    /// How long the output is off while the load moves from one input to the other
    /// (default 10ms; spofsim default, take the unit's datasheet figure).
    pub transfer: Option<Duration>,
    /// How long the loads it feeds bridge a total loss of voltage (their PSUs' hold-up
    /// time); a longer transfer drops them (default 20ms: the ITI (CBEMA) Curve).
    pub ride_through: Option<Duration>,
    /// The most the ATS can deliver, in watts; the draws of the devices on it must fit
    /// (SPOF-L001), e.g. `"capacity_watts": 3600`.
    pub capacity_watts: Option<f64>,
}

impl Spec for AtsSpec {
    const INFO: KindInfo = KindInfo {
        name: "ats",
        section: Section::Components,
        layer: Layer::Power,
        doc: "An automatic transfer switch: one output fed from its preferred input, or from its alternate when that input is lost.",
        failure: Some(("20y", "4h")),
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        if self.from.len() != 2 {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("an ats has two inputs, preferred first; this one lists {}", self.from.len()),
                "e.g. \"from\": [\"pdu-a\", \"pdu-b\"]",
            );
            return;
        }
        super::check_distinct(cx, &self.from, "an ats's inputs");
        let transfer_secs = self.transfer.map_or(DEFAULT_TRANSFER_SECS, |d| d.secs);
        let ride_through_secs = self.ride_through.map_or(DEFAULT_RIDE_THROUGH_SECS, |d| d.secs);
        if transfer_secs > MAX_TRANSFER_SECS {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("a transfer of {} is no transfer switch's break", Duration::from_secs(transfer_secs)),
                "the output is off for milliseconds while the load moves (a relay unit: tens of ms); a delay before moving back is not a break. Write e.g. \"transfer\": \"100ms\"",
            );
            return;
        }
        if let Some(w) = super::power::positive_watts(cx, self.capacity_watts, "capacity_watts") {
            cx.attr("capacity_watts", Attr::Watts(w));
        }
        // The alternate may be a standby generator: this ATS is then its transfer switch
        // (`mechanisms::generator::finish` checks that the preferred is its feed).
        let me_name = cx.me_name();
        if cx.declared_kind(&self.from[0].value) == Some(<super::generator::GeneratorSpec as Spec>::INFO.name) {
            let (generator, other) = (&self.from[0].value, &self.from[1].value);
            cx.error(
                Code::ImpossibleValue,
                self.from[0].span,
                format!("{generator} is a generator, which can only be an ats's alternate (second) input: the ats runs on the feed it backs and moves to the generator once the feed is lost and it has started"),
                format!("list the feed first: \"from\": [\"{other}\", \"{generator}\"]"),
            );
            return;
        }
        let listed: Vec<&str> = self.from.iter().map(|r| r.value.as_str()).chain([me_name.as_str()]).collect();
        let preferred = cx.resolve_listed_element(&self.from[0], POWER_SOURCES, "an ats's preferred input", &listed);
        let alternate =
            cx.resolve_listed_element(&self.from[1], ALTERNATE_SOURCES, "an ats's alternate input", &listed);
        let (Some(preferred), Some(alternate)) = (preferred, alternate) else { return };
        if preferred == alternate {
            return;
        }
        if preferred == me || alternate == me {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("{} is fed from itself", cx.me_name()),
                "name the two sources upstream of it that it takes its load from: feeds, UPSes or PDUs (a generator second, after the feed it backs)",
            );
            return;
        }
        cx.attr("transfer", Attr::Secs(transfer_secs));
        cx.attr("ride_through", Attr::Secs(ride_through_secs));
        cx.need(me, Req::AtLeast { k: 1, of: vec![Req::Element(preferred), Req::Element(alternate)] }, EdgeKind::Power);
        cx.builder.model.elements[me.0 as usize].transfer_switch =
            Some(TransferSwitch { preferred, alternate, transfer_secs, ride_through_secs });
    }
}

/// The devices a transfer switch's move drops, when its transfer is longer than their
/// ride-through (empty lists otherwise), sorted by name: those its every move reboots
/// (their PSUs off the switch cannot carry them) and those only a move away from the
/// preferred input reboots (their other PSUs lose power with that input, and have it
/// back when the switch moves back). A device carried by a PSU on the other side is in
/// neither. O(devices × PSUs × power chain).
pub fn rebooted_by_moves(model: &Model, ats: ElementId) -> (Vec<ElementId>, Vec<ElementId>) {
    let (mut always, mut on_loss) = (Vec::new(), Vec::new());
    let Some(ts) = model.element(ats).transfer_switch else { return (always, on_loss) };
    if ts.transfer_secs <= ts.ride_through_secs {
        return (always, on_loss);
    }
    // What can lose power with the preferred input: the input and what feeds it.
    let mut with_preferred = super::power::upstream_power(model, ts.preferred);
    with_preferred.push(ts.preferred);
    for d in model.elements.iter().filter(|d| !d.psus.is_empty()) {
        let chains: Vec<Vec<ElementId>> = d.psus.iter().map(|&p| super::power::upstream_power(model, p)).collect();
        if !chains.iter().any(|c| c.contains(&ats)) {
            continue;
        }
        let off_switch: Vec<&Vec<ElementId>> = chains.iter().filter(|c| !c.contains(&ats)).collect();
        let needed = d.psus_needed.max(1) as usize;
        if off_switch.len() < needed {
            always.push(d.id);
        } else if off_switch.iter().filter(|c| !c.iter().any(|s| with_preferred.contains(s))).count() < needed {
            on_loss.push(d.id);
        }
    }
    let by_name = |a: &ElementId, b: &ElementId| model.element(*a).name.cmp(&model.element(*b).name);
    always.sort_by(by_name);
    on_loss.sort_by(by_name);
    (always, on_loss)
}

/// The longest break taken as a transfer: a minute, far beyond any unit's (a relay ATS
/// breaks for tens of milliseconds); longer is a unit typo ("10m" for "10ms").
const MAX_TRANSFER_SECS: f64 = 60.0;

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze_tree, structure, Options};

    const DESIGN: &str = r#"{ "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" },
          "process": { "availability": "100%" }, "switch": { "availability": "100%" } },
      "components": { "internet": { "kind": "entry" }, "sw": { "kind": "switch" },
        "feed-a": { "kind": "power-feed" }, "feed-b": { "kind": "power-feed" },
        "pdu-a": { "kind": "pdu", "from": "feed-a" }, "pdu-b": { "kind": "pdu", "from": "feed-b" },
        "ats": { "kind": "ats", "from": ["pdu-a", "pdu-b"] },
        "web-1": { "kind": "server", "power": ["ats"], "nics": ["sw"], "runs": ["web"] } },
      "links": [{ "between": ["internet", "sw"] }],
      "services": { "s": { "from": "internet", "through": ["web-1/web"] } } }"#;

    fn names(m: &crate::model::Model, ids: &[crate::model::ElementId]) -> Vec<String> {
        ids.iter().map(|e| m.elements[e.0 as usize].name.clone()).collect()
    }

    /// Either input carries the load; the ATS itself is the single point of failure of a
    /// single-corded server, beside the server and its PSU.
    #[test]
    fn either_input_carries_the_load_and_the_switch_itself_is_a_spof() {
        let loaded = crate::load(DESIGN);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let m = loaded.model.unwrap();
        let singles = crate::analysis::single_failures::single_failures(&m);
        assert_eq!(names(&m, singles[0].as_deref().unwrap()), ["ats", "web-1", "web-1/psu-1"]);
        // Closed form: U = 1 − a_web a_psu a_ats (1 − q_A q_B), q_X = 1 − a_feed a_pdu.
        let year = 8760.0;
        let a = |mtbf_h: f64, mttr_h: f64| mtbf_h / (mtbf_h + mttr_h);
        let side = a(year, 3.0) * a(25.0 * year, 4.0);
        let expected =
            1.0 - a(5.0 * year, 4.0) * a(15.0 * year, 4.0) * a(20.0 * year, 4.0) * (1.0 - (1.0 - side) * (1.0 - side));
        let tree = structure::service_trees(&m).remove(0).unwrap();
        let u = analyze_tree(&tree, &Options::default()).unwrap().probability;
        assert!((u - expected).abs() < 1e-9 * expected, "{u:e} against {expected:e}");
    }

    /// tests/cases/exact/ats-single-corded.jsonc's "single" service: the simulator against
    /// the independent derivation (DERIVATIONS.md case 16). With no delays it finds the
    /// exact 1.447113e-4; with the 100 ms transfer and 5 min boots it finds the figure
    /// with timings, 1.447113e-4 + 2 × 300.1 s per failure of feed-a or pdu-a
    /// (1.9787e-5) + a 5 min boot after each repair of the ATS or the PSU (1.1098e-6)
    /// = 1.6557e-4, and not the static figure.
    #[test]
    fn the_simulation_plays_the_transfers_the_derivation_counts() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/cases/exact/ats-single-corded.jsonc"
        ))
        .unwrap()
        // Repairs start at once: the derivation has no detection delay.
        .replace(r#""name": "ats-single-corded","#, r#""name": "ats-single-corded", "noticed_by_users_after": "0s","#);
        let loaded = crate::load(&text);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let m = loaded.model.unwrap();
        let run = |ideal: bool| {
            let options =
                crate::simulate::SimOptions { years: 1000, replications: 200, seed: 1, random_failures: true, ideal };
            let stats = crate::simulate::simulate(&m, &options);
            stats.services.iter().find(|s| s.name == "single").unwrap().availability_ci95
        };
        let [lo, hi] = run(true);
        let exact = 1.0 - 1.447113232e-4;
        assert!(lo <= exact && exact <= hi, "ideal: exact {exact} outside [{lo}, {hi}]");
        let [lo, hi] = run(false);
        let timed = 1.0 - (1.447113232e-4 + 1.978697628e-5 + 4.756e-7 + 6.342e-7);
        assert!(lo <= timed && timed <= hi, "with timings: {timed} outside [{lo}, {hi}]");
        assert!(hi < exact, "the transfers cost nothing: [{lo}, {hi}]");
    }

    /// `blast` says what a failure of the preferred side does to the switch's loads.
    #[test]
    fn blast_tells_the_move_and_what_it_costs() {
        let id = |m: &crate::model::Model, n: &str| m.element_by_name(n).unwrap().id;
        let m = crate::load(DESIGN).model.unwrap();
        let b = crate::analysis::findings::blast(&m, &[id(&m, "feed-a")]);
        assert_eq!(b.transfers, ["ats moves its load to pdu-b: a 10ms break, which its loads ride through (20ms)"]);
        assert!(crate::analysis::findings::blast(&m, &[id(&m, "feed-b")]).transfers.is_empty());
        let slow =
            DESIGN.replace(r#""from": ["pdu-a", "pdu-b"] }"#, r#""from": ["pdu-a", "pdu-b"], "transfer": "100ms" }"#);
        let m = crate::load(&slow).model.unwrap();
        let b = crate::analysis::findings::blast(&m, &[id(&m, "pdu-a")]);
        assert_eq!(
            b.transfers,
            ["ats moves its load to pdu-b: a 100ms break, longer than the 20ms its loads ride through: web-1 lose power and boot again (their `restart`), now and when pdu-a returns"]
        );
    }

    #[test]
    fn an_ats_needs_two_distinct_power_inputs() {
        for (from, message) in [
            (r#"["pdu-a"]"#, "an ats has two inputs, preferred first; this one lists 1"),
            (r#"["pdu-a", "pdu-a"]"#, "\"pdu-a\" is listed twice in an ats's inputs"),
            (r#"["pdu-a", "sw"]"#, "an ats's alternate input must be a pdu, ups, power-feed, ats or generator"),
            (r#"["sw", "pdu-a"]"#, "an ats's preferred input must be a pdu, ups, power-feed or ats"),
            (r#"["pdu-a", "ats"]"#, "ats is fed from itself"),
            (r#"["pdu-a", "pdu-b"], "transfer": "10m""#, "a transfer of 10m is no transfer switch's break"),
        ] {
            let text = DESIGN.replace(r#""from": ["pdu-a", "pdu-b"]"#, &format!(r#""from": {from}"#));
            let loaded = crate::load(&text);
            assert!(
                loaded.diagnostics.iter().any(|d| d.is_error() && d.message.contains(message)),
                "{from}: {:#?}",
                loaded.diagnostics
            );
        }
    }
}
