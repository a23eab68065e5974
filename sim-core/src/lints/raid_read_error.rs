//! SPOF-L025 raid-read-error: single-parity RAID on disks so large that a rebuild is
//! likely to meet an unrecoverable read error.

use super::{count_attr, groups_of_kind, hit, Hit, Lint, Severity};
use crate::model::{Arrangement, Dynamics, Model};

/// Above this chance of failing, a rebuild after one disk's loss is not a rare event:
/// more than one rebuild in a hundred loses the data.
pub const MAX_REBUILD_FAILURE: f64 = 0.01;

pub static LINT: Lint = Lint {
    code: "SPOF-L025",
    name: "raid-read-error",
    severity: Severity::Warning,
    summary: "After one disk's loss, a RAID group's rebuild has no redundancy left and is likely (over 1%) to meet an unrecoverable read error.",
    rationale: "Disk datasheets state unrecoverable read errors per bit read: 1 per 10^14 bits for consumer disks (Seagate BarraCuda product manual), 1 per 10^15 for enterprise ones (Seagate Exos X16 datasheet). A rebuild must read every bit of the surviving disks, and RAID 1, RAID 5 and RAID 10 have no redundancy left to correct an error during it (md(4), 'RECOVERY': a read error on the last copy cannot be recovered), so it fails with probability 1 − (1 − p)^bits: about 27% for three 2 TB consumer disks in RAID 5. A failed rebuild loses the array; the data comes back only from backup.",
    fix: "Use RAID 6 (its second parity corrects a read error during a single-disk rebuild), disks with a lower error rate (\"ure_per_bit\": 1e-15), or smaller disks; keep a tested backup either way.",
    example: r#""data": { "kind": "raid", "level": 6, "in": "db-1", "disk_count": 6, "hot_spares": 1, "disk_size_tb": 12, "ure_per_bit": 1e-15 }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for g in groups_of_kind(model, "raid") {
        let (Some(Dynamics::Rebuild { read_errors: Some(risk), .. }), Arrangement::ActiveActive { need }) =
            (&g.dynamics, &g.arrangement)
        else {
            continue;
        };
        let q = risk.failure_probability();
        if risk.exposed(g.members.len() - 1, *need as usize) && q > MAX_REBUILD_FAILURE {
            let level = count_attr(&g.attrs, "level").unwrap_or(0);
            out.push(hit(
                g.span,
                &g.name,
                format!(
                    "{} (RAID{level}): a rebuild after one disk's loss has no redundancy left and fails on an unrecoverable read error with probability {:.1}%",
                    g.name,
                    q * 100.0
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::{codes_for, only};

    /// Oracle: tests/oracles/DERIVATIONS.md case 10: q = 27.4% for RAID 5 of three 2 TB
    /// consumer disks, 14.8% for a 2 TB RAID 1 mirror; RAID 6 of six 12 TB enterprise
    /// disks is exposed only after two losses.
    #[test]
    fn fires_on_single_parity_with_large_disks() {
        let bad = r#"{ "components": { "db": { "kind": "server" } },
          "groups": { "r5": { "kind": "raid", "level": 5, "in": "db", "disk_count": 3, "hot_spares": 1, "disk_size_tb": 2 },
                      "r1": { "kind": "raid", "level": 1, "in": "db", "disk_count": 2, "hot_spares": 1, "disk_size_tb": 2 } } }"#;
        assert_eq!(only("SPOF-L025", bad), ["SPOF-L025 r1", "SPOF-L025 r5"]);
        let loaded = crate::load(bad);
        let messages: Vec<String> = crate::lints::run(loaded.model.as_ref().unwrap())
            .into_iter()
            .filter(|f| f.code == "SPOF-L025")
            .map(|f| f.message)
            .collect();
        assert!(messages[0].contains("probability 14.8%"), "{messages:?}");
        assert!(messages[1].contains("probability 27.4%"), "{messages:?}");
    }

    #[test]
    fn quiet_on_raid6_small_disks_or_no_size() {
        let good = r#"{ "components": { "db": { "kind": "server" } },
          "groups": { "r6": { "kind": "raid", "level": 6, "in": "db", "disk_count": 6, "hot_spares": 1, "disk_size_tb": 12, "ure_per_bit": 1e-15 },
                      "small": { "kind": "raid", "level": 1, "in": "db", "disk_count": 2, "hot_spares": 1, "disk_size_tb": 0.1, "ure_per_bit": 1e-15 },
                      "unsized": { "kind": "raid", "level": 5, "in": "db", "disk_count": 4, "hot_spares": 1 } } }"#;
        assert!(!codes_for(good).iter().any(|c| c.starts_with("SPOF-L025")), "{:?}", codes_for(good));
    }
}
