//! Power: panel → feed → PDU → outlet → PSU, as NetBox records it (NetBox docs, "Power
//! Tracking").
//!
//! - A power panel becomes a `power-feed` (the supply into the panel: one upstream source
//!   whose loss drops every feed of the panel).
//! - A power feed becomes a `pdu` fed from its panel, with `capacity_watts` = NetBox's
//!   available power: voltage × amperage × max_utilization / 100, × 1.732 for three-phase
//!   (NetBox `PowerFeed.save()`, dcim/models/power.py).
//! - A PDU (a device whose role maps to `pdu`) is fed from the feed its inlet is cabled to.
//!   A PDU with two or more cabled inlets (a dual-inlet, dual-circuit PDU) becomes an
//!   `enclosure` with one `pdu` per inlet, each fed from its own inlet's cable; an outlet
//!   is on the inlet NetBox records as its `power_port`.
//! - A device's PSU (power port) is cabled to a PDU outlet or straight to a feed; NetBox
//!   does not trace through a PDU, so the chain is outlet → its `power_port` (the PDU's
//!   inlet) → that inlet's `connected_endpoints` (the feed).
//! - Draw: the sum of the PSUs' `allocated_draw` (or `maximum_draw` where no allocated
//!   draw is set), in watts, as `draw_watts`.
//!
//! Gaps NetBox leaves are findings, and assumed pessimistic: a PSU with no cable is a
//! warning and supplies nothing; a device with no cabled PSU, or a PDU with no cabled
//! inlet, hangs on its site's one "unrecorded power" source.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{at_url, choice, display_of, id_of, str_of, url_of, Cx, RoleMapping};
use crate::netbox::write::Entry;

pub fn import(cx: &mut Cx) {
    let mut ports_of: BTreeMap<i64, Vec<Value>> = BTreeMap::new();
    for port in cx.r.list("dcim/power-ports") {
        if let Some(device) = port.value.get("device").and_then(id_of) {
            ports_of.entry(device).or_default().push(port.value.clone());
        }
    }
    let have_ports = cx.r.has("dcim/power-ports");
    let banks = split_dual_inlet_pdus(cx, &ports_of);
    let devices: Vec<(i64, super::Device)> = cx.devices.iter().map(|(k, v)| (*k, v.clone())).collect();
    let mut no_power: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    // PDU → the PDU it is plugged into (daisy chains).
    let mut chains: BTreeMap<String, (String, super::Device)> = BTreeMap::new();
    // Devices whose PSUs are on more than one unit, for the panel check at the end.
    let mut spread: Vec<(super::Device, Vec<String>)> = Vec::new();
    for (id, device) in devices {
        let RoleMapping::Kind(kind) = device.mapping else { continue };
        let ports = ports_of.remove(&id).unwrap_or_default();
        if kind == "pdu" {
            for (pdu, upstream) in pdu_source(cx, &banks, &device, &ports) {
                chains.insert(pdu, (upstream, device.clone()));
            }
            continue;
        }
        if kind == "ats" {
            transfer_switch_inputs(cx, &banks, &device, &ports);
            continue;
        }
        if kind == "ups" {
            ups_input(cx, &banks, id, &device, &ports);
            continue;
        }
        let mut sources = Vec::new();
        let mut uncabled = Vec::new();
        let mut draw = 0.0;
        let mut any_draw = false;
        // With no allocated draw on any port, the largest maximum_draw: a port's maximum
        // is what it draws carrying the device alone (when its partner has failed), so
        // summing them would count a redundant device's load once per PSU. NetBox's own
        // power utilization counts each port's maximum at its own PDU, the same load.
        let mut largest_maximum: f64 = 0.0;
        let mut any_allocated = false;
        let (mut capacities, mut all_rated): (Vec<f64>, bool) = (Vec::new(), true);
        for port in &ports {
            let what = format!("power port {} of {}", display_of(port), device.display);
            let allocated = cx.number_field(port, "allocated_draw", &what);
            let maximum = cx.number_field(port, "maximum_draw", &what);
            any_allocated |= allocated.is_some_and(|a| a > 0.0);
            largest_maximum = largest_maximum.max(maximum.unwrap_or(0.0));
            let watts = allocated.or(maximum);
            if let Some(w) = watts.filter(|w| *w > 0.0) {
                draw += w;
                any_draw = true;
            }
            // A PSU's maximum_draw is the most it can carry: with allocated draws (the
            // device's share on each port), it says whether one PSU carries the device
            // alone. Only PSUs that supply count (an uncabled bay carries nothing).
            let rating = match (allocated.filter(|a| *a > 0.0), maximum.filter(|m| *m > 0.0)) {
                (Some(_), Some(m)) => Some(m),
                _ => None,
            };
            let supplying = sources.len();
            let marked =
                port.get("mark_connected") == Some(&Value::Bool(true)) && port.get("cable").is_none_or(Value::is_null);
            match psu_source(cx, &banks, port) {
                Some(source) => sources.push(Value::String(source)),
                // NetBox's mark_connected: plugged in, to something it does not record.
                None if marked => {
                    cx.warn(
                        "NB202",
                        &url_of(port),
                        format!(
                            "PSU {} of {} is marked connected in NetBox, with no cable recorded: it is put on its site's \
                             assumed \"unrecorded power\" source",
                            display_of(port),
                            device.display
                        ),
                        Some("cable it to its PDU outlet or feed in NetBox".into()),
                    );
                    sources.push(Value::String(cx.unrecorded_power_of(&device.site)));
                }
                None => uncabled.push(port),
            }
            if sources.len() > supplying {
                match rating {
                    Some(m) => capacities.push(m),
                    None => all_rated = false,
                }
            }
        }
        // With no PSU cabled at all, the site-level warning below says it once.
        if !sources.is_empty() {
            for port in uncabled {
                uncabled_psu(cx, &device, port);
            }
        }
        let all_unbuilt = !ports.is_empty() && ports.iter().all(|p| unbuilt_behind(cx, p, 0).is_some());
        if sources.is_empty() && all_unbuilt {
            // It runs (it is in scope), so its power comes from somewhere NetBox does not say.
            let mut parts: Vec<String> =
                ports.iter().filter_map(|p| unbuilt_behind(cx, p, 0)).map(|u| u.what()).collect();
            parts.sort();
            parts.dedup();
            let what = parts.join("; ");
            cx.warn(
                "NB212",
                &device.url,
                format!(
                    "every PSU of {} hangs on what is outside --status ({what}); the device is in scope, so it runs \
                     on power NetBox does not say: it is put on its site's assumed \"unrecorded power\" source \
                     (independent of the rest, which can read better than one PSU left on its recorded chain)",
                    device.display
                ),
                Some("record the supply it runs on today in NetBox, or import with planned in --status".into()),
            );
            let source = Value::String(cx.unrecorded_power_of(&device.site));
            sources.extend(std::iter::repeat_n(source, ports.len()));
        } else if sources.is_empty() {
            no_power.entry(device.site.clone()).or_default().push(device.display.clone());
            // The PSUs NetBox records (at least one), all on the assumed source: their
            // own redundancy stays, the unknown supply is the single point of failure.
            let source = Value::String(cx.unrecorded_power_of(&device.site));
            sources.extend(std::iter::repeat_n(source, ports.len().max(1)));
            cx.summary.devices_without_recorded_power += 1;
        } else if sources.len() > 1 && sources.iter().all(|s| *s == sources[0]) {
            let on = sources[0].as_str().unwrap_or_default().to_string();
            cx.warn(
                "NB207",
                &device.url,
                format!(
                    "all {} cabled PSUs of {} are on {on}: it is a single point of failure for the device",
                    sources.len(),
                    device.display
                ),
                Some("move one PSU to the other side's PDU (A and B feeds) in the rack and in NetBox".into()),
            );
        } else if sources.len() > 1 {
            let units: Vec<&str> =
                sources.iter().map(|s| s.as_str().unwrap_or_default()).map(|s| banks.unit_of(s)).collect();
            if units.iter().any(|u| *u != units[0]) {
                spread.push((device.clone(), sources.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()));
            }
            if units.iter().all(|u| *u == units[0]) {
                let inlets: std::collections::BTreeSet<&str> =
                    sources.iter().map(|s| s.as_str().unwrap_or_default()).collect();
                cx.warn(
                    "NB207",
                    &device.url,
                    format!(
                        "all {} cabled PSUs of {} are on one dual-inlet PDU ({}: {}): its enclosure is a single point of \
                         failure for the device",
                        sources.len(),
                        device.display,
                        units[0],
                        inlets.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                    Some("move one PSU to a PDU in another enclosure (the rack's other power side)".into()),
                );
            }
        }
        // Every PSU rated and carrying an allocated share: the smallest rating is what one
        // PSU can carry (scenario `psu_capacity_watts`), so a device whose draw needs two
        // is not redundant on two.
        let capacity = capacities.iter().copied().fold(f64::INFINITY, f64::min);
        let rated = all_rated && !ports.is_empty() && capacity.is_finite() && sources.len() > 1;
        // Written only where it changes the answer (one PSU short); otherwise the list form
        // already means "one PSU is enough".
        let short = rated && draw.is_finite() && draw > capacity;
        if short {
            cx.warn(
                "NB213",
                &device.url,
                format!(
                    "{} draws {draw} W (its ports' allocated draws) and its smallest PSU is rated {capacity} W \
                     (maximum_draw): one PSU cannot carry it, so its PSUs are not redundant",
                    device.display
                ),
                Some("check the draws in NetBox, or fit PSUs that each carry the whole load".into()),
            );
        }
        let entry = cx.out.components.get_mut(&device.id).expect("every component device has an entry");
        if short {
            entry.field("power", serde_json::json!({ "from": sources, "psu_capacity_watts": capacity }));
        } else {
            entry.field("power", Value::Array(sources));
        }
        if any_draw && !any_allocated {
            draw = largest_maximum;
        }
        // A sum past f64's range (no real rack) would write no number at all.
        if any_draw && draw.is_finite() {
            entry.field("draw_watts", serde_json::json!(draw));
        }
    }
    // Each pass cuts one loop; a cut PDU no longer chains.
    while let Some(cut) = break_pdu_loops(cx, &chains) {
        chains.remove(&cut);
    }
    // PSUs on two PDUs that both hang on one power panel: the panel is the SPOF.
    for (device, sources) in spread {
        let panels: Vec<Option<String>> = sources.iter().map(|s| panel_behind(cx, s)).collect();
        if let Some(Some(panel)) = panels.first().filter(|_| panels.iter().all(|p| p.is_some() && *p == panels[0])) {
            let panel = panel.clone();
            cx.warn(
                "NB207",
                &device.url,
                format!(
                    "all {} cabled PSUs of {} trace back to power panel {panel} ({}): the panel is a single point of \
                     failure for the device",
                    sources.len(),
                    device.display,
                    sources.join(", ")
                ),
                Some("feed the other power side from another panel (A and B panels) in the room and in NetBox".into()),
            );
        }
    }
    if !have_ports && !cx.devices.is_empty() {
        cx.warn(
            "NB201",
            "dcim/power-ports",
            "no response for /api/dcim/power-ports/ was read, so no device's power is known".into(),
            Some("save GET /api/dcim/power-ports/ in the folder too".into()),
        );
    } else if !cx.devices.is_empty() {
        // Power ports read, but a link of their chain missing: said, not folded silently
        // into the site's unrecorded power.
        let missing: Vec<&str> = ["dcim/power-feeds", "dcim/power-panels", "dcim/power-outlets"]
            .into_iter()
            .filter(|e| !cx.r.has(e))
            .collect();
        if !missing.is_empty() {
            cx.warn(
                "NB201",
                &missing.join(", "),
                format!(
                    "no response for {} was read: the power chains through them are incomplete (feeds and panels \
                     without their names and sites, outlets without the PDU inlet they hang on), so what the chain \
                     shares can be missed",
                    missing.iter().map(|e| format!("/api/{e}/")).collect::<Vec<_>>().join(", ")
                ),
                Some("save those endpoints in the folder too".into()),
            );
        }
    }
    for (site, names) in no_power {
        let n = names.len();
        let shown = super::sample(names, 6);
        let place = site.as_deref().map_or("with no site".to_string(), |s| format!("at site {s}"));
        cx.warn(
            "NB203",
            &format!("site {}", site.as_deref().unwrap_or("-")),
            format!(
                "{n} device(s) {place} have no cabled PSU in NetBox ({shown}); they are put on one assumed \
                 \"unrecorded power\" source, which will show as their single point of failure"
            ),
            Some("cable their power ports to PDU outlets or power feeds in NetBox, then import again".into()),
        );
    }
}

/// Where a PSU's cable leads: a PDU component (one inlet's, for a dual-inlet PDU) or a
/// feed component.
fn psu_source(cx: &mut Cx, banks: &Banks, port: &Value) -> Option<String> {
    if let Some(unbuilt) = unbuilt_behind(cx, port, 0) {
        unbuilt_supply(cx, &unbuilt);
        return None;
    }
    let endpoint = port.get("connected_endpoints").and_then(Value::as_array).and_then(|a| a.first())?;
    match port.get("connected_endpoints_type").and_then(Value::as_str)? {
        "dcim.powerfeed" => Some(feed_component(cx, id_of(endpoint)?)),
        "dcim.poweroutlet" => {
            let outlet_id = id_of(endpoint)?;
            let pdu =
                cx.r.get("dcim/power-outlets", outlet_id)
                    .and_then(|o| o.value.get("device").and_then(id_of))
                    .or_else(|| endpoint.get("device").and_then(id_of))?;
            match cx.component(pdu) {
                Some(d) if d.mapping == RoleMapping::Kind("pdu") && banks.first.contains_key(&pdu) => {
                    let display = d.display.clone();
                    Some(banks.of_outlet(cx, pdu, outlet_id, &display))
                }
                Some(d) if matches!(d.mapping, RoleMapping::Kind("pdu" | "ats" | "ups")) => Some(d.id.clone()),
                Some(d) => {
                    let who = d.display.clone();
                    cx.warn(
                        "NB204",
                        &url_of(port),
                        format!("a PSU is plugged into an outlet of {who}, whose role is not mapped to \"pdu\""),
                        Some("map that device's role to \"pdu\" with --roles".into()),
                    );
                    None
                }
                None => {
                    let name = endpoint.get("device").map(display_of).unwrap_or_else(|| format!("device {pdu}"));
                    let (message, help) = match cx.devices.get(&pdu) {
                        Some(d) => (
                            format!(
                                "a PSU is plugged into {name}, whose role is mapped to {:?}, not \"pdu\"",
                                d.mapping
                            ),
                            "map the PDU's role to \"pdu\" with --roles",
                        ),
                        None => (
                            format!(
                                "a PSU is plugged into {name}, which the import leaves out (outside --site/--tag/\
                                 --status, no role, or a role mapped to skip)"
                            ),
                            "widen --site/--tag/--status to include the PDU, or give it a role that maps to \"pdu\"",
                        ),
                    };
                    cx.warn("NB204", &url_of(port), message, Some(help.into()));
                    None
                }
            }
        }
        _ => None,
    }
}

/// What is not built yet (outside the scope) between a power port and its supply: a
/// power feed that is planned while `--status` leaves planned out, or a power cable that
/// is planned or decommissioning outside `--status`, on the port itself or over outlets
/// and PDU inlets. It supplies nothing.
#[derive(Clone, Debug)]
enum Unbuilt {
    Feed(Value),
    Cable(Value),
}

impl Unbuilt {
    /// "power feed P2-5B, which is planned" / "power cable #130, which is decommissioning".
    fn what(&self) -> String {
        match self {
            Unbuilt::Feed(f) => format!("power feed {}, which is planned", display_of(f)),
            Unbuilt::Cable(c) => format!(
                "power cable #{}, which is {}",
                id_of(c).unwrap_or(0),
                choice(c, "status").unwrap_or("not connected")
            ),
        }
    }
}

/// The [`Unbuilt`] part between `port` and its supply; `None` when the supply is built
/// or not recorded.
fn unbuilt_behind(cx: &Cx, port: &Value, depth: usize) -> Option<Unbuilt> {
    // PDU chains are short; a loop (NB209) ends here.
    if depth > 16 {
        return None;
    }
    // NetBox's LinkStatusChoices: connected, planned, decommissioning.
    if let Some(cable) = port.get("cable").and_then(id_of).and_then(|c| cx.r.get("dcim/cables", c)) {
        let status = choice(&cable.value, "status").unwrap_or("connected");
        if status != "connected" && !cx.options.statuses.iter().any(|s| s == status) {
            return Some(Unbuilt::Cable(cable.value.clone()));
        }
    }
    let endpoint = port.get("connected_endpoints").and_then(Value::as_array).and_then(|a| a.first())?;
    match port.get("connected_endpoints_type").and_then(Value::as_str)? {
        "dcim.powerfeed" => {
            let feed = cx.r.get("dcim/power-feeds", id_of(endpoint)?).map_or(endpoint, |o| &o.value);
            // NetBox's PowerFeedStatusChoices: offline, active, planned, failed (the last
            // two are NB210: built, and assumed repaired).
            let status = choice(feed, "status")?;
            (status == "planned" && !cx.options.statuses.iter().any(|s| s == status))
                .then(|| Unbuilt::Feed(feed.clone()))
        }
        "dcim.poweroutlet" => {
            let outlet = cx.r.get("dcim/power-outlets", id_of(endpoint)?)?;
            let pdu = outlet.value.get("device").and_then(id_of)?;
            let inlets: Vec<Value> = match outlet.value.get("power_port").and_then(id_of) {
                Some(inlet) => cx.r.get("dcim/power-ports", inlet).map(|o| o.value.clone()).into_iter().collect(),
                None => {
                    cx.r.list("dcim/power-ports")
                        .filter(|o| o.value.get("device").and_then(id_of) == Some(pdu))
                        .map(|o| o.value.clone())
                        .collect()
                }
            };
            // Unbuilt only when every inlet that feeds the outlet is.
            let behind: Vec<Option<Unbuilt>> = inlets.iter().map(|i| unbuilt_behind(cx, i, depth + 1)).collect();
            if behind.is_empty() || behind.iter().any(Option::is_none) {
                return None;
            }
            behind.into_iter().flatten().next()
        }
        _ => None,
    }
}

/// The power panel (a `power-feed` component) that `source` hangs on alone, following
/// `from` up PDU chains and feeds; `None` at a transfer switch (two sources) or where
/// the chain leaves what is imported (the site's unrecorded power).
fn panel_behind(cx: &Cx, source: &str) -> Option<String> {
    let mut at = source.to_string();
    for _ in 0..32 {
        let entry = cx.out.components.get(&at)?;
        if entry.get("kind").and_then(Value::as_str) == Some("power-feed") {
            return Some(at);
        }
        // A UPS hangs on its `feed`: the panel's loss outlasts its battery in the end.
        at = entry.get("from").or_else(|| entry.get("feed"))?.as_str()?.to_string();
    }
    None
}

/// Says once per feed or cable that what is not built supplies nothing.
fn unbuilt_supply(cx: &mut Cx, unbuilt: &Unbuilt) {
    let scope = cx.options.statuses.join(",");
    let feed = match unbuilt {
        Unbuilt::Feed(feed) => feed,
        Unbuilt::Cable(cable) => {
            let status = choice(cable, "status").unwrap_or("not connected").to_string();
            cx.warn(
                "NB307",
                &url_of(cable),
                format!(
                    "power cable #{} is {status} in NetBox, outside --status {scope}: it carries no power, so the PSU or \
                     PDU inlet on it counts as unpowered",
                    id_of(cable).unwrap_or(0)
                ),
                Some(format!("set the cable's status in NetBox as it stands, or add {status} to --status to count it")),
            );
            return;
        }
    };
    cx.warn(
        "NB212",
        &url_of(feed),
        format!(
            "power feed {} is planned in NetBox, outside --status {scope}: it supplies nothing, so a PSU or PDU \
             inlet on it (or on a PDU fed only by it) counts as unpowered",
            display_of(feed)
        ),
        Some("mark the feed active in NetBox once it is energised, or add planned to --status to check the design as planned".into()),
    );
}

fn uncabled_psu(cx: &mut Cx, device: &super::Device, port: &Value) {
    let name = display_of(port);
    let cabled = port.get("cable").is_some_and(|c| !c.is_null());
    cx.summary.psus_uncabled += usize::from(!cabled);
    let (message, help) = if let Some(unbuilt) = unbuilt_behind(cx, port, 0) {
        (
            format!(
                "PSU {name} of {} hangs on {}: it supplies nothing until that is built, so the device's other PSUs \
                 carry it alone",
                device.display,
                unbuilt.what()
            ),
            "import with that state in --status to check the design as it will be built (planned is in the default)",
        )
    } else if cabled {
        (
            format!("PSU {name} of {} has a cable that leads to no power source", device.display),
            "complete the cable's far end in NetBox (a PDU outlet or a power feed)",
        )
    } else {
        (
            format!(
                "PSU {name} of {} is not cabled: it supplies nothing, so the cabled PSUs carry the device alone",
                device.display
            ),
            "cable it to a PDU outlet (on the other power side) in NetBox; a PSU bay that is empty is best deleted \
             from the device there",
        )
    };
    cx.warn("NB202", &url_of(port), message, Some(help.into()));
}

/// A PDU's `from`: what its inlet is cabled to, a power feed or an outlet of another
/// PDU (a daisy chain); for a dual-inlet PDU, each inlet's. Returns (PDU component, the
/// PDU component it is plugged into) for each inlet fed from another PDU, for the loop
/// check.
fn pdu_source(cx: &mut Cx, banks: &Banks, device: &super::Device, ports: &[Value]) -> Vec<(String, String)> {
    let mut chained = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    for port in ports {
        let source = psu_source(cx, banks, port);
        let own = source.as_deref().is_some_and(|s| banks.unit_of(s) == device.id);
        if own {
            cx.warn(
                "NB209",
                &url_of(port),
                format!(
                    "PDU {}'s inlet is plugged into one of its own outlets; that cable is left out",
                    device.display
                ),
                Some("correct the cabling in NetBox".into()),
            );
        }
        let source = source.filter(|_| !own);
        // A dual-inlet PDU: this inlet's own PDU component.
        if let Some(bank) = id_of(port).and_then(|p| banks.of_inlet.get(&p)) {
            let from = match source {
                Some(s) => s,
                // On a planned feed (NB212): what is plugged into it counts as unpowered.
                None if unbuilt_behind(cx, port, 0).is_some() => cx.unrecorded_power_of(&device.site),
                None => {
                    cx.warn(
                        "NB205",
                        &url_of(port),
                        format!(
                            "inlet {} of PDU {} is not cabled to a power feed or another PDU; its outlets are put on \
                             the site's assumed \"unrecorded power\" source",
                            display_of(port),
                            device.display
                        ),
                        Some("cable that input power port to its power feed (or upstream PDU) in NetBox".into()),
                    );
                    cx.unrecorded_power_of(&device.site)
                }
            };
            if banks.is_pdu(cx, &from) {
                chained.push((bank.clone(), from.clone()));
            }
            let entry = cx.out.components.get_mut(bank).expect("every inlet has an entry");
            entry.field("from", Value::String(from));
            entry.field("enclosure", Value::String(device.id.clone()));
            continue;
        }
        sources.extend(source);
    }
    if banks.enclosure_of.values().any(|unit| *unit == device.id) {
        return chained;
    }
    let from = match sources.as_slice() {
        // Every inlet on a planned feed (NB212): nothing plugged into it counts as powered.
        [] if !ports.is_empty() && ports.iter().all(|p| unbuilt_behind(cx, p, 0).is_some()) => {
            if let Some(entry) = cx.out.components.get_mut(&device.id) {
                entry.comment(
                    "fed only over what is not built (NB212, NB307): no PSU plugged into it counts it as a supply; \
                     its `from` (the site's unrecorded power) only keeps the file valid"
                        .into(),
                );
            }
            cx.unrecorded_power_of(&device.site)
        }
        [] => uncabled_inlet(cx, device, "PDU", "another PDU", "upstream PDU"),
        [one, ..] => one.clone(),
    };
    if banks.is_pdu(cx, &from) {
        chained.push((device.id.clone(), from.clone()));
    }
    let entry = cx.out.components.get_mut(&device.id).expect("every component device has an entry");
    entry.field("from", Value::String(from));
    chained
}

/// A PDU's or UPS's (`unit`) source when no inlet is cabled (NB205): its site's
/// assumed unrecorded power. `other` and `upstream` name what else its inlet could be
/// plugged into, for the message and the help.
fn uncabled_inlet(cx: &mut Cx, device: &super::Device, unit: &str, other: &str, upstream: &str) -> String {
    cx.summary.devices_without_recorded_power += 1;
    cx.warn(
        "NB205",
        &device.url,
        format!(
            "{unit} {}'s inlet is not cabled to a power feed or {other}; it is put on its site's assumed \"unrecorded \
             power\" source",
            device.display
        ),
        Some(format!("cable the {unit}'s input power port to its power feed (or {upstream}) in NetBox")),
    );
    cx.unrecorded_power_of(&device.site)
}

/// A power device's cabled inlets by inlet name (then NetBox id), as (inlet name, the
/// component it is plugged into), each source once: an inlet on the device's own outlet,
/// or on a source another inlet already has, adds no input.
fn distinct_inlets(cx: &mut Cx, banks: &Banks, device: &super::Device, ports: &[Value]) -> Vec<(String, String)> {
    let mut inlets: Vec<(String, String)> = Vec::new();
    let mut sorted: Vec<&Value> = ports.iter().collect();
    sorted.sort_by(|a, b| display_of(a).cmp(&display_of(b)).then(id_of(a).cmp(&id_of(b))));
    for port in sorted {
        match psu_source(cx, banks, port) {
            Some(source) if source != device.id && !inlets.iter().any(|(_, s)| *s == source) => {
                inlets.push((display_of(port), source));
            }
            _ => {}
        }
    }
    inlets
}

/// A UPS's `feed` and `battery_runtime`. The feed is its cabled inlet's source (a feed
/// or PDU; NB214 when inlets lead to more than one, the first by name is taken, as a
/// UPS takes one input here), or its site's unrecorded power (NB205). NetBox records no
/// battery runtime: the custom field `spofsim_battery_runtime` gives it, else it is
/// imported with none (NB215), so its battery bridges nothing: pessimistic, never a
/// credit the data does not show.
fn ups_input(cx: &mut Cx, banks: &Banks, netbox_id: i64, device: &super::Device, ports: &[Value]) {
    let inlets = distinct_inlets(cx, banks, device, ports);
    let feed = match inlets.as_slice() {
        [] if !ports.is_empty() && ports.iter().all(|p| unbuilt_behind(cx, p, 0).is_some()) => {
            cx.unrecorded_power_of(&device.site)
        }
        [] => uncabled_inlet(cx, device, "UPS", "PDU", "PDU"),
        [(_, only)] => only.clone(),
        [(first, source), rest @ ..] => {
            let others: Vec<&str> = rest.iter().map(|(name, _)| name.as_str()).collect();
            cx.warn(
                "NB214",
                &device.url,
                format!(
                    "UPS {} has inlets on {} distinct sources; its feed is taken from {first} (the first by name),                      and {} left out: a loss of {source} counts against its battery even while another input has power",
                    device.display,
                    inlets.len(),
                    others.join(", ")
                ),
                Some(
                    "a UPS takes one input here: put an ats in front of it in the extending file for a dual-input                      (rectifier and bypass) unit"
                        .into(),
                ),
            );
            source.clone()
        }
    };
    let field =
        cx.r.get("dcim/devices", netbox_id)
            .and_then(|o| o.value.get("custom_fields")?.get("spofsim_battery_runtime").cloned())
            .unwrap_or(Value::Null);
    // Set but unreadable: NB005 says so, and the UPS gets no battery (NB215 is for none).
    let unreadable = |cx: &mut Cx, why: String| {
        cx.warn(
            "NB005",
            &device.url,
            format!(
                "custom field spofsim_battery_runtime of UPS {} is {why}; it is left out, so the UPS is imported with \
                 no battery (pessimistic: every outage of its input reaches its loads)",
                device.display
            ),
            Some("make spofsim_battery_runtime a text custom field holding a duration such as \"15m\"".into()),
        );
        None
    };
    let runtime: Option<Option<String>> = match &field {
        Value::Null => None,
        Value::String(text) if text.trim().is_empty() => None,
        Value::String(text) => Some(match crate::units::parse_duration(text.trim()) {
            Ok(_) => Some(text.trim().to_string()),
            Err((why, _)) => unreadable(cx, format!("\"{text}\": {why}")),
        }),
        other => Some(unreadable(cx, format!("{}, not a text like \"15m\"", super::responses::describe(other)))),
    };
    let entry = cx.out.components.get_mut(&device.id).expect("every component device has an entry");
    entry.field("feed", Value::String(feed));
    match runtime {
        Some(Some(text)) => {
            entry.field("battery_runtime", Value::String(text));
            entry.comment("battery runtime from NetBox's custom field spofsim_battery_runtime".into());
        }
        Some(None) => {
            entry.field("battery_runtime", Value::String("0s".into()));
            entry.comment(
                "battery runtime: none (its custom field spofsim_battery_runtime is unreadable, NB005)".into(),
            );
        }
        None => {
            entry.field("battery_runtime", Value::String("0s".into()));
            entry.comment(
                "battery runtime: ASSUMED none (NetBox records none): pessimistic; set \"battery_runtime\" in the \
                 extending file or the custom field spofsim_battery_runtime"
                    .into(),
            );
            cx.warn(
                "NB215",
                &device.url,
                format!(
                    "UPS {} records no battery runtime: it is imported with none, so its battery bridges no outage of \
                     its input (pessimistic: every input outage reaches its loads)",
                    device.display
                ),
                Some(format!(
                    "set the custom field spofsim_battery_runtime (e.g. \"15m\", from the unit's runtime at its load) \
                     in NetBox, or \"{}\": {{ \"battery_runtime\": \"15m\" }} in the extending file",
                    device.id
                )),
            );
        }
    }
}

/// A transfer switch's `from`: its two cabled inlets, by inlet name (NetBox records no
/// preferred source, so the first by name is taken as preferred, and its comment says
/// so). With fewer than two it is imported as a `pdu` on the inlet it has (or on the
/// site's unrecorded power), with NB211: one input is no transfer at all.
fn transfer_switch_inputs(cx: &mut Cx, banks: &Banks, device: &super::Device, ports: &[Value]) {
    let inlets = distinct_inlets(cx, banks, device, ports);
    let entry = cx.out.components.get_mut(&device.id).expect("every component device has an entry");
    match inlets.as_slice() {
        [(first, preferred), (second, alternate), rest @ ..] => {
            let extra = rest.len();
            entry.field("from", serde_json::json!([preferred, alternate]));
            entry.comment(format!(
                "transfer switch: preferred input {first} (ASSUMED: the first inlet by name; NetBox records no \
                 preferred source), alternate {second}; transfer time not in NetBox: spofsim's default (set \
                 \"transfer\" from the unit's datasheet in the extending file)"
            ));
            if extra > 0 {
                cx.warn(
                    "NB211",
                    &device.url,
                    format!(
                        "transfer switch {} has {} inlets on distinct sources; only {first} and {second} are imported",
                        device.display,
                        extra + 2
                    ),
                    Some("a transfer switch takes two inputs; record the others as PDUs of their own".into()),
                );
            }
        }
        _ => {
            let from = match inlets.first() {
                Some((_, source)) => source.clone(),
                None => cx.unrecorded_power_of(&device.site),
            };
            let entry = cx.out.components.get_mut(&device.id).expect("every component device has an entry");
            entry.field("kind", Value::String("pdu".into()));
            entry.field("from", Value::String(from.clone()));
            entry.comment(
                "transfer switch with fewer than two cabled inlets: imported as a PDU on the one it has".into(),
            );
            cx.warn(
                "NB211",
                &device.url,
                format!(
                    "transfer switch {} has {} cabled inlet(s) on distinct sources, not two: it has nothing to \
                     transfer to, so it is imported as a PDU on {from}",
                    device.display,
                    inlets.len()
                ),
                Some("cable both of its input power ports to their feeds or PDUs (the A and B sides) in NetBox".into()),
            );
        }
    }
}

/// Dual-inlet PDUs, split into one `pdu` per inlet inside an `enclosure`.
#[derive(Default)]
struct Banks {
    /// NetBox power port id (a PDU's inlet) → its PDU component.
    of_inlet: BTreeMap<i64, String>,
    /// NetBox device id of a split PDU → the component of its first inlet.
    first: BTreeMap<i64, String>,
    /// An inlet's PDU component → its enclosure (the device's component).
    enclosure_of: BTreeMap<String, String>,
}

impl Banks {
    /// The unit a power source stands in: an inlet's enclosure, else the source itself.
    fn unit_of<'a>(&'a self, source: &'a str) -> &'a str {
        self.enclosure_of.get(source).map_or(source, String::as_str)
    }

    /// Whether component `id` is a PDU (a PDU device's, or one inlet's).
    fn is_pdu(&self, cx: &Cx, id: &str) -> bool {
        self.enclosure_of.contains_key(id)
            || cx.devices.values().any(|d| d.id == id && d.mapping == RoleMapping::Kind("pdu"))
    }

    /// The inlet PDU component of outlet `outlet` on split PDU `pdu`: the inlet NetBox
    /// records as the outlet's `power_port`, else (NB206) the PDU's first inlet.
    fn of_outlet(&self, cx: &mut Cx, pdu: i64, outlet: i64, display: &str) -> String {
        let object = cx.r.get("dcim/power-outlets", outlet).map(|o| o.value.clone());
        let inlet = object.as_ref().and_then(|o| o.get("power_port")).and_then(id_of);
        if let Some(bank) = inlet.and_then(|i| self.of_inlet.get(&i)) {
            return bank.clone();
        }
        let first = self.first[&pdu].clone();
        let (url, name) = match &object {
            Some(o) => (url_of(o), display_of(o)),
            None => (format!("dcim/power-outlets {outlet}"), format!("#{outlet}")),
        };
        cx.warn(
            "NB206",
            &url,
            format!(
                "outlet {name} of dual-inlet PDU {display} records no inlet (power_port) NetBox knows; what is plugged \
                 into it is put on the first inlet ({first}), so a SPOF in the other inlets' supply can be missed"
            ),
            Some("set the outlet's input power port in NetBox".into()),
        );
        first
    }
}

/// Turns every PDU with two or more inlets in use (cabled, or named as an outlet's
/// `power_port`) into an `enclosure` holding one `pdu` per such inlet (each inlet's
/// `from` is set by [`pdu_source`]; an uncabled one is NB205).
fn split_dual_inlet_pdus(cx: &mut Cx, ports_of: &BTreeMap<i64, Vec<Value>>) -> Banks {
    let mut banks = Banks::default();
    // Inlets that feed an outlet, whatever their cable.
    let feeding: std::collections::BTreeSet<i64> =
        cx.r.list("dcim/power-outlets").filter_map(|o| o.value.get("power_port").and_then(id_of)).collect();
    let pdus: Vec<(i64, super::Device)> = cx
        .devices
        .iter()
        .filter(|(_, d)| d.mapping == RoleMapping::Kind("pdu"))
        .map(|(k, v)| (*k, v.clone()))
        .collect();
    for (id, device) in pdus {
        let ports = ports_of.get(&id).map(Vec::as_slice).unwrap_or_default();
        let in_use: Vec<&Value> = ports
            .iter()
            .filter(|p| {
                p.get("connected_endpoints").and_then(Value::as_array).is_some_and(|a| !a.is_empty())
                    || id_of(p).is_some_and(|i| feeding.contains(&i))
            })
            .collect();
        if in_use.len() < 2 {
            continue;
        }
        let site = cx.out.components.get(&device.id).and_then(|e| e.get("site")).cloned();
        let enclosure = cx.out.components.get_mut(&device.id).expect("every component device has an entry");
        enclosure.field("kind", Value::String("enclosure".into()));
        enclosure.comment(format!(
            "a PDU with {} inlets in use: the enclosure, with one pdu per inlet (its outlets' supply)",
            in_use.len()
        ));
        for port in in_use {
            let Some(port_id) = id_of(port) else { continue };
            let bank = cx.ids.claim(&format!("{} {}", device.display, display_of(port)), port_id, "inlet");
            let mut entry = Entry::new("pdu");
            entry.comment(format!("inlet {} of PDU {}{}", display_of(port), device.display, at_url(&url_of(port))));
            if let Some(site) = &site {
                entry.field("site", site.clone());
            }
            cx.out.components.insert(bank.clone(), entry);
            banks.first.entry(id).or_insert_with(|| bank.clone());
            banks.enclosure_of.insert(bank.clone(), device.id.clone());
            banks.of_inlet.insert(port_id, bank);
        }
    }
    banks
}

/// PDUs fed from PDUs must end at a feed: a loop of daisy-chained PDUs (a recording
/// error) is cut at its first PDU by id, which is put on its site's assumed supply.
/// Returns the PDU cut, if any loop was found.
fn break_pdu_loops(cx: &mut Cx, chains: &BTreeMap<String, (String, super::Device)>) -> Option<String> {
    for (start, (_, device)) in chains {
        let mut at = start.clone();
        let mut seen = std::collections::BTreeSet::new();
        while let Some((next, _)) = chains.get(&at) {
            if !seen.insert(at.clone()) {
                break;
            }
            if next == start {
                cx.warn(
                    "NB209",
                    &device.url,
                    format!("PDU {} is fed, through other PDUs, from itself; it is put on its site's assumed \"unrecorded power\" source", device.display),
                    Some("correct the cabling in NetBox".into()),
                );
                let supply = cx.unrecorded_power_of(&device.site);
                if let Some(entry) = cx.out.components.get_mut(start) {
                    entry.field("from", Value::String(supply));
                }
                return Some(start.clone());
            }
            at = next.clone();
        }
    }
    None
}

/// The component of NetBox power feed `id` (created with its panel on first use).
fn feed_component(cx: &mut Cx, id: i64) -> String {
    let key = format!("feed#{id}");
    if let Some(existing) = cx.out.netbox_ids.get(&key) {
        return existing.clone();
    }
    let Some(feed) = cx.r.get("dcim/power-feeds", id).map(|o| (o.value.clone(), o.at.clone())) else {
        let comp = cx.ids.claim(&format!("power-feed-{id}"), id, "feed");
        let mut entry = Entry::new("pdu");
        entry.comment(format!("power feed #{id}: not in the dcim/power-feeds response"));
        let site = None;
        entry.field("from", Value::String(cx.unrecorded_power_of(&site)));
        cx.out.components.insert(comp.clone(), entry);
        cx.out.netbox_ids.insert(key, comp.clone());
        return comp;
    };
    let (feed, at) = feed;
    let comp = cx.ids.claim(&display_of(&feed), id, "feed");
    cx.out.netbox_ids.insert(key, comp.clone());
    let mut entry = Entry::new("pdu");
    let panel = feed.get("power_panel").and_then(id_of);
    // NetBox requires all three (max_utilization defaults to 80, POWERFEED_MAX_UTILIZATION_DEFAULT
    // in dcim/constants.py); anything else is a response NetBox did not write as is.
    let mut number = |field: &str| -> Option<f64> {
        let value = feed.get(field).unwrap_or(&Value::Null);
        // A number written as text is read, with NB013, as every other number field is.
        let n = match value {
            Value::String(text) if text.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                cx.number_field(&feed, field, &format!("power feed {}", display_of(&feed)))
            }
            _ => value.as_f64(),
        };
        if n.is_none() {
            cx.warn(
                "NB208",
                &url_of(&feed),
                format!(
                    "power feed {}: {field} is {}, not a number{}",
                    display_of(&feed),
                    super::responses::describe(value),
                    if field == "max_utilization" {
                        "; NetBox's default, 80%, is used"
                    } else {
                        "; the feed's available power is not known, so no capacity is checked against it"
                    }
                ),
                Some(format!("set the feed's {field} in NetBox")),
            );
        }
        n
    };
    let voltage = number("voltage");
    let amperage = number("amperage");
    let utilisation = number("max_utilization").unwrap_or(80.0);
    let three_phase = choice(&feed, "phase") == Some("three-phase");
    let available = match (voltage, amperage) {
        (Some(v), Some(a)) => {
            // As NetBox computes it: Python's round() rounds halves to even.
            let w = v.abs() * a * utilisation / 100.0 * if three_phase { 1.732 } else { 1.0 };
            Some(w.round_ties_even())
        }
        _ => None,
    };
    // A feed NetBox marks failed or offline supplies nothing today; the scenario has no
    // "down now" state, so it is imported as working and the figures assume it repaired.
    if let Some(status @ ("failed" | "offline")) = choice(&feed, "status") {
        cx.warn(
            "NB210",
            &url_of(&feed),
            format!(
                "power feed {} is {status} in NetBox; it is imported as a working supply, so every figure assumes it is \
                 back: until it is, what it feeds runs on its other supply alone",
                display_of(&feed)
            ),
            Some("repair the feed (or move its load) and mark it active in NetBox; to see today's risk, add a drill that fails it".into()),
        );
    }
    let side = choice(&feed, "type").unwrap_or("primary");
    let panel_name = feed.get("power_panel").map(display_of).unwrap_or_default();
    entry.comment(format!(
        "power feed {} ({side}, from {panel_name}{}){}",
        display_of(&feed),
        available.map(|w| format!("; {w} W available")).unwrap_or_default(),
        at_url(&url_of(&feed))
    ));
    let site = panel.and_then(|p| panel_site(cx, p));
    if let Some(s) = panel.and_then(|p| panel_placement(cx, p)) {
        entry.field("site", Value::String(s));
    }
    let from = match panel {
        Some(p) => panel_component(cx, p),
        None => cx.unrecorded_power_of(&site),
    };
    entry.field("from", Value::String(from));
    if let Some(w) = available.filter(|w| *w > 0.0 && w.is_finite()) {
        entry.field("capacity_watts", serde_json::json!(w));
    }
    cx.custom_failure_fields(&feed, &at, &mut entry);
    cx.out.components.insert(comp.clone(), entry);
    comp
}

fn panel_site(cx: &mut Cx, panel: i64) -> Option<String> {
    let p = cx.r.get("dcim/power-panels", panel)?;
    let raw = p.value.get("site").and_then(|s| str_of(s, "slug"))?.to_owned();
    Some(cx.site_id(&raw))
}

/// Where power panel `panel` stands: its location (a site inside its site), else its site.
fn panel_placement(cx: &mut Cx, panel: i64) -> Option<String> {
    let site = panel_site(cx, panel);
    let location = cx.r.get("dcim/power-panels", panel)?.value.get("location").filter(|l| !l.is_null()).cloned();
    match location {
        Some(location) => cx.location_id(&location, site.as_deref()).or(site),
        None => site,
    }
}

fn panel_component(cx: &mut Cx, id: i64) -> String {
    let key = format!("panel#{id}");
    if let Some(existing) = cx.out.netbox_ids.get(&key) {
        return existing.clone();
    }
    let panel = cx.r.get("dcim/power-panels", id).map(|o| (o.value.clone(), o.at.clone()));
    let site = panel_site(cx, id);
    let placement = panel_placement(cx, id);
    let name = panel.as_ref().map_or_else(|| format!("power panel {id}"), |(p, _)| display_of(p));
    // Panel names repeat across sites ("Panel 1"), so the site leads the id.
    let comp = cx.ids.claim(&format!("{} {name}", site.as_deref().unwrap_or("")), id, "panel");
    cx.out.netbox_ids.insert(key, comp.clone());
    let mut entry = Entry::new("power-feed");
    match &panel {
        Some((p, at)) => {
            entry.comment(format!("power panel {name}: the supply into it{}", at_url(&url_of(p))));
            let (p, at) = (p.clone(), at.clone());
            cx.custom_failure_fields(&p, &at, &mut entry);
        }
        None => entry.comment(format!("power panel #{id}: not in the dcim/power-panels response")),
    }
    if let Some(s) = placement {
        entry.fields.insert(1, ("site".into(), Value::String(s)));
    }
    cx.out.components.insert(comp.clone(), entry);
    comp
}
