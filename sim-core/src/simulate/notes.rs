//! What a simulated figure rests on beyond the scenario: the simplifications the
//! simulator makes, each with the direction and the size of the error it can cause,
//! printed with every simulation (no silent approximation).

use super::params::Compiled;
use super::Behaviour;
use crate::model::{NodeRef, Visibility};
use crate::units::Duration;

impl Compiled<'_> {
    /// One sentence per simplification this model meets, sorted. For `ideal` runs
    /// (instant, perfect failover is their premise and is printed as such) only the
    /// choice of holders left incomplete, as in the exact analysis.
    pub fn approximations(&self) -> Vec<String> {
        if self.options.ideal {
            // Past the cap the ideal chain judges each hop with both NICs of a bond
            // left out of the choices (`model::roles::choice_groups`), or, when the
            // holder groups alone pass it, walks no choices at all (each group's own
            // election, `Compiled::ideal_holder_choices` is None).
            let cap = crate::model::roles::MAX_HOLDER_CHOICES;
            return match crate::model::roles::choice_groups(self.model, &self.circuit.net) {
                None => vec![format!(
                    "more than {cap} choices of role holders for the groups whose standby members forward nothing: this run does not choose them, so each group keeps the holder its own election picked and its other members forward nothing (pessimistic where another holder would carry the chain; the exact analysis lets every member forward there instead, optimistic)"
                )],
                Some((_, true)) => vec![format!(
                    "with its active-backup bonds there would be more than {cap} choices of role holders, so the bonds are not chosen: a request may arrive at a server through one NIC and leave through the other, while such a bond uses one NIC at a time (optimistic where the two directions work only through different NICs; a run without --ideal sends through the active NIC only)"
                )],
                Some((_, false)) => Vec::new(),
            };
        }
        let model = self.model;
        let span = |secs: f64| Duration::from_secs(secs).span();
        let mut notes = Vec::new();
        // Idle drops rest on a declared schedule, not on traffic (`behaviours::pool`).
        for (i, pool) in self.pools.iter().enumerate() {
            let Some(q) = pool.as_ref().and_then(|p| p.after_quiet.as_ref()) else { continue };
            let why = match model.elements[i].connection_pool.as_ref().map(|p| p.validation) {
                Some(crate::model::PoolValidation::OnBorrow) => {
                    "the wait of a request arriving alone, its check on borrow walking the dead connections: pessimistic by up to that where requests arrive together"
                }
                _ => "no check on borrow: the socket timeout, else TCP's give-up",
            };
            notes.push(format!(
                "{}: its quiet stretches end every {} from the run's start, each with no query at all, and the connections a firewall dropped meanwhile hang it {} ({why}); traffic that thins out without stopping keeps some connections fresh, which is not modelled",
                model.elements[i].name,
                span(q.every_secs),
                span(q.hang_secs)
            ));
        }
        // A break within the ride-through is not played, so a transfer switch fed
        // through another does not move for it (`mechanisms::transfer_switch`).
        for down in model.elements.iter().filter(|e| e.transfer_switch.is_some()) {
            for up in crate::mechanisms::power::upstream_power(model, down.id) {
                let Some(t) = model.element(up).transfer_switch else { continue };
                if t.transfer_secs > 0.0 && t.transfer_secs <= t.ride_through_secs {
                    notes.push(format!(
                        "{}: fed through {}, whose {} transfer its loads ride through, so it does not move for that break; a unit that senses the loss sooner would move, and its loads would see both breaks (optimistic there: up to two boots per move of {})",
                        down.name,
                        model.element(up).name,
                        span(t.transfer_secs),
                        model.element(up).name
                    ));
                }
            }
        }
        for (g, p) in model.groups.iter().zip(&self.groups) {
            // Bridge priorities and port costs are not in the scenario; 802.1D ages
            // stale information from the failure, not from its last hello. Only a
            // domain with a loop (as many links as members) has a blocked port.
            if let Some(stp) = p.stp.as_ref().filter(|s| s.links.len() >= g.members.len() && s.to_forwarding_secs > 0.0)
            {
                let priorities = format!(
                    "{} {}: bridge priorities and port costs are not in the scenario, so the root is the configured one, then the switches in their listed order, and every link costs the same; where the real ones differ, another end of a link off the tree blocks",
                    g.kind, g.name
                );
                notes.push(if stp.stale_info_secs > 0.0 {
                    format!(
                        "{priorities}, so another switch can be the one left without an alternate: a service can pay up to {} (max_age + 2 × forward_delay) more or less per failure; stale information is counted to age out max_age ({}) after the failure, where a bridge ages it from its last hello and by the message age it was sent with (pessimistic, by a hello time plus a second per bridge between it and the root); a second change while stale information waits is resolved max_age after the later failure, or at once for a repair (off by up to {} either way)",
                        span(stp.stale_info_secs + stp.to_forwarding_secs),
                        span(stp.stale_info_secs),
                        span(stp.stale_info_secs),
                    )
                } else {
                    format!(
                        "{priorities} (off by up to {} per failure); each port that moves from blocked to forwarding is counted as {} (the proposal/agreement handshake, well under a second on point-to-point links: pessimistic by under that per port), and RSTP's sync, which holds non-edge designated ports for that handshake, is left out (optimistic, by under a second)",
                        span(stp.to_forwarding_secs),
                        span(stp.to_forwarding_secs),
                    )
                });
            }
            // A validated ARP monitor's NICs need their targets (the lowering's needs),
            // which hold or fail at once; the kernel marks a NIC down after its missed
            // probes and up at the next check that sees a reply.
            if let Some(crate::model::Switchover { sees: Visibility::PathTo { targets, l2: true, all }, .. }) =
                &g.switchover
            {
                let lost = match (targets.len(), all) {
                    (1, _) => "its target",
                    (_, false) => "any of its targets",
                    (_, true) => "every one of its targets (arp_all_targets all)",
                };
                notes.push(format!(
                    "{} {}: its validated NICs are counted down together from the instant none of them reaches {lost}, not after their missed probes ({}): pessimistic by up to that long per such loss where the service did not need the lost target itself; they are counted up again when a target returns, where the kernel waits for its next check (optimistic by up to one arp_interval)",
                    g.kind,
                    g.name,
                    span(p.detect_secs),
                ));
            }
            // A pool checked by a group of balancers keeps one rotation for all of them.
            if let (Behaviour::Share, Some(NodeRef::Group(b))) = (p.behaviour, p.checked_from) {
                let balancers = &model.groups[b.0 as usize];
                // Each balancer of an active-standby pair brings its own verdicts
                // (`behaviours::share::CheckView`); only two masters at once (members
                // that no longer hear each other), or an all-answer GSLB's balancers,
                // share one rotation.
                let checkers = &self.groups[b.0 as usize];
                // Two masters of a pair each balance over their own rotation
                // (`behaviours::share::split_share`): the split share is the mean over
                // them, as if the upstream sent each the same share of the requests.
                if checkers.behaviour == Behaviour::Switchover
                    && checkers.counts_dual_masters
                    && checkers.peers_networked
                {
                    notes.push(format!(
                        "{} {}: whenever {} {} has two masters (its members cut apart; the \"two masters\" line counts them), each master sends its requests over its own rotation, and the requests are taken to split evenly between the masters the entry reaches: which one the upstream routers or the hosts pick is not modelled, so the served share during a split errs either way by up to half the difference between the masters' own shares",
                        g.kind, g.name, balancers.kind, balancers.name
                    ));
                }
                let what = match checkers.behaviour {
                    // Without a check nothing leaves or re-enters the rotation.
                    _ if p.sees == Visibility::Nothing => None,
                    Behaviour::Switchover => None,
                    _ => Some(format!("across the balancers of {} {}", balancers.kind, balancers.name)),
                };
                if let Some(what) = what {
                    notes.push(format!(
                    "{} {}: one rotation for the pool {what}: when the balancers change, a member the new ones cannot reach stays in rotation for its check's interval × fall ({}), failing its share (pessimistic, up to that long degraded per change), and a member one of them reaches is in rotation at once, even one back within the last interval × rise ({}; optimistic by up to that long)",
                    g.kind,
                    g.name,
                    span(p.detect_secs),
                    span(p.readmit_secs),
                ));
                }
            }
            // A balancer that starts again is taken to know its pool's state at once
            // (`behaviours::share::update_check_views`); HAProxy drops a member it
            // cannot reach at its first failed check, one interval later. That matters
            // only where the interval outlasts the wait before the balancer can hold
            // the role (a VRRP member listens for its Master_Down_Interval first).
            if let (Behaviour::Share, Some(NodeRef::Group(b)), interval) =
                (p.behaviour, p.checked_from, p.check_interval_secs)
            {
                let checkers = &self.groups[b.0 as usize];
                let balancers = &model.groups[b.0 as usize];
                let wait = if checkers.listens_before_claiming {
                    checkers.member_detect_secs.iter().copied().fold(f64::INFINITY, f64::min)
                } else {
                    0.0
                };
                if checkers.behaviour == Behaviour::Switchover && interval > wait {
                    let takes = if wait > 0.0 {
                        format!("the balancer can hold the role after {}", span(wait))
                    } else {
                        "the balancer takes traffic at once".to_string()
                    };
                    notes.push(format!(
                        "{} {}: a balancer of {} {} that starts again is taken to know at once which members it cannot reach; HAProxy starts with every server up and drops one at its first failed check, one interval ({}) later, and {takes}: optimistic by up to {} per start where a member is then out of its reach",
                        g.kind,
                        g.name,
                        balancers.kind,
                        balancers.name,
                        span(interval),
                        span(interval - wait),
                    ));
                }
            }
            // A single-answer GSLB with nobody passing its checks keeps answering the
            // last site; the service is counted down for a takeover once one returns.
            if p.behaviour == Behaviour::Switchover && matches!(p.sees, Visibility::Probes { .. }) {
                notes.push(format!(
                    "{} {}: when every site fails its checks, the first to pass again is counted as a takeover (the TTL, {}), even when it is the site the clients' answers still name, which they reach at once (pessimistic, up to that long per such outage)",
                    g.kind,
                    g.name,
                    span(p.takeover_secs),
                ));
            }
        }
        // The served fraction multiplies the load-sharing tiers' own fractions.
        for (s, svc) in model.services.iter().enumerate() {
            let sharing: Vec<String> = self.circuit.services[s]
                .chain
                .iter()
                .filter_map(|(_, g)| *g)
                .filter(|g| self.circuit.share_groups[s].contains(g))
                .map(|g| {
                    let grp = &model.groups[g.0 as usize];
                    format!("{} {}", grp.kind, grp.name)
                })
                .collect();
            if sharing.len() >= 2 {
                notes.push(format!(
                    "service {}: its served fraction multiplies the fractions of its load-sharing tiers ({}), as if each request chose a member of each at random: a failure two of them see (a site's balancer and its own servers) is charged twice while both still list it (until the quicker of their checks drops it), so the served fraction errs low (pessimistic) meanwhile; availability, which counts only full outages, is unaffected",
                    svc.name,
                    sharing.join(", ")
                ));
            }
        }
        notes.sort();
        notes
    }
}

#[cfg(test)]
mod tests {
    use crate::simulate::{Compiled, SimOptions};

    /// A pool behind a GSLB pair: the rotation note with the pool's own timers (2 s ×
    /// 3 and 2 s × 2, HAProxy's defaults) and the GSLB's takeover note with its TTL; a
    /// pool behind one balancer and `--ideal` runs get none.
    #[test]
    fn notes_name_the_groups_and_their_error_bounds() {
        let text = |balancer: &str| {
            format!(
                r#"{{ "components": {{ "internet": {{"kind": "entry"}},
                    "lb-1": {{"kind": "load-balancer"}}, "lb-2": {{"kind": "load-balancer"}},
                    "w1": {{"kind": "server"}}, "w2": {{"kind": "server"}} }},
                  "links": [ {{"between": ["internet", "lb-1"]}}, {{"between": ["internet", "lb-2"]}},
                             {{"between": ["lb-1", "w1"]}}, {{"between": ["lb-2", "w2"]}} ],
                  "groups": {{ "www": {{"kind": "gslb", "members": ["lb-1", "lb-2"], "ttl": "60s", "check": {{"type": "http"}} }},
                              "pool": {{"kind": "lb-pool", "balancer": "{balancer}", "members": ["w1", "w2"], "check": {{"type": "tcp"}} }} }},
                  "services": {{ "s": {{"from": "internet", "through": ["pool"]}} }} }}"#
            )
        };
        let options = |ideal| SimOptions { years: 1, replications: 1, seed: 1, random_failures: true, ideal };
        let loaded = crate::load(&text("www"));
        let model = loaded.model.expect("valid");
        let notes = Compiled::new(&model, options(false)).approximations();
        assert_eq!(notes.len(), 2, "{notes:#?}");
        assert!(notes[0].starts_with("gslb www:") && notes[0].contains("(the TTL, 1m)"), "{}", notes[0]);
        // A GSLB answers a returning balancer at once, so its restart costs up to a
        // whole check interval (HAProxy's 2 s).
        assert!(
            notes[1].starts_with("lb-pool pool: a balancer of gslb www that starts again")
                && notes[1].contains("takes traffic at once: optimistic by up to 2s per start"),
            "{}",
            notes[1]
        );
        assert!(Compiled::new(&model, options(true)).approximations().is_empty());
        let single = crate::load(&text("lb-1")).model.expect("valid");
        let notes = Compiled::new(&single, options(false)).approximations();
        assert!(notes.iter().all(|n| !n.starts_with("lb-pool")), "{notes:#?}");
    }

    /// A VRRP pair of balancers checking a pool, whose members' Master_Down_Intervals
    /// are 3 + 56/256 s (priority 200) and 3 + 156/256 s (100): the restart note only
    /// where the check interval (5 s) outlasts the shorter of them:
    /// 5 − 3.21875 = 1.78125 s, printed to two figures. At HAProxy's 2 s there is no restart note.
    #[test]
    fn restarted_balancers_are_noted_where_their_first_check_matters() {
        let text = |interval: &str| {
            format!(
                r#"{{ "components": {{ "internet": {{"kind": "entry"}}, "sw": {{"kind": "switch"}},
                    "lb-1": {{"kind": "load-balancer"}}, "lb-2": {{"kind": "load-balancer"}},
                    "w1": {{"kind": "server", "nics": ["sw"]}}, "w2": {{"kind": "server", "nics": ["sw"]}} }},
                  "links": [ {{"between": ["internet", "lb-1"]}}, {{"between": ["internet", "lb-2"]}},
                             {{"between": ["lb-1", "sw"]}}, {{"between": ["lb-2", "sw"]}} ],
                  "groups": {{ "vip": {{"kind": "vrrp", "members": ["lb-1", "lb-2"], "priorities": [200, 100] }},
                              "pool": {{"kind": "lb-pool", "balancer": "vip", "members": ["w1", "w2"], "check": {{"type": "tcp"{interval}}} }} }},
                  "services": {{ "s": {{ "from": "internet", "through": ["pool"] }} }} }}"#
            )
        };
        let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: true, ideal: false };
        let loaded = crate::load(&text(r#", "interval": "5s""#));
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let model = loaded.model.expect("valid");
        let notes = Compiled::new(&model, options.clone()).approximations();
        let restart: Vec<&String> = notes.iter().filter(|n| n.contains("starts again")).collect();
        assert_eq!(restart.len(), 1, "{notes:#?}");
        // Two masters of the pair balance over their own rotations, the requests taken
        // to split evenly between them.
        assert!(
            notes.iter().any(|n| n.starts_with("lb-pool pool: whenever vrrp vip has two masters")
                && n.contains("split evenly")),
            "{notes:#?}"
        );
        assert!(
            restart[0].starts_with("lb-pool pool: a balancer of vrrp vip")
                && restart[0].contains("(5s) later")
                && restart[0].contains("after 3.2s")
                && restart[0].contains("up to 1.8s per start"),
            "{}",
            restart[0]
        );
        let model = crate::load(&text("")).model.expect("valid");
        let notes = Compiled::new(&model, options).approximations();
        assert!(!notes.iter().any(|n| n.contains("starts again")), "{notes:#?}");
    }
}
