//! The importer's diagnostic codes (NB001…NB505), each with its severity and meaning:
//! one table for `spofsim explain NB…` and for docs/NETBOX.md's "Diagnostics" table,
//! which a test keeps equal to it.

/// (code, severity, what it means), sorted by code.
pub const CODES: &[(&str, &str, &str)] = &[
    ("NB001", "error", "a response is not JSON, ends early, or has no `results` list"),
    ("NB002", "error", "a response or object has the wrong shape (no numeric `id`, `results` not a list)"),
    ("NB003", "error", "the roles file is not JSON, not an object, or maps a role to an unknown kind"),
    ("NB004", "error", "`dcim/devices` or `dcim/sites` was not read"),
    ("NB005", "warning", "a `spofsim_*` custom field is not text, not a duration or percentage, or availability is set beside mtbf; it is left out (an unreadable battery runtime leaves the UPS none)"),
    ("NB006", "error", "no device matches the scope (`--site`, `--status`, `--tag`); names what is there"),
    ("NB007", "warning", "the roles file maps a role no device has (a typo?)"),
    ("NB008", "error", "a listing holds fewer objects than NetBox's `count` (a page missing, or the data changed during the read)"),
    ("NB009", "error", "`--circuit-availability` is not a percentage above 0% and at most 100%"),
    ("NB010", "warning", "a `--tag` no device read carries (a typo? tags are slugs)"),
    ("NB011", "warning", "a `--status` that is not a NetBox device status (a typo?)"),
    ("NB012", "warning", "a `--site` no site read has (a typo? sites are slugs)"),
    ("NB013", "warning", "a field has the wrong type (a text where NetBox writes a number, a site that is not an object): read as the number it holds, or left out"),
    ("NB014", "note", "two objects would get one id (a feed named like a device): the later one gets its NetBox id appended"),
    ("NB015", "warning", "a device NetBox marks offline or failed is imported as working (the figures assume it repaired)"),
    ("NB101", "error", "a device has no role"),
    ("NB102", "error", "a device role has no kind (names the role and its devices)"),
    ("NB201", "warning", "`dcim/power-ports` was not read (no device's power is known), or `dcim/power-feeds`, `dcim/power-panels` or `dcim/power-outlets` was not (their chains are cut)"),
    ("NB202", "warning", "a PSU is not cabled (or its cable leads nowhere) while the device's other PSUs are, or is marked connected with no cable (put on the site's unrecorded power)"),
    ("NB203", "warning", "devices of a site have no cabled PSU: they hang on the site's unrecorded power"),
    ("NB204", "warning", "a PSU is plugged into a device that is not an imported PDU"),
    ("NB205", "warning", "a PDU's or UPS's inlet is not cabled to a feed or PDU: it hangs on the site's unrecorded power"),
    ("NB206", "warning", "an outlet of a dual-inlet PDU records no inlet; it is put on the first, so a SPOF in the others' supply can be missed"),
    ("NB207", "warning", "a device's two or more cabled PSUs are all on one PDU or feed, or trace back to one power panel: it is the device's single point of failure (a one-PSU device is not named: `analyze` lists its PDU)"),
    ("NB208", "warning", "a power feed's voltage, amperage or max_utilization is missing or not a number, not even as text (NB013 reads text that holds one); max_utilization then NetBox's default 80%"),
    ("NB209", "warning", "a PDU's inlet is plugged into its own outlet, or PDUs feed each other in a loop; the loop is cut"),
    ("NB210", "warning", "a power feed NetBox marks failed or offline is imported as working (the figures assume it repaired)"),
    ("NB211", "warning", "a transfer switch has fewer than two cabled inlets (imported as a PDU on the one it has), or more than two (the first two by name are used)"),
    ("NB212", "warning", "a power feed is planned while `--status` leaves planned out: it supplies nothing, and what hangs only on it counts as unpowered; or every PSU of a device in scope hangs on such feeds or cables (it is then put on the site's unrecorded power)"),
    ("NB213", "warning", "a device's allocated draw is more than its smallest PSU's maximum_draw: one PSU cannot carry it, so its PSUs are not redundant"),
    ("NB214", "warning", "a UPS has inlets on more than one source: the first by name is its feed, the others are left out"),
    ("NB215", "warning", "a UPS records no battery runtime (custom field `spofsim_battery_runtime`): it is imported with none, so its battery bridges nothing (pessimistic)"),
    ("NB301", "warning", "a cable leads to no device (a dead end, a loop of patch panels)"),
    ("NB302", "warning", "NetBox's stored trace and the cables read disagree, or an interface's cable is not in dcim/cables; NetBox's far end is used"),
    ("NB303", "warning", "the cabling endpoints were not read: shared paths cannot be seen (a shared trunk or circuit that is a SPOF is missed)"),
    ("NB304", "note", "cables lead to devices outside the scope"),
    ("NB305", "note", "a cable between kinds spofsim does not link (a PDU's management port, Ethernet into Fibre Channel)"),
    ("NB306", "note", "devices with no network link to another imported device (no cable, or only cables out of scope or to nowhere)"),
    ("NB307", "warning", "a cable is planned or decommissioning while `--status` leaves that state out: the link through it is left out, or the PSU or PDU inlet on a power cable counts as unpowered"),
    ("NB308", "warning", "an interface is disabled (`enabled: false`) or in a disabled LAG: its cable is left out, and an FHRP group member on it is no member"),
    ("NB309", "warning", "`dcim/interfaces` was not read (no network cable is known), or `dcim/virtual-chassis` was not while devices are members (no stack links)"),
    ("NB310", "warning", "a provider circuit is decommissioned, or planned, provisioning or deprovisioning outside `--status` (its links are left out), or offline (imported as working)"),
    ("NB311", "note", "`circuits/circuits` was not read (or NetBox refused it): every circuit is taken as active, with the assumed SLA"),
    ("NB312", "note", "circuits lead to no recorded far end (no cabled termination past them, no provider network): each is taken to end at its provider"),
    ("NB401", "note", "virtual machines without a host device, or on a host the import leaves out, are not imported"),
    ("NB402", "warning", "a virtual machine's host device is not imported as a server, or is not in dcim/devices: the VM is not imported"),
    ("NB501", "warning", "an FHRP member on a virtual machine interface is not imported"),
    ("NB502", "warning", "an FHRP protocol spofsim does not model"),
    ("NB503", "warning", "an FHRP member whose kind cannot hold a virtual IP"),
    ("NB504", "warning", "an FHRP group with fewer than two members in scope"),
    ("NB505", "warning", "an FHRP priority outside the protocol's range, moved to the nearest end"),
];

#[cfg(test)]
mod tests {
    /// docs/NETBOX.md lists exactly these rows, and the importer uses exactly these codes.
    #[test]
    fn the_table_matches_the_docs_and_the_code() {
        let doc = include_str!("../../../docs/NETBOX.md");
        let rows: Vec<String> = doc.lines().filter(|l| l.starts_with("| NB")).map(str::to_string).collect();
        let ours: Vec<String> = super::CODES.iter().map(|(c, s, m)| format!("| {c} | {s} | {m} |")).collect();
        assert_eq!(rows, ours);
        let sources = [
            include_str!("mod.rs"),
            include_str!("power.rs"),
            include_str!("network.rs"),
            include_str!("fhrp.rs"),
            include_str!("responses.rs"),
            include_str!("roles.rs"),
            include_str!("ids.rs"),
            include_str!("write.rs"),
        ];
        let mut used: Vec<String> = Vec::new();
        for text in sources {
            for (i, _) in text.match_indices("\"NB") {
                let code = &text[i + 1..(i + 6).min(text.len())];
                if code[2..].chars().all(|c| c.is_ascii_digit()) {
                    used.push(code.to_string());
                }
            }
        }
        used.sort();
        used.dedup();
        let listed: Vec<String> = super::CODES.iter().map(|c| c.0.to_string()).collect();
        assert_eq!(used, listed);
    }
}
