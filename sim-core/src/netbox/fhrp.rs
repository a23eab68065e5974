//! FHRP groups (NetBox `ipam/fhrp-groups` and `ipam/fhrp-group-assignments`) → `vrrp` and
//! `hsrp` groups.
//!
//! NetBox protocols: `vrrp2` and `vrrp3` become `vrrp` with `version` 2 or 3 (RFC 3768,
//! RFC 5798); `hsrp` becomes `hsrp`; `carp` (OpenBSD, VRRP-like adverts, advbase 1 s)
//! becomes `vrrp` version 2 with a note; `glbp`, `clusterxl` and `other` are not modelled
//! and are reported. Members are the devices of the assigned interfaces, highest
//! priority first (ties by id), with their priorities; the first virtual IP is `vip`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{at_url, display_of, id_of, str_of, url_of, Cx};
use crate::mechanisms::vrrp::VIP_HOLDERS;
use crate::netbox::write::Entry;

pub fn import(cx: &mut Cx) {
    let mut members: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    let assignments: Vec<(Value, String)> =
        cx.r.list("ipam/fhrp-group-assignments").map(|o| (o.value.clone(), o.at.clone())).collect();
    for (a, at) in assignments {
        let Some(group) = a.get("group").and_then(id_of) else { continue };
        let kind = a.get("interface_type").and_then(Value::as_str).unwrap_or("");
        if kind != "dcim.interface" {
            cx.warn(
                "NB501",
                &at,
                format!("an FHRP member on a {kind} (a virtual machine's interface) is not imported"),
                Some("only device interfaces become group members".into()),
            );
            continue;
        }
        let device = a.get("interface").and_then(|i| i.get("device")).and_then(id_of);
        // A member whose interface is shut down answers for nothing (NetBox `enabled`).
        let interface = a.get("interface").and_then(id_of).and_then(|i| cx.r.get("dcim/interfaces", i));
        if let Some(iface) = interface.filter(|i| i.value.get("enabled") == Some(&Value::Bool(false))) {
            let (name, url) = (display_of(&iface.value), url_of(&iface.value));
            let on = iface.value.get("device").map(display_of).unwrap_or_default();
            cx.warn(
                "NB308",
                &url,
                format!(
                    "interface {on} {name} is disabled in NetBox (enabled: false): it is no member of its FHRP group"
                ),
                Some("enable the interface in NetBox if it holds the group's address".into()),
            );
            continue;
        }
        // NetBox's FHRPGroupAssignment.priority is a required integer (0–255).
        let priority = cx.number_field(&a, "priority", "FHRP group assignment").map_or(100, |p| p.round() as i64);
        if let Some(device) = device {
            members.entry(group).or_default().push((device, priority));
        }
    }
    let groups: Vec<Value> = cx.r.list("ipam/fhrp-groups").map(|o| o.value.clone()).collect();
    for g in groups {
        let Some(gid) = id_of(&g) else { continue };
        let protocol = str_of(&g, "protocol").unwrap_or("other");
        let number = g.get("group_id").and_then(Value::as_i64).unwrap_or(0);
        let (kind, version) = match protocol {
            "vrrp2" => ("vrrp", Some(2)),
            "vrrp3" => ("vrrp", Some(3)),
            "carp" => ("vrrp", Some(2)),
            "hsrp" => ("hsrp", None),
            other => {
                cx.warn(
                    "NB502",
                    &url_of(&g),
                    format!("FHRP group {} uses {other}, which spofsim does not model; it is left out", display_of(&g)),
                    Some("write the gateway redundancy by hand in the extending file (vrrp or hsrp)".into()),
                );
                continue;
            }
        };
        let mut holders: Vec<(i64, String, String)> = Vec::new();
        let assigned = members.remove(&gid).unwrap_or_default();
        // A group wholly outside the scope (another site) is not this import's business.
        let in_scope = assigned.iter().filter(|(device, _)| cx.devices.contains_key(device)).count();
        if in_scope == 0 && !assigned.is_empty() {
            continue;
        }
        for (device, priority) in assigned {
            let Some(d) = cx.component(device).cloned() else { continue };
            let Some(k) = cx.out.components.get(&d.id).and_then(|e| e.get("kind")).and_then(Value::as_str) else {
                continue;
            };
            if !VIP_HOLDERS.contains(&k) {
                cx.warn(
                    "NB503",
                    &url_of(&g),
                    format!("{} is a member of FHRP group {}, but is imported as a {k}", d.display, display_of(&g)),
                    Some(format!("map its role to one of {} with --roles", VIP_HOLDERS.join(", "))),
                );
                continue;
            }
            if !holders.iter().any(|h| h.1 == d.id) {
                holders.push((priority, d.id.clone(), d.display.clone()));
            }
        }
        if holders.len() < 2 {
            cx.warn(
                "NB504",
                &url_of(&g),
                format!(
                    "FHRP group {} has {} member device(s) in scope; a group needs two, so it is left out",
                    display_of(&g),
                    holders.len()
                ),
                None,
            );
            continue;
        }
        holders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        // The scenario takes the protocol's priority range (RFC 5798 §5.2.4: VRRP backups
        // 1–254, 255 is the address owner; Cisco HSRP 0–255). NetBox stores 0–255 for both;
        // a value outside is moved to the nearest end, keeping the member order above.
        let range = if kind == "vrrp" { 1..=254 } else { 0..=255 };
        for h in holders.iter_mut().filter(|h| !range.contains(&h.0)) {
            let moved = h.0.clamp(*range.start(), *range.end());
            cx.warn(
                "NB505",
                &url_of(&g),
                format!(
                    "{} has priority {} in FHRP group {}, outside {kind}'s {}–{}; imported as {moved}",
                    h.2,
                    h.0,
                    display_of(&g),
                    range.start(),
                    range.end()
                ),
                Some(if kind == "vrrp" && h.0 == 255 {
                    "255 marks the address owner, which is always master; it is still listed first".into()
                } else {
                    "members stay in NetBox's priority order; set the priority in NetBox to silence this".into()
                }),
            );
            h.0 = moved;
        }
        let name = str_of(&g, "name").map(str::to_owned).unwrap_or_else(|| format!("{protocol} {number}"));
        let id = cx.ids.claim(&name, gid, "fhrp");
        let mut entry = Entry::new(kind);
        let vip = g
            .get("ip_addresses")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(|ip| str_of(ip, "address"));
        entry.comment(format!(
            "FHRP group {} ({protocol} {number}{}){}",
            display_of(&g),
            if protocol == "carp" { "; CARP modelled with VRRPv2 timing" } else { "" },
            at_url(&url_of(&g))
        ));
        entry.field("members", serde_json::json!(holders.iter().map(|h| h.1.clone()).collect::<Vec<_>>()));
        entry.field("priorities", serde_json::json!(holders.iter().map(|h| h.0).collect::<Vec<_>>()));
        if let Some(v) = version {
            entry.field("version", serde_json::json!(v));
        }
        if let Some(vip) = vip {
            entry.field("vip", Value::String(vip.to_string()));
        }
        cx.out.groups.insert(id, entry);
    }
}
