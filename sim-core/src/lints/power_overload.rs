//! SPOF-L001 power-overload: one power side cannot carry the whole load.

use std::collections::BTreeMap;

use super::{hit, req_elements, watts_attr, Hit, Lint, Severity};
use crate::model::{Attr, ElementId, Model};

pub static LINT: Lint = Lint {
    code: "SPOF-L001",
    name: "power-overload",
    severity: Severity::Error,
    summary: "A PSU, rack tap or PDU is smaller than the draw it must carry when the other side fails.",
    rationale: "NIST SP 800-34 Rev. 1 §5.1.3: with dual power supplies, the second becomes the main power source when the first fails, so redundancy is only real if ONE tap can carry the whole rack; if the summed draw exceeds one side's capacity, losing a side overloads the other.",
    fix: "Size every PSU for the device's full draw and every PDU/tap for the summed draw of everything plugged into it, or move load to another circuit.",
    example: r#""web-1": { "kind": "server", "draw_watts": 450, "power": { "from": ["pdu-a", "pdu-b"], "psu_capacity_watts": 750 } }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    // Load each source carries when every device's other side has failed.
    let mut load: BTreeMap<ElementId, f64> = BTreeMap::new();
    for device in &model.elements {
        let Some(draw) = watts_attr(&device.attrs, "draw_watts") else { continue };
        let psus: Vec<ElementId> =
            req_elements(&device.needs).into_iter().filter(|p| model.element(*p).kind == "psu").collect();
        for src in super::power_sources(model, device) {
            *load.entry(src).or_default() += draw;
        }
        if matches!(device.attrs.get("psus_needed"), Some(Attr::Count(k)) if *k >= 2) && psus.len() >= 2 {
            out.push(hit(
                device.span,
                &device.name,
                format!(
                    "{} draws {draw} W, more than one of its PSUs delivers: losing either PSU takes it down",
                    device.name
                ),
            ));
        }
    }
    for (src, watts) in load {
        let el = model.element(src);
        if let Some(cap) = watts_attr(&el.attrs, "capacity_watts") {
            if watts > cap {
                out.push(hit(
                    el.span,
                    &el.name,
                    format!("{} must carry {watts} W when the other side fails, but delivers {cap} W", el.name),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::{codes_for, only};

    const BAD: &str = r#"{ "components": {
        "feed": { "kind": "power-feed" },
        "pdu-a": { "kind": "pdu", "from": "feed", "capacity_watts": 1000 },
        "pdu-b": { "kind": "pdu", "from": "feed", "capacity_watts": 1000 },
        "web-1": { "kind": "server", "draw_watts": 600, "power": ["pdu-a", "pdu-b"] },
        "web-2": { "kind": "server", "draw_watts": 600, "power": ["pdu-a", "pdu-b"] },
        "big": { "kind": "server", "draw_watts": 700, "power": { "from": ["pdu-a", "pdu-b"], "psu_capacity_watts": 400 } } } }"#;

    #[test]
    fn fires_when_one_side_cannot_carry_the_load() {
        assert_eq!(only("SPOF-L001", BAD), ["SPOF-L001 big", "SPOF-L001 pdu-a", "SPOF-L001 pdu-b"]);
    }

    #[test]
    fn quiet_when_each_side_carries_everything() {
        let good = BAD.replace("1000", "3000").replace("\"psu_capacity_watts\": 400", "\"psu_capacity_watts\": 800");
        assert!(codes_for(&good).iter().all(|c| !c.starts_with("SPOF-L001")), "{:?}", codes_for(&good));
    }
}
