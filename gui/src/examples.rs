//! The bundled example scenarios (the "Examples" menu), embedded at build time so the
//! desktop app and the browser demo work offline. Sorted by path under `scenarios/`.

/// One bundled scenario.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    /// Path under `scenarios/`, e.g. `anti-patterns/single-load-balancer.jsonc`.
    pub file: &'static str,
    pub text: &'static str,
}

impl Example {
    /// The folder the Examples menu files it under ("" for the top level).
    pub fn folder(&self) -> &'static str {
        self.file.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The file name without folder and extension.
    pub fn title(&self) -> &'static str {
        let name = self.file.rsplit_once('/').map_or(self.file, |(_, n)| n);
        name.strip_suffix(".jsonc").unwrap_or(name)
    }
}

macro_rules! examples {
    ($($file:literal),* $(,)?) => {
        &[$(Example { file: $file, text: include_str!(concat!("../../scenarios/", $file)) }),*]
    };
}

/// Every scenario under `scenarios/` (a test keeps this list complete and sorted).
pub static EXAMPLES: &[Example] = examples![
    "anti-patterns/arp-all-targets.jsonc",
    "anti-patterns/arp-monitor-without-validation.jsonc",
    "anti-patterns/arp-single-target.jsonc",
    "anti-patterns/backup-beside-the-data.jsonc",
    "anti-patterns/bond-into-one-switch.jsonc",
    "anti-patterns/cluster-no-quorum.jsonc",
    "anti-patterns/cluster-qdevice-no-fencing.jsonc",
    "anti-patterns/db-behind-the-backup.jsonc",
    "anti-patterns/db-pair-one-array.jsonc",
    "anti-patterns/dns-rr-no-health-check.jsonc",
    "anti-patterns/flywheel-shorter-than-generator-start.jsonc",
    "anti-patterns/l2-loop-without-stp.jsonc",
    "anti-patterns/lacp-without-mlag.jsonc",
    "anti-patterns/lb-checks-one-switch.jsonc",
    "anti-patterns/lb-pool-without-health-check.jsonc",
    "anti-patterns/oversized-stp.jsonc",
    "anti-patterns/persistence-without-replication.jsonc",
    "anti-patterns/pool-across-unsynced-firewalls.jsonc",
    "anti-patterns/psus-on-one-pdu.jsonc",
    "anti-patterns/raid5-large-disks.jsonc",
    "anti-patterns/replicas-one-site.jsonc",
    "anti-patterns/single-load-balancer.jsonc",
    "anti-patterns/slow-ats-single-corded.jsonc",
    "anti-patterns/sync-replication-blocks.jsonc",
    "anti-patterns/two-switches-one-pdu.jsonc",
    "anti-patterns/vrrp-multicast-on-cloud-network.jsonc",
    "anti-patterns/vrrp-single-uplink.jsonc",
    "anti-patterns/vrrp-untracked-uplink.jsonc",
    "database/active-active.jsonc",
    "database/connection-pool.jsonc",
    "database/control-plane-failover.jsonc",
    "database/quorum.jsonc",
    "database/replication.jsonc",
    "full-single-site.jsonc",
    "netbox/campus.jsonc",
    "netbox/netbox-demo.jsonc",
    "network/bonding.jsonc",
    "network/l2-ladder-cross.jsonc",
    "network/l3-gateways.jsonc",
    "operations/backups.jsonc",
    "operations/monitoring-gaps.jsonc",
    "power/dual-inlet-pdu.jsonc",
    "power/dual-power-path.jsonc",
    "power/generator-backup.jsonc",
    "power/undersized-psu.jsonc",
    "servers/lb-pair.jsonc",
    "servers/session-replication.jsonc",
    "servers/web-tier.jsonc",
    "shop-two-tier.jsonc",
    "sites/active-active-gslb.jsonc",
    "sites/dr-tiers.jsonc",
    "sites/gslb-client-cache.jsonc",
    "storage/raid-levels.jsonc",
    "storage/san-multipath.jsonc",
];

/// The example a fresh window (or the web page) opens on.
pub fn default_example() -> &'static Example {
    EXAMPLES.iter().find(|e| e.file == "full-single-site.jsonc").unwrap_or(&EXAMPLES[0])
}

/// Loads a bundled example with the bases it `extends` (also bundled).
pub fn load(example: &Example) -> sim_core::Loaded {
    let source = crate::document::Source::Example(example.file.into());
    match crate::bases::load(&source, example.text) {
        Ok(layered) => layered.loaded,
        Err(e) => sim_core::Loaded { model: None, diagnostics: vec![e.diagnostic] },
    }
}

/// The bundled example at `file`, if any.
pub fn find(file: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.file == file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(dir: &std::path::Path, prefix: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{prefix}{name}/"), out);
            } else if name.ends_with(".jsonc") {
                out.push(format!("{prefix}{name}"));
            }
        }
    }

    #[test]
    fn lists_every_bundled_scenario_in_order() {
        let mut on_disk = Vec::new();
        walk(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios")), "", &mut on_disk);
        on_disk.sort();
        let listed: Vec<&str> = EXAMPLES.iter().map(|e| e.file).collect();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn every_example_loads_without_errors() {
        for e in EXAMPLES {
            let loaded = load(e);
            assert!(!loaded.has_errors(), "{}: {:?}", e.file, loaded.diagnostics);
            assert!(loaded.model.is_some());
        }
        assert_eq!(default_example().file, "full-single-site.jsonc");
        assert_eq!(find("anti-patterns/single-load-balancer.jsonc").unwrap().folder(), "anti-patterns");
        assert_eq!(find("shop-two-tier.jsonc").unwrap().title(), "shop-two-tier");
    }
}
