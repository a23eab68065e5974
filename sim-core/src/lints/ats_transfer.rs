//! SPOF-L034 ats-transfer-longer-than-ride-through: an automatic transfer switch whose
//! break-before-make transfer outlasts what its loads ride through drops them at every
//! move, so each loss and each return of its preferred input reboots them.

use super::{hit, Hit, Lint, Severity};
use crate::model::{ElementId, Model};
use crate::units::Duration;

pub static LINT: Lint = Lint {
    code: "SPOF-L034",
    name: "ats-transfer-longer-than-ride-through",
    severity: Severity::Warning,
    summary: "An automatic transfer switch's transfer is longer than its loads ride through: every move of the load reboots them.",
    rationale: "A transfer switch moves its load break before make: the output has no voltage while it moves. The ITI (CBEMA) Curve (Information Technology Industry Council, 2000) asks IT equipment to ride through a loss of all voltage for 20 ms; a longer break drops every load, which then boots. A rack ATS returns to its preferred source when that source is good again (APC Rack ATS AP44xx User Guide, \"Preferred Source\"), so one utility outage on the preferred side costs two reboots of every single-corded device on the switch, however short the outage.",
    fix: "Use a transfer switch that moves the load within the loads' ride-through (a static transfer switch, or a rack ATS rated for IT loads), or give the devices a second PSU on the other feed.",
    example: r#""ats-1": { "kind": "ats", "from": ["pdu-a", "pdu-b"], "transfer": "8ms" }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for ats in model.elements.iter() {
        let Some(ts) = ats.transfer_switch else { continue };
        let (always, on_loss) = crate::mechanisms::transfer_switch::rebooted_by_moves(model, ats.id);
        if always.is_empty() && on_loss.is_empty() {
            continue;
        }
        let names = |v: &[ElementId]| v.iter().map(|&e| model.element(e).name.as_str()).collect::<Vec<_>>().join(", ");
        let preferred = &model.element(ts.preferred).name;
        let mut what = Vec::new();
        if !always.is_empty() {
            what.push(format!("each loss and each return of {preferred} reboots {}", names(&always)));
        }
        if !on_loss.is_empty() {
            what.push(format!(
                "each loss of {preferred} reboots {} (their other PSUs lose power with it)",
                names(&on_loss)
            ));
        }
        out.push(hit(
            ats.span,
            &ats.name,
            format!(
                "{}: its {} transfer is longer than the {} its loads ride through: {}",
                ats.name,
                Duration::from_secs(ts.transfer_secs),
                Duration::from_secs(ts.ride_through_secs),
                what.join("; ")
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::{codes_for, only};

    const DESIGN: &str = r#"{ "components": {
        "feed-a": { "kind": "power-feed" }, "feed-b": { "kind": "power-feed" },
        "ats-1": { "kind": "ats", "from": ["feed-a", "feed-b"], "transfer": "TRANSFER" },
        "pdu-r1": { "kind": "pdu", "from": "ats-1" },
        "sw": { "kind": "switch", "power": ["pdu-r1"] },
        "web-1": { "kind": "server", "power": ["ats-1"], "nics": ["sw"] },
        "web-2": { "kind": "server", "power": ["ats-1", "feed-b"], "nics": ["sw"] },
        "web-3": { "kind": "server", "power": ["ats-1", "feed-a"], "nics": ["sw"] } } }"#;

    #[test]
    fn fires_on_a_transfer_the_loads_do_not_ride_through() {
        let text = DESIGN.replace("TRANSFER", "100ms");
        assert_eq!(only("SPOF-L034", &text), ["SPOF-L034 ats-1"]);
        let loaded = crate::load(&text);
        let hits = (super::LINT.check)(loaded.model.as_ref().unwrap());
        assert_eq!(
            hits[0].message,
            "ats-1: its 100ms transfer is longer than the 20ms its loads ride through: each loss and each return of feed-a reboots sw, web-1; each loss of feed-a reboots web-3 (their other PSUs lose power with it)"
        );
    }

    /// web-2's second PSU, on feed-b, carries it through every move: it is not named,
    /// and an ATS that feeds only such devices is not flagged (the simulator agrees:
    /// a drill of feed-a costs web-2 nothing).
    #[test]
    fn a_device_carried_by_its_other_psu_is_not_named() {
        let text = DESIGN.replace("TRANSFER", "100ms");
        let loaded = crate::load(&text);
        let hits = (super::LINT.check)(loaded.model.as_ref().unwrap());
        assert!(!hits[0].message.contains("web-2"), "{}", hits[0].message);
        let only_dual = r#"{ "components": {
            "feed-a": { "kind": "power-feed" }, "feed-b": { "kind": "power-feed" },
            "ats-1": { "kind": "ats", "from": ["feed-a", "feed-b"], "transfer": "200ms" },
            "srv": { "kind": "server", "power": ["ats-1", "feed-b"] } } }"#;
        assert!(!codes_for(only_dual).iter().any(|c| c.starts_with("SPOF-L034")), "{:?}", codes_for(only_dual));
    }

    #[test]
    fn quiet_within_the_ride_through() {
        let text = DESIGN.replace("TRANSFER", "20ms");
        assert!(!codes_for(&text).iter().any(|c| c.starts_with("SPOF-L034")), "{:?}", codes_for(&text));
        let longer_hold_up = DESIGN.replace(r#""TRANSFER""#, r#""100ms", "ride_through": "150ms""#);
        assert!(!codes_for(&longer_hold_up).iter().any(|c| c.starts_with("SPOF-L034")));
    }
}
