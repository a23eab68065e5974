//! SPOF-L009 raid-no-spare: RAID without a hot spare, or RAID0 holding data.

use super::{count_attr, groups_of_kind, hit, Hit, Lint, Severity};
use crate::model::Model;

pub static LINT: Lint = Lint {
    code: "SPOF-L009",
    name: "raid-no-spare",
    severity: Severity::Warning,
    summary: "A RAID group has no hot spare, or is RAID0.",
    rationale: "md(4), 'RECOVERY': a failed disk is marked faulty and the array runs on without its redundancy until the data is recreated on a spare; an array survives only so many failures (one for RAID5, two for RAID6, md(4) DESCRIPTION), so another failure in that window, or with no spare left, loses data. RAID0 has zero redundancy (md(4), 'RAID0').",
    fix: "Add \"hot_spares\": 1 (or more); never keep data on RAID0.",
    example: r#""data": { "kind": "raid", "level": 6, "in": "db-1", "disk_count": 6, "hot_spares": 1 }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for g in groups_of_kind(model, "raid") {
        let level = count_attr(&g.attrs, "level").unwrap_or(0);
        let spares = count_attr(&g.attrs, "hot_spares").unwrap_or(0);
        if level == 0 {
            out.push(hit(g.span, &g.name, format!("{} is RAID0: any disk failure loses its data", g.name)));
        } else if spares == 0 {
            out.push(hit(
                g.span,
                &g.name,
                format!(
                    "{} (RAID{level}) has no hot spare: redundancy stays broken until someone replaces the disk",
                    g.name
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::{codes_for, only};

    const BAD: &str = r#"{ "components": { "db": { "kind": "server" } },
      "groups": { "data": { "kind": "raid", "level": 5, "in": "db", "disk_count": 4 }, "tmp": { "kind": "raid", "level": 0, "in": "db", "disk_count": 2 } } }"#;

    #[test]
    fn fires_without_spares_and_on_raid0() {
        assert_eq!(only("SPOF-L009", BAD), ["SPOF-L009 data", "SPOF-L009 tmp"]);
    }

    #[test]
    fn quiet_with_a_hot_spare() {
        let good = r#"{ "components": { "db": { "kind": "server" } },
          "groups": { "data": { "kind": "raid", "level": 6, "in": "db", "disk_count": 6, "hot_spares": 1 } } }"#;
        assert!(!codes_for(good).iter().any(|c| c.starts_with("SPOF-L009")));
    }
}
