//! Network: interface cables traced through patch panels and circuits, LAGs, virtual
//! chassis and provider circuits.
//!
//! Each cabled interface is traced the way NetBox traces a cable path (NetBox docs,
//! "Cable Tracing"; dcim/models/cables.py `CablePath.from_origin`): over its cable to
//! the far termination; a front port continues at its rear port (remembering the
//! position); a rear port continues at the front port of the remembered position; a
//! circuit termination continues at the circuit's other termination. The far interface
//! found must equal the interface's own `connected_endpoints` (NetBox's stored trace);
//! a mismatch is reported and NetBox's answer kept.
//!
//! Why trace ourselves when NetBox stores the far end: the path in between. Links that
//! look redundant may share one fibre trunk or one circuit; every cable or circuit that
//! two or more imported links run through becomes an `srlg` component in their `via`,
//! and every circuit between two devices does too (it carries the circuit's assumed
//! availability). Without `dcim/cables`, `dcim/front-ports` and `dcim/rear-ports` the
//! import falls back to `connected_endpoints` and says that shared paths cannot be seen.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{at_url, display_of, id_of, str_of, url_of, Cx};
use crate::netbox::ids::slug;
use crate::netbox::write::Entry;

/// A cable termination: NetBox object type ("dcim.interface") and id.
type Term = (String, i64);

#[derive(Default)]
struct Cabling {
    /// Termination → (cable id, the far side's terminations, this termination's place
    /// on its own side, how many its side has).
    far: BTreeMap<Term, (i64, Vec<Term>, usize, usize)>,
    /// Front port → (rear port, position).
    front_to_rear: BTreeMap<i64, (i64, i64)>,
    /// (Rear port, position) → front port.
    rear_to_front: BTreeMap<(i64, i64), i64>,
    /// Rear port → number of positions.
    rear_positions: BTreeMap<i64, i64>,
    /// Patch-panel device of a front or rear port.
    port_device: BTreeMap<Term, i64>,
    /// Circuit termination → (circuit id, circuit cid, side).
    circuit_term: BTreeMap<i64, (i64, String, String)>,
    /// (Circuit id, side) → termination.
    circuit_side: BTreeMap<(i64, String), i64>,
    /// Cable → (its NetBox status, its URL), for cables that are not `connected`.
    not_connected: BTreeMap<i64, (String, String)>,
    /// Cable → its URL; circuit → its URL (for the comments: every entry names its object).
    cable_url: BTreeMap<i64, String>,
    circuit_url: BTreeMap<i64, String>,
    complete: bool,
}

/// Where a trace from an interface ends.
#[derive(Clone, Debug, PartialEq)]
enum End {
    Interface(i64),
    /// A provider network, or a circuit whose far side is not recorded: (entry name,
    /// circuit cid).
    Provider(String, String),
    Nowhere(String),
}

#[derive(Clone, Debug)]
struct Trace {
    end: End,
    cables: Vec<i64>,
    /// (circuit id, cid)
    circuits: Vec<(i64, String)>,
    /// Patch-panel devices passed.
    panels: Vec<i64>,
}

fn cabling(cx: &Cx) -> Cabling {
    let mut c = Cabling {
        complete: cx.r.has("dcim/cables") && cx.r.has("dcim/front-ports") && cx.r.has("dcim/rear-ports"),
        ..Cabling::default()
    };
    for cable in cx.r.list("dcim/cables") {
        let Some(cable_id) = id_of(&cable.value) else { continue };
        // NetBox's LinkStatusChoices: connected, planned, decommissioning.
        c.cable_url.insert(cable_id, url_of(&cable.value));
        if let Some(status) = super::choice(&cable.value, "status").filter(|s| *s != "connected") {
            c.not_connected.insert(cable_id, (status.to_string(), url_of(&cable.value)));
        }
        let side = |key: &str| -> Vec<(Term, &Value)> {
            cable
                .value
                .get(key)
                .and_then(Value::as_array)
                .map(|terms| {
                    terms
                        .iter()
                        .filter_map(|t| {
                            let ty = t.get("object_type").and_then(Value::as_str)?.to_string();
                            let id = t.get("object_id").and_then(Value::as_i64)?;
                            Some(((ty, id), t.get("object").unwrap_or(&Value::Null)))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (a, b) = (side("a_terminations"), side("b_terminations"));
        for (term, object) in a.iter().chain(&b) {
            if term.0 == "circuits.circuittermination" {
                let circuit = object.get("circuit");
                if let (Some(cid), Some(side)) =
                    (circuit.and_then(id_of), object.get("term_side").and_then(Value::as_str))
                {
                    let name = circuit.and_then(|c| str_of(c, "cid")).unwrap_or("").to_string();
                    c.circuit_url.insert(cid, circuit.map(url_of).unwrap_or_default());
                    c.circuit_term.insert(term.1, (cid, name, side.to_string()));
                    c.circuit_side.insert((cid, side.to_string()), term.1);
                }
            }
        }
        let (a, b): (Vec<Term>, Vec<Term>) =
            (a.into_iter().map(|x| x.0).collect(), b.into_iter().map(|x| x.0).collect());
        for (i, term) in a.iter().enumerate() {
            c.far.insert(term.clone(), (cable_id, b.clone(), i, a.len()));
        }
        for (i, term) in b.iter().enumerate() {
            c.far.insert(term.clone(), (cable_id, a.clone(), i, b.len()));
        }
    }
    for fp in cx.r.list("dcim/front-ports") {
        let (Some(id), Some(rear)) = (id_of(&fp.value), fp.value.get("rear_port").and_then(id_of)) else { continue };
        let position = fp.value.get("rear_port_position").and_then(Value::as_i64).unwrap_or(1);
        c.front_to_rear.insert(id, (rear, position));
        c.rear_to_front.insert((rear, position), id);
        if let Some(d) = fp.value.get("device").and_then(id_of) {
            c.port_device.insert(("dcim.frontport".into(), id), d);
        }
    }
    for rp in cx.r.list("dcim/rear-ports") {
        let Some(id) = id_of(&rp.value) else { continue };
        c.rear_positions.insert(id, rp.value.get("positions").and_then(Value::as_i64).unwrap_or(1));
        if let Some(d) = rp.value.get("device").and_then(id_of) {
            c.port_device.insert(("dcim.rearport".into(), id), d);
        }
    }
    c
}

/// Longest path followed before a trace is called a loop (NetBox paths are short: a
/// few panels and a circuit).
const MAX_TRACE_STEPS: usize = 256;

fn trace(c: &Cabling, interface: i64) -> Trace {
    let mut t =
        Trace { end: End::Nowhere(String::new()), cables: Vec::new(), circuits: Vec::new(), panels: Vec::new() };
    let mut at: Term = ("dcim.interface".into(), interface);
    let mut positions: Vec<i64> = Vec::new();
    let mut seen: BTreeSet<(Term, Vec<i64>)> = BTreeSet::new();
    for _ in 0..MAX_TRACE_STEPS {
        if !seen.insert((at.clone(), positions.clone())) {
            t.end = End::Nowhere(format!("the path loops back to {} {}", at.0, at.1));
            return t;
        }
        let Some((cable, far, place, own)) = c.far.get(&at) else {
            t.end = End::Nowhere(if t.cables.is_empty() {
                "no cable".into()
            } else {
                format!("{} {} has no cable onward", at.0, at.1)
            });
            return t;
        };
        t.cables.push(*cable);
        // A cable with several terminations a side (a bundle, a breakout): its pairs are
        // taken in order, the i-th of one side with the i-th of the other, so a
        // two-pair bundle makes two links; a single termination faces every one of the
        // other side (each traces back to it). NetBox records no pairing of its own.
        let pick = if far.len() == *own { *place } else { 0 };
        let Some((ty, id)) = far.get(pick) else {
            t.end = End::Nowhere(format!("cable #{cable} has no far end"));
            return t;
        };
        match ty.as_str() {
            "dcim.interface" => {
                t.end = End::Interface(*id);
                return t;
            }
            "dcim.frontport" => {
                let Some(&(rear, position)) = c.front_to_rear.get(id) else {
                    t.end = End::Nowhere(format!("front port {id} is not in dcim/front-ports"));
                    return t;
                };
                t.panels.extend(c.port_device.get(&(ty.clone(), *id)));
                positions.push(position);
                at = ("dcim.rearport".into(), rear);
            }
            "dcim.rearport" => {
                t.panels.extend(c.port_device.get(&(ty.clone(), *id)));
                let count = c.rear_positions.get(id).copied().unwrap_or(1);
                // Arriving at a rear port: leave at the front port of the position the
                // path entered with (a one-position port has only position 1).
                let position = match (positions.pop(), count) {
                    (_, 1) => 1,
                    (Some(p), _) => p,
                    (None, _) => {
                        t.end = End::Nowhere(format!("rear port {id} has {count} positions and the path gives none"));
                        return t;
                    }
                };
                let Some(&front) = c.rear_to_front.get(&(*id, position)) else {
                    t.end = End::Nowhere(format!("rear port {id} position {position} has no front port"));
                    return t;
                };
                at = ("dcim.frontport".into(), front);
            }
            "circuits.circuittermination" => {
                let Some((circuit, cid, side)) = c.circuit_term.get(id).cloned() else {
                    t.end = End::Nowhere(format!("circuit termination {id} names no circuit"));
                    return t;
                };
                t.circuits.push((circuit, cid.clone()));
                let other = if side == "A" { "Z" } else { "A" };
                match c.circuit_side.get(&(circuit, other.to_string())) {
                    Some(&peer) => at = ("circuits.circuittermination".into(), peer),
                    None => {
                        t.end = End::Provider(String::new(), cid);
                        return t;
                    }
                }
            }
            other => {
                t.end = End::Nowhere(format!("the cable ends on a {other}"));
                return t;
            }
        }
    }
    t.end = End::Nowhere("the path is longer than 256 steps (a loop of patch panels?)".into());
    t
}

struct Connection {
    a: i64,
    b: i64,
    a_iface: String,
    b_iface: String,
    trace: Trace,
    lag_a: Option<i64>,
    /// The far interface's LAG.
    lag_b: Option<i64>,
    /// The interface's own cable's URL (NetBox's nested cable object).
    cable_url: String,
}

pub fn import(cx: &mut Cx) {
    if !cx.r.has("dcim/interfaces") && !cx.devices.is_empty() {
        cx.warn(
            "NB309",
            "dcim/interfaces",
            "no response for /api/dcim/interfaces/ was read, so no network cable is known: every device \
             is an island"
                .into(),
            Some("save GET /api/dcim/interfaces/ in the folder too".into()),
        );
    }
    let cabling = cabling(cx);
    // The responses outlive `cx`'s borrow: iterate them while `cx` records findings.
    let r = cx.r;
    let iface_device: BTreeMap<i64, (i64, String)> =
        cx.r.list("dcim/interfaces")
            .filter_map(|o| Some((id_of(&o.value)?, (o.value.get("device").and_then(id_of)?, display_of(&o.value)))))
            .collect();
    let mut connections: BTreeMap<(i64, i64), Connection> = BTreeMap::new();
    let mut uplinks: BTreeMap<String, Uplink> = BTreeMap::new();
    // Circuits whose far side NetBox does not record (no termination, no provider network).
    let mut far_unrecorded: BTreeSet<String> = BTreeSet::new();
    let mut out_of_scope = 0usize;
    // Cables whose status is outside --status, and disabled interfaces: left out, said once each.
    let mut cables_left_out: BTreeMap<i64, (String, String)> = BTreeMap::new();
    let mut disabled: BTreeMap<i64, (String, String)> = BTreeMap::new();
    let mut circuits_left_out: BTreeMap<i64, (String, String, String)> = BTreeMap::new();
    // A provider circuit not in service (NetBox's CircuitStatusChoices) carries nothing:
    // decommissioned always; planned or provisioning unless --status has planned;
    // deprovisioning unless it has decommissioning.
    let circuit_outside = |circuit: i64| -> Option<(String, String, String)> {
        let c = r.get("circuits/circuits", circuit)?;
        let status = super::choice(&c.value, "status")?;
        let scope = match status {
            "decommissioned" => {
                return Some((status.into(), str_of(&c.value, "cid").unwrap_or("").into(), url_of(&c.value)))
            }
            "planned" | "provisioning" => "planned",
            "deprovisioning" => "decommissioning",
            _ => return None,
        };
        (!cx.options.statuses.iter().any(|s| s == scope))
            .then(|| (status.into(), str_of(&c.value, "cid").unwrap_or("").into(), url_of(&c.value)))
    };
    // Disabled itself, or a member of a disabled LAG (the port-channel shut down).
    let is_disabled = |iface: &Value| {
        let off = |i: &Value| i.get("enabled") == Some(&Value::Bool(false));
        off(iface)
            || iface.get("lag").and_then(id_of).and_then(|l| r.get("dcim/interfaces", l)).is_some_and(|l| off(&l.value))
    };
    for object in r.list("dcim/interfaces") {
        let iface = &object.value;
        let Some(id) = id_of(iface) else { continue };
        let Some(device) = iface.get("device").and_then(id_of) else { continue };
        if cx.component(device).is_none() {
            continue;
        }
        let cabled = iface.get("cable").is_some_and(|c| !c.is_null());
        if !cabled {
            continue;
        }
        // An interface shut down by its administrator (NetBox `enabled: false`) carries nothing.
        if is_disabled(iface) {
            disabled.insert(id, (format!("{} {}", cx.devices[&device].display, display_of(iface)), url_of(iface)));
            continue;
        }
        let mut t = if cabling.complete {
            trace(&cabling, id)
        } else {
            Trace {
                end: End::Nowhere("NetBox traced no far end".into()),
                cables: iface.get("cable").and_then(id_of).into_iter().collect(),
                circuits: Vec::new(),
                panels: Vec::new(),
            }
        };
        // NetBox lists every far end of a cable with several terminations; ours is one
        // of them (the pairs in order), else its first.
        let ends: Vec<&Value> =
            iface.get("connected_endpoints").and_then(Value::as_array).into_iter().flatten().collect();
        let ours = ends.iter().copied().find(|e| matches!(t.end, End::Interface(x) if id_of(e) == Some(x)));
        let netbox_far = ours
            .or(ends.first().copied())
            .map(|e| (iface.get("connected_endpoints_type").and_then(Value::as_str).unwrap_or(""), e));
        // NetBox's stored trace decides the far end.
        match netbox_far {
            Some(("dcim.interface", e)) => {
                let far = id_of(e).unwrap_or(0);
                let own_cable = iface.get("cable").and_then(id_of);
                if cabling.complete && t.cables.is_empty() {
                    // The interface's own cable is not among the cables read.
                    let cable = own_cable.map_or("its cable".to_string(), |c| format!("cable #{c}"));
                    // In the listing, but not ending here: its terminations disagree.
                    let listed = own_cable.is_some_and(|c| r.get("dcim/cables", c).is_some());
                    let (problem, help) = if listed {
                        (
                            format!("{cable} in dcim/cables does not end at this interface"),
                            "correct the cable's terminations in NetBox, or save dcim/cables and dcim/interfaces \
                             again from one moment",
                        )
                    } else {
                        (
                            format!("{cable} is not in dcim/cables"),
                            "save dcim/cables again, every page, or import live with --url",
                        )
                    };
                    cx.warn(
                        "NB302",
                        &url_of(iface),
                        format!(
                            "{} {}: {problem}; NetBox's stored far end ({}) is used, and any cable or circuit this \
                             link shares with others cannot be seen",
                            cx.devices[&device].display,
                            display_of(iface),
                            display_of(e)
                        ),
                        Some(help.into()),
                    );
                    t.cables.extend(own_cable);
                } else if cabling.complete && t.end != End::Interface(far) {
                    let device_name = |d: i64| {
                        r.get("dcim/devices", d).map_or_else(|| format!("device {d}"), |o| display_of(&o.value))
                    };
                    let ours = match &t.end {
                        End::Interface(i) => iface_device.get(i).map_or(format!("interface {i}"), |(d, name)| {
                            format!("{} {name} (interface {i})", device_name(*d))
                        }),
                        End::Provider(name, cid) => format!("provider {name} (circuit {cid})"),
                        End::Nowhere(why) => format!("nowhere: {why}"),
                    };
                    cx.warn(
                        "NB302",
                        &url_of(iface),
                        format!(
                            "{} {}: NetBox's stored trace ends at {} {} (interface {far}), the cables read lead to {ours}; NetBox's is used",
                            cx.devices[&device].display,
                            display_of(iface),
                            e.get("device").map(display_of).unwrap_or_default(),
                            display_of(e)
                        ),
                        Some("run `manage.py trace_paths` in NetBox to rebuild its cable paths".into()),
                    );
                }
                t.end = End::Interface(far);
            }
            Some(("circuits.providernetwork", e)) => {
                let cid = match &t.end {
                    End::Provider(_, cid) => cid.clone(),
                    _ => t.circuits.last().map(|c| c.1.clone()).unwrap_or_default(),
                };
                t.end = End::Provider(display_of(e), cid);
            }
            _ => {}
        }
        // A cable that is planned or being decommissioned is in the design only when
        // --status names that state (as devices are).
        let outside = t.cables.iter().find_map(|cable| {
            let (status, url) = cabling.not_connected.get(cable)?;
            (!cx.options.statuses.iter().any(|s| s == status)).then(|| (*cable, status.clone(), url.clone()))
        });
        if let Some((cable, status, url)) = outside {
            cables_left_out.insert(cable, (status, url));
            continue;
        }
        if let Some((circuit, why)) = t.circuits.iter().find_map(|c| circuit_outside(c.0).map(|w| (c.0, w))) {
            circuits_left_out.insert(circuit, why);
            continue;
        }
        // A circuit whose far side NetBox does not record: the provider is the far end.
        if let End::Provider(name, cid) = &t.end {
            let peer = iface.get("link_peers").and_then(Value::as_array).and_then(|a| a.first());
            let provider = peer
                .and_then(|p| p.get("circuit"))
                .and_then(|c| c.get("provider"))
                .map(display_of)
                .unwrap_or_else(|| "provider".into());
            let cid = if cid.is_empty() {
                peer.and_then(|p| p.get("circuit")).and_then(|c| str_of(c, "cid")).unwrap_or("").to_string()
            } else {
                cid.clone()
            };
            let provider_url = match netbox_far {
                Some(("circuits.providernetwork", e)) => url_of(e),
                _ => {
                    peer.and_then(|p| p.get("circuit")).and_then(|c| c.get("provider")).map(url_of).unwrap_or_default()
                }
            };
            // No provider network at the far end either: NetBox records nothing past the
            // circuit, which is then taken to end at its provider (said once, NB312).
            if !matches!(netbox_far, Some(("circuits.providernetwork", _))) {
                far_unrecorded.insert(if cid.is_empty() { "(no cid)".to_string() } else { cid.clone() });
            }
            let entry_name = if name.is_empty() { provider } else { name.clone() };
            let circuit = peer.and_then(|p| p.get("circuit")).and_then(id_of).or(t.circuits.last().map(|c| c.0));
            if let Some(why) = circuit.and_then(circuit_outside) {
                circuits_left_out.insert(circuit.unwrap_or(0), why);
                continue;
            }
            let circuit_url = peer
                .and_then(|p| p.get("circuit"))
                .map(url_of)
                .or_else(|| circuit.and_then(|c| cabling.circuit_url.get(&c).cloned()))
                .unwrap_or_default();
            uplinks.insert(
                format!("{device:012}-{id:012}"),
                Uplink {
                    device,
                    iface: display_of(iface),
                    circuit,
                    cid,
                    provider: entry_name,
                    provider_url,
                    circuit_url,
                    cables: t.cables.clone(),
                },
            );
            continue;
        }
        if let End::Nowhere(why) = &t.end {
            // Without the cabling, NetBox's answer above is all there is.
            if netbox_far.is_some() && !cabling.complete {
                continue;
            }
            // A circuit to nothing at all: an uplink to its provider.
            if iface.get("link_peers_type").and_then(Value::as_str) == Some("circuits.circuittermination") {
                let peer = iface.get("link_peers").and_then(Value::as_array).and_then(|a| a.first());
                let circuit = peer.and_then(|p| p.get("circuit"));
                let provider =
                    circuit.and_then(|c| c.get("provider")).map(display_of).unwrap_or_else(|| "provider".into());
                let cid = circuit.and_then(|c| str_of(c, "cid")).unwrap_or("").to_string();
                let provider_url = circuit.and_then(|c| c.get("provider")).map(url_of).unwrap_or_default();
                let circuit_url = circuit.map(url_of).unwrap_or_default();
                let circuit = circuit.and_then(id_of);
                if let Some(why) = circuit.and_then(circuit_outside) {
                    circuits_left_out.insert(circuit.unwrap_or(0), why);
                    continue;
                }
                uplinks.insert(
                    format!("{device:012}-{id:012}"),
                    Uplink {
                        device,
                        iface: display_of(iface),
                        circuit,
                        cid,
                        provider,
                        provider_url,
                        circuit_url,
                        cables: t.cables.clone(),
                    },
                );
                continue;
            }
            let why = if why.is_empty() { String::new() } else { format!(" ({why})") };
            cx.warn(
                "NB301",
                &url_of(iface),
                format!("{} {}: the cable leads to no device{why}", cx.devices[&device].display, display_of(iface)),
                Some("complete the cabling in NetBox (the far end, or the patch panel's rear cable)".into()),
            );
            continue;
        }
        let End::Interface(far) = t.end else { continue };
        let Some((far_device, far_name)) = iface_device.get(&far).cloned() else { continue };
        if cx.component(far_device).is_none() {
            out_of_scope += 1;
            continue;
        }
        if far_device == device {
            continue;
        }
        if r.get("dcim/interfaces", far).is_some_and(|o| is_disabled(&o.value)) {
            continue; // said at the far interface's own turn
        }
        let key = (id.min(far), id.max(far));
        let lag = iface.get("lag").and_then(id_of);
        let far_lag = r.get("dcim/interfaces", far).and_then(|o| o.value.get("lag")).and_then(id_of);
        connections.entry(key).or_insert_with(|| Connection {
            a: device,
            b: far_device,
            a_iface: display_of(iface),
            b_iface: far_name,
            trace: t,
            lag_a: lag,
            lag_b: far_lag,
            cable_url: iface.get("cable").map(url_of).unwrap_or_default(),
        });
    }
    for (cable, (status, url)) in cables_left_out {
        let scope = cx.options.statuses.join(",");
        cx.warn(
            "NB307",
            &url,
            format!("cable #{cable} is {status} in NetBox, outside --status {scope}: the link through it is left out"),
            Some(if status == "decommissioning" {
                "remove the cable from NetBox once it is gone, or add decommissioning to --status to count it while it lasts".into()
            } else {
                format!("mark the cable connected in NetBox once it is, or add {status} to --status to count it")
            }),
        );
    }
    for (_, (status, cid, url)) in circuits_left_out {
        let scope = cx.options.statuses.join(",");
        cx.warn(
            "NB310",
            &url,
            format!("circuit {cid} is {status} in NetBox (outside --status {scope}): the links through it are left out"),
            Some("set the circuit's status in NetBox as it stands; --status planned (or decommissioning) counts circuits in those states".into()),
        );
    }
    for (_, (name, url)) in disabled {
        cx.warn(
            "NB308",
            &url,
            format!(
                "interface {name} is disabled in NetBox (enabled: false, on it or on its LAG): its cable carries nothing and is left out"
            ),
            Some("enable the interface in NetBox if it carries traffic, or remove its cable there".into()),
        );
    }
    if !cabling.complete && !connections.is_empty() {
        cx.warn(
            "NB303",
            "dcim/cables",
            "dcim/cables, dcim/front-ports or dcim/rear-ports was not read: links are taken from NetBox's stored \
             traces, so cables and circuits that several links share cannot be seen, and a shared trunk or circuit \
             that is a single point of failure is missed"
                .into(),
            Some(
                "save GET /api/dcim/cables/, /api/dcim/front-ports/ and /api/dcim/rear-ports/ in the folder too".into(),
            ),
        );
    }
    if out_of_scope > 0 {
        cx.note(
            "NB304",
            "dcim/interfaces",
            format!("{out_of_scope} cable(s) lead to devices outside the import's scope and are left out"),
        );
    }
    // Devices NetBox records no network cable for (besides PDUs): islands.
    let mut cabled: BTreeSet<i64> = BTreeSet::new();
    for c in connections.values() {
        cabled.insert(c.a);
        cabled.insert(c.b);
    }
    cabled.extend(uplinks.values().map(|u| u.device));
    let mut islands: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, d) in &cx.devices {
        if let super::RoleMapping::Kind(kind) = d.mapping {
            if !["pdu", "ats", "ups"].contains(&kind) && !cabled.contains(id) {
                islands.entry(d.site.clone().unwrap_or_default()).or_default().push(d.display.clone());
            }
        }
    }
    for (site, names) in islands {
        let n = names.len();
        cx.note(
            "NB306",
            &format!("site {site}"),
            format!(
                "{n} device(s) have no network link to another imported device ({}): NetBox records no \
                 cable for them, or only cables that leave the scope or end nowhere; a service through them \
                 needs its links written in the extending file",
                super::sample(names, 8)
            ),
        );
    }
    if !cabling.circuit_url.is_empty() && !cx.r.has("circuits/circuits") {
        cx.note(
            "NB311",
            "circuits/circuits",
            "circuits/circuits was not read (not in the folder, or NetBox refused it: a token without permission to view circuits): every circuit is taken as active, with the assumed SLA".into(),
        );
    }
    if !far_unrecorded.is_empty() {
        let n = far_unrecorded.len();
        cx.note(
            "NB312",
            "dcim/interfaces",
            format!(
                "{n} circuit(s) lead to no recorded far end: NetBox records no cabled termination past them and no \
                 provider network ({}); each is taken to end at its provider, an `entry` per provider and site; if \
                 one reaches a device of yours, cable its far termination in NetBox",
                super::sample(far_unrecorded.into_iter().collect(), 8)
            ),
        );
    }
    // How many links run through each circuit: connections and provider uplinks alike.
    let mut circuit_use: BTreeMap<i64, usize> = BTreeMap::new();
    for c in connections.values() {
        for circuit in c.trace.circuits.iter().map(|x| x.0).collect::<BTreeSet<_>>() {
            *circuit_use.entry(circuit).or_default() += 1;
        }
    }
    for circuit in uplinks.values().filter_map(|u| u.circuit) {
        *circuit_use.entry(circuit).or_default() += 1;
    }
    // And through each cable: a trunk that uplinks share is their common cause too.
    let mut cable_use: BTreeMap<i64, usize> = BTreeMap::new();
    let paths = connections.values().map(|c| &c.trace.cables).chain(uplinks.values().map(|u| &u.cables));
    for cables in paths {
        for cable in cables.iter().collect::<BTreeSet<_>>() {
            *cable_use.entry(*cable).or_default() += 1;
        }
    }
    let uses = Uses { circuits: circuit_use, cables: cable_use };
    emit_links(cx, connections, &cabling, &uses);
    emit_uplinks(cx, uplinks, &uses);
    virtual_chassis(cx);
}

/// How many imported links (connections and provider uplinks) run through each circuit
/// and each cable, by NetBox id.
struct Uses {
    circuits: BTreeMap<i64, usize>,
    cables: BTreeMap<i64, usize>,
}

fn emit_links(cx: &mut Cx, connections: BTreeMap<(i64, i64), Connection>, cabling: &Cabling, uses: &Uses) {
    let (circuit_use, cable_use) = (&uses.circuits, &uses.cables);
    // A server's LAG (its lowest-numbered one, as a server has one `bond`) becomes a
    // LACP bond to the switches its members reach, when no member shares a path.
    let server_lag = |c: &Connection, cx: &Cx| -> Option<(i64, i64, i64)> {
        let (ka, kb) = (kind_of(&cx.devices[&c.a]), kind_of(&cx.devices[&c.b]));
        let to_switch = |k: &str| k == "switch" || k == "router";
        match (ka, kb, c.lag_a, c.lag_b) {
            ("server", far, Some(lag), _) if to_switch(far) => Some((c.a, lag, c.b)),
            (far, "server", _, Some(lag)) if to_switch(far) => Some((c.b, lag, c.a)),
            _ => None,
        }
    };
    // A path through a shared cable or a circuit keeps its link (and its `via`).
    let shares_path = |c: &Connection| c.trace.cables.iter().any(|x| cable_use[x] >= 2) || !c.trace.circuits.is_empty();
    let mut bond_lag: BTreeMap<i64, i64> = BTreeMap::new();
    for c in connections.values() {
        if let (Some((server, lag, _)), false) = (server_lag(c, cx), shares_path(c)) {
            let e = bond_lag.entry(server).or_insert(lag);
            *e = (*e).min(lag);
        }
    }
    let mut bonds: BTreeMap<i64, (i64, Vec<String>)> = BTreeMap::new();
    for c in connections.values() {
        if let (Some((server, lag, far)), false) = (server_lag(c, cx), shares_path(c)) {
            if bond_lag.get(&server) == Some(&lag) {
                bonds.entry(server).or_insert((lag, Vec::new())).1.push(cx.devices[&far].id.clone());
                continue;
            }
        }
        let (a, b) = (cx.devices[&c.a].clone(), cx.devices[&c.b].clone());
        if let Some(why) = unlinkable(kind_of(&a), kind_of(&b)) {
            cx.note(
                "NB305",
                &a.url,
                format!("the cable {} {} ↔ {} {} is left out: {why}", a.display, c.a_iface, b.display, c.b_iface),
            );
            continue;
        }
        let mut via = Vec::new();
        for (circuit, cid) in &c.trace.circuits {
            let url = cabling.circuit_url.get(circuit).cloned().unwrap_or_default();
            via.push(srlg_circuit(cx, *circuit, cid, circuit_use[circuit], &url));
        }
        for cable in &c.trace.cables {
            if cable_use[cable] >= 2 {
                via.push(srlg_cable(cx, *cable, cable_use[cable]));
            }
        }
        via.sort();
        via.dedup();
        let first_cable = c.trace.cables.first().copied().unwrap_or(0);
        let link_id = cx.ids.claim_exact(&format!("cable-{first_cable}"));
        let mut entry = Entry::new("");
        let mut path = String::new();
        if !c.trace.panels.is_empty() || !c.trace.circuits.is_empty() {
            let mut hops: Vec<String> = Vec::new();
            let mut panels_seen = BTreeSet::new();
            for p in &c.trace.panels {
                if panels_seen.insert(*p) {
                    hops.push(
                        cx.r.get("dcim/devices", *p).map_or_else(|| format!("device {p}"), |o| display_of(&o.value)),
                    );
                }
            }
            hops.extend(c.trace.circuits.iter().map(|(_, cid)| format!("circuit {cid}")));
            path = format!(" via {}", hops.join(", "));
        }
        let cables: Vec<String> = c.trace.cables.iter().map(|n| format!("#{n}")).collect();
        let lag = c.lag_a.map(|_| " (LAG member, LACP)").unwrap_or("");
        // Without dcim/cables the first cable's URL is the interface's own cable's.
        let cable_url = cabling.cable_url.get(&first_cable).cloned().unwrap_or_else(|| c.cable_url.clone());
        entry.comment(format!(
            "{} {} ↔ {} {}{path}{lag}; cable {}{}",
            a.display,
            c.a_iface,
            b.display,
            c.b_iface,
            cables.join(" "),
            at_url(&cable_url)
        ));
        entry.field("id", Value::String(link_id.clone()));
        entry.field("between", serde_json::json!([a.id, b.id]));
        if !via.is_empty() {
            entry.field("via", serde_json::json!(via));
        }
        // Members of one LAG between two network devices: one aggregate (no L2 loop).
        if let Some(lag) = c.lag_a.or(c.lag_b) {
            let name = cx.r.get("dcim/interfaces", lag).map_or_else(|| format!("lag-{lag}"), |o| display_of(&o.value));
            entry.field("lag", Value::String(format!("{} {name}", if c.lag_a.is_some() { &a.id } else { &b.id })));
        }
        // Keyed by the cable, then the interface: a bundle's pairs share the cable.
        cx.out.links.insert(format!("{:012}-{:012}-{}", first_cable, c.a, c.a_iface), entry);
    }
    for (server, (lag, mut to)) in bonds {
        to.sort();
        let d = cx.devices[&server].clone();
        let lag_name = cx.r.get("dcim/interfaces", lag).map_or_else(|| format!("LAG {lag}"), |o| display_of(&o.value));
        if let Some(entry) = cx.out.components.get_mut(&d.id) {
            entry.comment(format!("bond: NetBox LAG {lag_name} (LACP) over {} member cable(s)", to.len()));
            entry.field("bond", serde_json::json!({ "mode": "lacp", "to": to }));
        }
    }
}

fn kind_of(d: &super::Device) -> &'static str {
    match d.mapping {
        super::RoleMapping::Kind(k) => k,
        _ => "",
    }
}

/// Why a cable between devices of these kinds is not a network link in spofsim: a PDU's
/// management port, or Ethernet into a Fibre Channel device (their management ports).
fn unlinkable(a: &str, b: &str) -> Option<String> {
    use crate::mechanisms::network::SAN_NODES;
    use crate::mechanisms::NETWORK_NODES;
    let network = |k: &str| NETWORK_NODES.contains(&k) || SAN_NODES.contains(&k);
    if !network(a) || !network(b) {
        let other = if network(a) { b } else { a };
        return Some(format!("a {other} is not on the data network (a management port)"));
    }
    if !crate::mechanisms::network::ends_share_a_network(a, b) {
        return Some(format!("Ethernet between a {a} and a {b} (Fibre Channel and Ethernet are separate networks)"));
    }
    None
}

fn srlg_circuit(cx: &mut Cx, circuit: i64, cid: &str, uses: usize, url: &str) -> String {
    let key = format!("circuit#{circuit}");
    if let Some(id) = cx.out.netbox_ids.get(&key) {
        return id.clone();
    }
    let id = cx.ids.claim(&format!("circuit {cid}"), circuit, "circuit");
    cx.out.netbox_ids.insert(key, id.clone());
    let mut entry = Entry::new("srlg");
    entry.comment(format!(
        "circuit {cid}: {uses} link(s) run through it; availability ASSUMED {} (mttr 4h): override it with the SLA in your file{}",
        cx.options.circuit_availability,
        at_url(url)
    ));
    entry.field("availability", Value::String(cx.options.circuit_availability.clone()));
    entry.field("mttr", Value::String("4h".into()));
    // The circuit's own spofsim_* custom fields win over the assumed SLA.
    if let Some(object) = cx.r.get("circuits/circuits", circuit).map(|o| (o.value.clone(), o.at.clone())) {
        let mut own = Entry::new("");
        cx.custom_failure_fields(&object.0, &object.1, &mut own);
        let overridden = !own.fields.is_empty();
        if own.get("mtbf").is_some() {
            entry.fields.retain(|(k, _)| k != "availability");
        }
        for (key, value) in own.fields {
            entry.field(&key, value);
        }
        if overridden {
            entry.comments[0] = format!(
                "circuit {cid}: {uses} link(s) run through it; failure figures from its spofsim_* custom fields{}",
                at_url(url)
            );
        }
        if super::choice(&object.0, "status") == Some("offline") {
            cx.warn(
                "NB310",
                &url_of(&object.0),
                format!(
                    "circuit {cid} is offline in NetBox; it is imported as working, so every figure assumes it is back"
                ),
                Some(
                    "restore the circuit and mark it active in NetBox; to see today's risk, add a drill that fails it"
                        .into(),
                ),
            );
        }
    }
    cx.out.components.insert(id.clone(), entry);
    id
}

fn srlg_cable(cx: &mut Cx, cable: i64, uses: usize) -> String {
    let key = format!("cable#{cable}");
    if let Some(id) = cx.out.netbox_ids.get(&key) {
        return id.clone();
    }
    let id = cx.ids.claim_exact(&format!("trunk-cable-{cable}"));
    cx.out.netbox_ids.insert(key, id.clone());
    let url = cx.r.get("dcim/cables", cable).map(|o| url_of(&o.value)).unwrap_or_default();
    let mut entry = Entry::new("srlg");
    entry.comment(format!("cable #{cable}: {uses} links run through it (a shared trunk){}", at_url(&url)));
    cx.out.components.insert(id.clone(), entry);
    id
}

/// An interface cabled to a provider circuit.
struct Uplink {
    device: i64,
    iface: String,
    /// The circuit's NetBox id and cid.
    circuit: Option<i64>,
    cid: String,
    /// The provider network the circuit reaches, or the provider.
    provider: String,
    /// The provider network's or provider's URL, and the circuit's.
    provider_url: String,
    circuit_url: String,
    /// The cables the path runs through to the circuit (shared ones become `srlg`s).
    cables: Vec<i64>,
}

/// Provider uplinks: a link from the device to an `entry` for the provider network AT
/// THE DEVICE'S SITE (one entry per network and site: a shared entry would let a path
/// run from one branch's circuit through the provider to another branch), through the
/// circuit as an `srlg` that carries the assumed availability and can be overridden.
fn emit_uplinks(cx: &mut Cx, uplinks: BTreeMap<String, Uplink>, uses: &Uses) {
    for (key, up) in uplinks {
        let d = cx.devices[&up.device].clone();
        if let Some(why) = unlinkable(kind_of(&d), "entry") {
            cx.note("NB305", &d.url, format!("circuit {} of {} is left out: {why}", up.cid, d.display));
            continue;
        }
        let site = d.site.clone().unwrap_or_default();
        let entry_key = format!("entry#{}#{site}", up.provider);
        let entry_id = match cx.out.netbox_ids.get(&entry_key) {
            Some(id) => id.clone(),
            None => {
                let base = if site.is_empty() { slug(&up.provider) } else { format!("{}-{site}", slug(&up.provider)) };
                let id = cx.ids.claim_exact(&base);
                cx.out.netbox_ids.insert(entry_key, id.clone());
                let mut entry = Entry::new("entry");
                let at = if site.is_empty() { String::new() } else { format!(" as seen from site {site}") };
                entry.comment(format!(
                    "{}{at}: where its provider circuits lead (start services here){}",
                    up.provider,
                    at_url(&up.provider_url)
                ));
                cx.out.components.insert(id.clone(), entry);
                id
            }
        };
        let mut via: Vec<String> = Vec::new();
        if let Some(circuit) = up.circuit {
            via.push(srlg_circuit(cx, circuit, &up.cid, uses.circuits[&circuit], &up.circuit_url));
        }
        for cable in &up.cables {
            if uses.cables[cable] >= 2 {
                via.push(srlg_cable(cx, *cable, uses.cables[cable]));
            }
        }
        via.sort();
        via.dedup();
        let link_id = cx.ids.claim_exact(&format!("uplink-{}-{}", d.id, slug(&up.iface)));
        let mut entry = Entry::new("");
        entry.comment(format!(
            "{} {} → circuit {} → {}{}",
            d.display,
            up.iface,
            up.cid,
            up.provider,
            at_url(&up.circuit_url)
        ));
        entry.field("id", Value::String(link_id));
        entry.field("between", serde_json::json!([d.id, entry_id]));
        if up.circuit.is_none() {
            entry.field("availability", Value::String(cx.options.circuit_availability.clone()));
            entry.field("mttr", Value::String("4h".into()));
        }
        if !via.is_empty() {
            entry.field("via", serde_json::json!(via));
        }
        cx.out.links.insert(format!("~uplink-{key}"), entry);
    }
}

/// Virtual chassis: members fail separately and reach each other over the stack
/// (one link between consecutive members, by `vc_position`).
fn virtual_chassis(cx: &mut Cx) {
    let members = cx.r.list("dcim/devices").any(|d| d.value.get("virtual_chassis").is_some_and(|v| !v.is_null()));
    if members && !cx.r.has("dcim/virtual-chassis") {
        cx.warn(
            "NB309",
            "dcim/virtual-chassis",
            "devices are members of virtual chassis, but no response for /api/dcim/virtual-chassis/ was read: their \
             stack links are left out"
                .into(),
            Some("save GET /api/dcim/virtual-chassis/ in the folder too".into()),
        );
    }
    let chassis: Vec<Value> = cx.r.list("dcim/virtual-chassis").map(|o| o.value.clone()).collect();
    for vc in chassis {
        let name = display_of(&vc);
        let master = vc.get("master").and_then(id_of);
        let mut members: Vec<(i64, i64)> =
            cx.r.list("dcim/devices")
                .filter(|d| d.value.get("virtual_chassis").and_then(id_of) == id_of(&vc))
                .filter_map(|d| {
                    let id = id_of(&d.value)?;
                    Some((d.value.get("vc_position").and_then(Value::as_i64).unwrap_or(id), id))
                })
                .filter(|(_, id)| cx.component(*id).is_some())
                .collect();
        members.sort();
        if let Some(m) = master.and_then(|m| cx.component(m).cloned()) {
            if let Some(entry) = cx.out.components.get_mut(&m.id) {
                entry.comment(format!("master of virtual chassis {name} (its control plane){}", at_url(&url_of(&vc))));
            }
        }
        // Two switches of one chassis answer LACP as one partner (a cross-stack
        // EtherChannel, or an MLAG pair NetBox records as a chassis): a server's LAG
        // across them aggregates.
        if let [one, two] = members.as_slice() {
            let (a, b) = (cx.devices[&one.1].clone(), cx.devices[&two.1].clone());
            if kind_of(&a) == "switch" && kind_of(&b) == "switch" {
                if let Some(entry) = cx.out.components.get_mut(&a.id) {
                    entry.comment(format!(
                        "mlag_peer: {} shares virtual chassis {name} (ASSUMED: the two answer LACP as one partner){}",
                        b.display,
                        at_url(&url_of(&vc))
                    ));
                    entry.field("mlag_peer", Value::String(b.id.clone()));
                }
            }
        }
        for pair in members.windows(2) {
            let (a, b) = (cx.devices[&pair[0].1].clone(), cx.devices[&pair[1].1].clone());
            if unlinkable(kind_of(&a), kind_of(&b)).is_some() {
                continue;
            }
            let id = cx.ids.claim_exact(&format!("vc-{}-{}-{}", slug(&name), pair[0].0, pair[1].0));
            let mut entry = Entry::new("");
            entry.comment(format!(
                "virtual chassis {name}: stack link {} ↔ {} (ASSUMED: NetBox records the chassis, not its stack cabling){}",
                a.display,
                b.display,
                at_url(&url_of(&vc))
            ));
            entry.field("id", Value::String(id));
            entry.field("between", serde_json::json!([a.id, b.id]));
            cx.out.links.insert(format!("~vc-{:012}-{:012}", pair[0].1, pair[1].1), entry);
        }
    }
}

#[cfg(test)]
pub(super) fn trace_interface_for_test(cx: &Cx, interface: i64) -> (Option<i64>, Vec<i64>, Vec<String>) {
    let c = cabling(cx);
    let t = trace(&c, interface);
    let end = match t.end {
        End::Interface(i) => Some(i),
        _ => None,
    };
    (end, t.cables, t.circuits.into_iter().map(|c| c.1).collect())
}
