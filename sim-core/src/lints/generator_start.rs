//! SPOF-L026 battery-shorter-than-generator-start: what hangs on a generator-backed
//! feed loses power at every utility outage, because no UPS battery outlasts the
//! generator's start.

use super::{hit, req_elements, Hit, Lint, Severity};
use crate::model::Model;
use crate::units::Duration;

pub static LINT: Lint = Lint {
    code: "SPOF-L026",
    name: "battery-shorter-than-generator-start",
    severity: Severity::Warning,
    summary: "A load on a generator-backed feed is not bridged through the generator's start: its UPS battery is shorter than the start, or it has no UPS.",
    rationale: "A standby generator carries the load only once it has started, run up and the transfer switch has moved the load: up to 10 s for an NFPA 110 Type 10 system, longer for large sets. Until then the utility outage reaches the load unless a UPS bridges it; NFPA 110 and IEEE Std 446 (Orange Book, emergency and standby power) pair the generator with a UPS for loads that cannot take the interruption. A battery (or flywheel) shorter than the start drops the load at every utility outage, however reliable the generator.",
    fix: "Put the load behind a UPS whose battery_runtime outlasts the generator's start (with margin for a second start attempt), or shorten the start.",
    example: r#""ups-a": { "kind": "ups", "feed": "utility", "battery_runtime": "10m" }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for g in model.elements.iter().filter(|e| e.generator.is_some()) {
        let backup = g.generator.expect("filtered");
        let start = Duration::from_secs(backup.start_secs);
        let feed = &model.element(backup.feed).name;
        if backup.start_secs <= 0.0 {
            continue;
        }
        // What hangs on the feed, or on a transfer switch that takes the generator.
        let switches = crate::mechanisms::generator::transfer_switches(model, g.id);
        let on_switch = |x: &crate::model::Element| req_elements(&x.needs).iter().any(|n| switches.contains(n));
        let on_feed = |x: &crate::model::Element| req_elements(&x.needs).contains(&backup.feed);
        for x in model.elements.iter().filter(|x| x.id != g.id && !switches.contains(&x.id)) {
            let message = if on_switch(x) || (on_feed(x) && switches.is_empty()) {
                match x.battery_runtime_secs {
                    Some(battery) if battery >= backup.start_secs => continue,
                    Some(battery) => format!(
                        "{}: its {} battery cannot bridge {}'s {start} start: each outage of {feed} drops its load for {}, and every device on it boots again (its `restart`)",
                        x.name,
                        Duration::from_secs(battery),
                        g.name,
                        Duration::from_secs(backup.start_secs - battery)
                    ),
                    None => format!(
                        "{} hangs on {feed} with no UPS: each outage of {feed} drops its load for {}'s {start} start, and it boots again (its `restart`)",
                        x.name, g.name
                    ),
                }
            } else if on_feed(x) {
                // A named switch takes the generator, so a load on the feed itself
                // never gets the generator's power: it waits for the utility.
                let names: Vec<&str> = switches.iter().map(|s| model.element(*s).name.as_str()).collect();
                let switch = names.join(" or ");
                let lasts = match x.battery_runtime_secs {
                    Some(battery) => format!(" longer than its {} battery", Duration::from_secs(battery)),
                    None => String::new(),
                };
                format!(
                    "{} hangs on {feed} directly, while {} reaches its loads only through {switch}: each outage of {feed}{lasts} drops its load until {feed} is back, however long (move it behind {switch})",
                    x.name, g.name
                )
            } else {
                continue;
            };
            out.push(hit(x.span, &x.name, message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::{codes_for, only};

    #[test]
    fn fires_on_a_short_battery_and_on_a_load_without_ups() {
        let bad = r#"{ "components": {
            "utility": { "kind": "power-feed" },
            "gen": { "kind": "generator", "backs": "utility", "start": "30s" },
            "flywheel": { "kind": "ups", "feed": "utility", "battery_runtime": "15s" },
            "pdu-a": { "kind": "pdu", "from": "flywheel" },
            "pdu-b": { "kind": "pdu", "from": "utility" } } }"#;
        assert_eq!(only("SPOF-L026", bad), ["SPOF-L026 flywheel", "SPOF-L026 pdu-b"]);
    }

    /// Behind an explicit utility/generator transfer switch the loads hang on the
    /// switch: the same rule, the switch itself no load.
    #[test]
    fn fires_behind_an_explicit_transfer_switch() {
        let bad = r#"{ "components": {
            "utility": { "kind": "power-feed" },
            "gen": { "kind": "generator", "backs": "utility", "start": "30s" },
            "main-ats": { "kind": "ats", "from": ["utility", "gen"] },
            "flywheel": { "kind": "ups", "feed": "main-ats", "battery_runtime": "15s" },
            "ups": { "kind": "ups", "feed": "main-ats", "battery_runtime": "10m" },
            "pdu-a": { "kind": "pdu", "from": "flywheel" },
            "pdu-b": { "kind": "pdu", "from": "main-ats" },
            "pdu-c": { "kind": "pdu", "from": "ups" } } }"#;
        assert_eq!(only("SPOF-L026", bad), ["SPOF-L026 flywheel", "SPOF-L026 pdu-b"]);
    }

    /// A load on the utility feed itself, beside a switch that takes the generator,
    /// never gets the generator's power: the message says it waits for the utility,
    /// not for the start, and a long battery does not quiet it.
    #[test]
    fn a_load_on_the_feed_beside_a_named_switch_waits_for_the_utility() {
        let bad = r#"{ "components": {
            "utility": { "kind": "power-feed" },
            "gen": { "kind": "generator", "backs": "utility", "start": "30s" },
            "main-ats": { "kind": "ats", "from": ["utility", "gen"] },
            "pdu-a": { "kind": "pdu", "from": "main-ats" },
            "ups": { "kind": "ups", "feed": "utility", "battery_runtime": "10m" },
            "pdu-b": { "kind": "pdu", "from": "utility" } } }"#;
        let model = crate::load(bad).model.expect("fixture loads");
        let hits = super::check(&model);
        let text: Vec<String> = hits.iter().map(|h| h.message.clone()).collect();
        assert_eq!(hits.len(), 3, "{text:?}");
        let of = |name: &str| text.iter().find(|m| m.starts_with(name)).cloned().unwrap_or_default();
        assert!(of("pdu-a").contains("drops its load for gen's 30s start"), "{text:?}");
        assert!(
            of("pdu-b").contains("hangs on utility directly, while gen reaches its loads only through main-ats"),
            "{text:?}"
        );
        assert!(of("pdu-b").contains("until utility is back"), "{text:?}");
        assert!(of("ups").contains("longer than its 10m battery"), "{text:?}");
    }

    #[test]
    fn quiet_when_the_battery_outlasts_the_start() {
        let good = r#"{ "components": {
            "utility": { "kind": "power-feed" },
            "gen": { "kind": "generator", "backs": "utility" },
            "ups": { "kind": "ups", "feed": "utility", "battery_runtime": "10m" },
            "pdu-a": { "kind": "pdu", "from": "ups" } } }"#;
        assert!(!codes_for(good).iter().any(|c| c.starts_with("SPOF-L026")), "{:?}", codes_for(good));
    }
}
