//! SPOF-L020 capacity-without-draws: a power capacity that nothing's draw is checked against.

use std::collections::BTreeMap;

use super::{hit, watts_attr, Hit, Lint, Severity};
use crate::model::{ElementId, Model};

pub static LINT: Lint = Lint {
    code: "SPOF-L020",
    name: "capacity-without-draws",
    severity: Severity::Warning,
    summary: "A PDU, UPS or feed states a capacity, but devices it powers state no draw: the overload check cannot judge it.",
    rationale: "NIST SP 800-34 Rev. 1 §5.1.3: with dual power supplies the second side carries the whole load when the first fails, so a side is only redundant if its capacity covers the summed draw. spofsim checks that sum (SPOF-L001), but only over the devices whose `draw_watts` is known; a device without one counts as drawing nothing, and a capacity with no known draws below it checks nothing at all.",
    fix: "Give every device the PDU, UPS or feed powers its `draw_watts` (the nameplate or measured peak), or drop the capacity if it is not meant to be checked.",
    example: r#""web-1": { "kind": "server", "draw_watts": 450, "power": ["pdu-a", "pdu-b"] }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    // Per power source: the devices it powers (through their PSUs, transitively), split
    // by whether their draw is known.
    let mut powered: BTreeMap<ElementId, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for device in &model.elements {
        let known = watts_attr(&device.attrs, "draw_watts").is_some();
        for src in super::power_sources(model, device) {
            let entry = powered.entry(src).or_default();
            if known { &mut entry.0 } else { &mut entry.1 }.push(device.name.as_str());
        }
    }
    let mut out = Vec::new();
    for (src, (known, unknown)) in powered {
        let el = model.element(src);
        let Some(cap) = watts_attr(&el.attrs, "capacity_watts") else { continue };
        if unknown.is_empty() {
            continue;
        }
        let shown: Vec<&str> = unknown.iter().copied().take(5).collect();
        let more = if unknown.len() > 5 { format!(" and {} more", unknown.len() - 5) } else { String::new() };
        let message = if known.is_empty() {
            format!(
                "{} delivers {cap} W, but none of the {} devices it powers states its draw ({}{more}): its capacity is checked against nothing",
                el.name,
                unknown.len(),
                shown.join(", ")
            )
        } else {
            format!(
                "{} delivers {cap} W, but {} of the {} devices it powers state no draw ({}{more}): they count as drawing nothing",
                el.name,
                unknown.len(),
                known.len() + unknown.len(),
                shown.join(", ")
            )
        };
        out.push(hit(el.span, &el.name, message));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    /// Two servers on one PDU whose capacity is stated; neither states its draw.
    const BAD: &str = r#"{ "components": { "feed": { "kind": "power-feed" },
        "pdu-a": { "kind": "pdu", "from": "feed", "capacity_watts": 1000 },
        "web-1": { "kind": "server", "power": ["pdu-a"] }, "web-2": { "kind": "server", "power": ["pdu-a"] } } }"#;

    #[test]
    fn fires_on_a_capacity_with_no_known_draw() {
        assert_eq!(only("SPOF-L020", BAD), ["SPOF-L020 pdu-a"]);
        let loaded = crate::load(BAD).model.unwrap();
        let f = super::check(&loaded);
        assert!(f[0].message.contains("none of the 2 devices"), "{}", f[0].message);
    }

    #[test]
    fn fires_on_part_of_the_draws_missing() {
        let partial =
            BAD.replace(r#""web-1": { "kind": "server","#, r#""web-1": { "kind": "server", "draw_watts": 300,"#);
        let f = super::check(&crate::load(&partial).model.unwrap());
        assert!(
            f.len() == 1 && f[0].message.contains("1 of the 2 devices"),
            "{:?}",
            f.iter().map(|h| &h.message).collect::<Vec<_>>()
        );
    }

    #[test]
    fn quiet_when_every_draw_is_known_or_no_capacity_is_given() {
        let known = BAD.replace(r#""kind": "server","#, r#""kind": "server", "draw_watts": 300,"#);
        assert!(only("SPOF-L020", &known).is_empty());
        let no_capacity = BAD.replace(r#", "capacity_watts": 1000"#, "");
        assert!(only("SPOF-L020", &no_capacity).is_empty());
    }
}
