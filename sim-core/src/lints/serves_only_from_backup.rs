//! SPOF-L033 serves-only-from-backup: with nothing failed, the master of a group whose
//! standbys forward nothing cannot carry a service that another member could: the
//! design works only while the role sits on a backup, which an election never puts
//! there.

use super::{hit, Hit, Lint, Severity};
use crate::model::eval::Evaluator;
use crate::model::{roles, Model, NetworkIndex};

pub static LINT: Lint = Lint {
    code: "SPOF-L033",
    name: "serves-only-from-backup",
    severity: Severity::Error,
    summary: "With nothing failed, the master of a VRRP/HSRP group cannot carry a service that a backup could carry: the service is down whenever the group is as elected.",
    rationale: "RFC 5798 §6.4.2: a backup does not own the virtual IP, so it forwards nothing for it; the master is the member with the highest priority (§6.4.3), and it keeps the role while it advertises, whether or not it can reach what the service needs. A design whose request path needs a backup (the web servers reach the databases only through the standby balancer, or the master has no cable towards a tier) is down in normal operation. The exact figure judges the state after an ideal failover, with the role wherever it serves, so it counts such a service up; the simulation, whose master is elected, has it down nearly all the time.",
    fix: "Cable the master (the first member, highest priority) to everything the backup reaches that the service needs, or give the tier behind it its own path that crosses no member of the group; if the backup is meant to be the master, list it first or give it the higher priority.",
    example: r#""vip": { "kind": "vrrp", "members": ["lb-1", "lb-2"] } /* and both cabled to sw-web and sw-db */"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let net = NetworkIndex::new(model);
    let groups = roles::holder_only_groups(model, &net);
    if groups.is_empty() {
        return Vec::new();
    }
    let mut evaluator = Evaluator::new(model);
    let nothing = vec![false; model.elements.len()];
    let ideal = evaluator.evaluate(&nothing);
    let mut out = Vec::new();
    for g in groups {
        let group = model.group(g);
        // Members are listed highest priority first: the first is master when all work.
        let master = group.members[0];
        let held = evaluator.evaluate_held(&nothing, g, master);
        let lost: Vec<&str> = (0..model.services.len())
            .filter(|&s| ideal.service_up[s] && !held.service_up[s])
            .map(|s| model.services[s].name.as_str())
            .collect();
        if lost.is_empty() {
            continue;
        }
        let backups: Vec<&str> = group.members[1..].iter().map(|&m| model.element(m).name.as_str()).collect();
        out.push(hit(
            group.span,
            &group.name,
            format!(
                "with nothing failed, {} (the master) holds {}'s virtual IP and {} cannot run: {} would carry it, but as backup forwards nothing",
                model.element(master).name,
                group.name,
                lost.join(", "),
                backups.join(", ")
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    /// The web servers reach the database only across lb-2.
    const ACROSS_THE_BACKUP: &str = r#"{ "components": { "internet": {"kind":"entry"},
        "lb-1": {"kind":"load-balancer"}, "lb-2": {"kind":"load-balancer"},
        "sw-a": {"kind":"switch"}, "sw-b": {"kind":"switch"},
        "web-1": {"kind":"server","nics":["sw-a"],"runs":["web"]},
        "db-1": {"kind":"server","nics":["sw-b"],"runs":["db"]} },
      "links": [ {"between":["internet","lb-1"]}, {"between":["internet","lb-2"]}, {"between":["lb-1","sw-a"]},
                 {"between":["lb-2","sw-a"]}, {"between":["lb-2","sw-b"]} ],
      "groups": { "vip": {"kind":"vrrp","members":["lb-1","lb-2"]} },
      "services": { "s": {"from":"internet","through":["vip","web-1/web","db-1/db"]} } }"#;

    fn messages(text: &str) -> Vec<String> {
        let hits = crate::lints::run(&crate::load(text).model.unwrap());
        hits.into_iter().filter(|h| h.code == "SPOF-L033").map(|h| h.message).collect()
    }

    #[test]
    fn fires_when_only_the_backup_carries_the_service() {
        assert_eq!(
            messages(ACROSS_THE_BACKUP),
            ["with nothing failed, lb-1 (the master) holds vip's virtual IP and s cannot run: lb-2 would carry it, but as backup forwards nothing"]
        );
    }

    #[test]
    fn quiet_when_the_master_is_cabled_to_both_switches() {
        let both = ACROSS_THE_BACKUP
            .replace(r#"{"between":["lb-2","sw-b"]}"#, r#"{"between":["lb-2","sw-b"]}, {"between":["lb-1","sw-b"]}"#);
        assert!(messages(&both).is_empty());
    }

    #[test]
    fn quiet_when_the_backup_is_listed_first() {
        let swapped = ACROSS_THE_BACKUP.replace(r#"["lb-1","lb-2"]"#, r#"["lb-2","lb-1"]"#);
        assert!(messages(&swapped).is_empty());
    }
}
