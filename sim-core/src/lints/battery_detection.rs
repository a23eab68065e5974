//! SPOF-L036 battery-shorter-than-detection: a UPS whose battery runs out before
//! anyone notices that its input failed, so the repair starts only once the load has
//! already lost its power.

use super::{hit, Hit, Lint, Severity};
use crate::model::{Layer, Model};
use crate::units::Duration;

pub static LINT: Lint = Lint {
    code: "SPOF-L036",
    name: "battery-shorter-than-detection",
    severity: Severity::Warning,
    summary: "A UPS's battery runs out before the failure of what feeds it is noticed: the repair starts only after its loads have lost power.",
    rationale: "docs/SEMANTICS.md §5 (Detection): a repair starts only when a monitor whose alert is not lost notices the failure, else when users do (`noticed_by_users_after`, 1 h by default). A UPS bridges its input's outage for its battery runtime only (its stored energy time, IEC 62040-3), so an outage noticed later than that outlasts the battery whatever the repair takes: the battery bridges none of it, and every load on the UPS boots again. UPSes raise an on-battery alarm for exactly this (RFC 1628, UPS-MIB: the upsAlarmOnBattery alarm and the upsTrapOnBattery notification).",
    fix: "Have a monitor faster than the battery watch what feeds the UPS: list the feed itself (not the UPS) in its targets, for example an snmp-trap standing for the UPS's on-battery alarm, which reports the feed's loss. Or lengthen the battery.",
    example: r#""power": { "method": "snmp-trap", "targets": ["utility"], "response": "2m" }"#,
    check,
};

/// Above this chance that an input outage is noticed only after the battery runs out,
/// the lint fires (a lost trap here and there does not make the design wrong).
const MIN_SHARE: f64 = 0.01;

fn check(model: &Model) -> Vec<Hit> {
    let detectors = crate::mechanisms::monitor::detectors(model);
    let net = crate::model::NetworkIndex::new(model);
    let mut out = Vec::new();
    for (ups, battery_secs, bridged) in crate::analysis::bounds::battery_bridged(model, &net) {
        if battery_secs <= 0.0 {
            continue;
        }
        // The power chain the battery bridges (not the sites around it: a disaster
        // outlasts any battery). A feed a generator backs needs the battery only
        // until the generator runs (SPOF-L026 judges that), and an idle generator's
        // failure puts nothing on battery.
        let backed: Vec<crate::model::ElementId> =
            model.elements.iter().filter_map(|g| g.generator.map(|b| b.feed)).collect();
        let mut late: Vec<String> = Vec::new();
        for e in model.elements.iter().filter(|e| bridged[e.id.0 as usize]) {
            if e.layer != Layer::Power || e.failure.is_none() || e.generator.is_some() || backed.contains(&e.id) {
                continue;
            }
            let delays =
                crate::mechanisms::monitor::detection_delays(&detectors[e.id.0 as usize], model.noticed_by_users_secs);
            let share: f64 = delays.iter().filter(|&&(_, secs)| secs >= battery_secs).map(|&(p, _)| p).sum();
            if share < MIN_SHARE {
                continue;
            }
            let how = if detectors[e.id.0 as usize].is_empty() {
                format!(
                    "no monitor watches it, and users notice after {}",
                    Duration::from_secs(model.noticed_by_users_secs)
                )
            } else if share >= 1.0 - 1e-12 {
                "its monitors notice no sooner".to_string()
            } else {
                format!("{:.0}% of its failures are noticed only that late (lost alerts)", share * 100.0)
            };
            late.push(format!("{} ({how})", e.name));
        }
        if late.is_empty() {
            continue;
        }
        let u = model.element(ups);
        out.push(hit(
            u.span,
            &u.name,
            format!(
                "{}: its {} battery runs out before anyone notices the loss of {}: a repair starts only once the failure is noticed, so such an outage outlasts the battery by the rest of the wait and the whole repair, and every load on the UPS boots again; a monitor on the UPS itself does not see it",
                u.name,
                Duration::from_secs(battery_secs),
                late.join(", ")
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::{codes_for, only};

    const DESIGN: &str = r#"{ "components": {
        "utility": { "kind": "power-feed" },
        "ups-a": { "kind": "ups", "feed": "utility", "battery_runtime": "15m" },
        "web-1": { "kind": "server", "power": ["ups-a"] } },
      "monitors": { MONITORS } }"#;

    #[test]
    fn fires_when_nobody_notices_the_feed_before_the_battery_runs_out() {
        let unwatched = DESIGN.replace("MONITORS", r#""ping": { "method": "ping", "targets": ["ups-a", "web-1"] }"#);
        assert_eq!(only("SPOF-L036", &unwatched), ["SPOF-L036 ups-a"]);
        let message = crate::lints::run(&crate::load(&unwatched).model.unwrap())
            .into_iter()
            .find(|f| f.code == "SPOF-L036")
            .unwrap()
            .message;
        assert!(message.contains("utility (no monitor watches it, and users notice after 1h)"), "{message}");
        // A trap lost half the time: half the outages are noticed only by users.
        let lossy = DESIGN.replace(
            "MONITORS",
            r#""trap": { "method": "snmp-trap", "targets": ["utility"], "trap_loss": "50%", "response": "2m" }"#,
        );
        let message = crate::lints::run(&crate::load(&lossy).model.unwrap())
            .into_iter()
            .find(|f| f.code == "SPOF-L036")
            .unwrap()
            .message;
        assert!(message.contains("50% of its failures are noticed only that late"), "{message}");
    }

    /// A generator backs the feed: the battery need only outlast its start (SPOF-L026).
    #[test]
    fn quiet_where_a_generator_backs_the_feed() {
        let backed = DESIGN.replace("MONITORS", "").replace(
            r#""utility": { "kind": "power-feed" },"#,
            r#""utility": { "kind": "power-feed" }, "gen": { "kind": "generator", "backs": "utility" },"#,
        );
        assert!(only("SPOF-L036", &backed).is_empty(), "{:?}", codes_for(&backed));
    }

    #[test]
    fn quiet_when_the_feed_is_noticed_within_the_battery() {
        let watched = DESIGN
            .replace("MONITORS", r#""trap": { "method": "snmp-trap", "targets": ["utility"], "response": "2m" }"#);
        assert!(only("SPOF-L036", &watched).is_empty(), "{:?}", codes_for(&watched));
    }
}
