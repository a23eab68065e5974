//! What a mechanism tells the simulator about one of its groups, as typed values.
//!
//! Each mechanism file registers one `profile` function per group kind
//! ([`crate::mechanisms::PROFILES`]) that reads what its own lowering wrote and returns a
//! [`SimProfile`]. The simulator reads only this struct: it never tests a kind name or
//! looks up a string-keyed attribute, so a new mechanism cannot be half-wired and a
//! misspelt key cannot silently become zero.

use super::Behaviour;
use crate::model::ElementId;

/// Spanning-tree timers of one domain (IEEE 802.1D-2004 §17.14 defaults are applied by
/// the STP mechanism when it lowers).
#[derive(Clone, Debug, PartialEq)]
pub struct StpTimers {
    /// "stp" or "rstp", for attribution labels.
    pub mode: &'static str,
    /// How long a bridge keeps information its designated bridge no longer sends
    /// (802.1D: max_age, §8.6.2.3, §8.7: the Message Age timer; RSTP: 0, as it accepts inferior information at once,
    /// IEEE 802.1D-2004 §17.27).
    pub stale_info_secs: f64,
    /// A blocked port that becomes root or designated: the time until it forwards
    /// (802.1D: listening + learning, 2 × forward_delay, §8.4; RSTP: the
    /// proposal/agreement handshake, counted as 1 s).
    pub to_forwarding_secs: f64,
    /// The configured root bridge, when one is named.
    pub root: Option<ElementId>,
}

/// RAID slot rebuild: how long a slot stays unprotected, and the spares on hand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RebuildTiming {
    pub rebuild_secs: f64,
    pub hot_spares: u32,
    /// Rebuilds with no redundancy left can fail on an unrecoverable read error.
    pub read_errors: Option<crate::model::ReadErrorRisk>,
    /// RAID 10: slots (0, 1), (2, 3), … mirror each other.
    pub mirror_pairs: bool,
}

/// The typed simulator parameters of one group.
#[derive(Clone, Debug, PartialEq)]
pub struct SimProfile {
    pub behaviour: Behaviour,
    /// A standby member forwards nobody's traffic (an active-backup bond's idle NIC, a
    /// backup gateway that does not own the VIP), so paths may not cross it. A member
    /// named as a tier still serves its own hop when another group holds it as standby
    /// (a router that is backup for one VLAN and master for another).
    pub standby_blocks_transit: bool,
    /// The failover is local to one host (a bond): attribution prefers a failover on
    /// the path over it.
    pub host_local: bool,
    /// The preferred member takes its role back on return (VRRP `preempt`).
    pub preempt: bool,
    /// The takeover is clients' caches running out (a single-answer GSLB's TTL): the
    /// member that served, back and working before they do, ends the outage, since
    /// clients still holding its answer reach it (RFC 1034 §3.6: a cached answer is
    /// used until its TTL expires, whatever happened to the address meanwhile).
    pub takeover_is_client_caches: bool,
    /// Share: a member is healthy only while the entries of the services through the
    /// group reach it (an all-answer GSLB's checkers probe from the internet), not merely
    /// while it works.
    pub checked_from_entries: bool,
    /// Peers hear each other only inside one L2 segment (VRRP/HSRP adverts are
    /// link-local multicast, RFC 5798 §5.1.1.3: TTL 255, never routed).
    pub peers_same_segment: bool,
    /// Two actives at once is split brain and is counted (a database cluster: two
    /// primaries accepting writes).
    pub counts_split_brain: bool,
    /// Two actives at once are two masters answering for one virtual IP (VRRP/HSRP),
    /// counted apart from split brain.
    pub counts_dual_masters: bool,
    /// When a partition heals, the member promoted during it keeps the role (a database
    /// cluster keeps the copy it promoted); otherwise the preferred member does (VRRP).
    pub keeps_promoted: bool,
    /// A standby that stops hearing the active powers it off before taking over (STONITH
    /// fencing): a partition gives one primary, not two.
    pub fences: bool,
    /// A member that starts when no member holds the role listens for the detection
    /// time before it claims it (VRRP: Master_Down_Interval, RFC 5798 §6.4.1; HSRP: the
    /// hold time, RFC 2281 §5.4), instead of claiming it at once.
    pub listens_before_claiming: bool,
    /// A preempting member's timer runs from the moment it outranks the active with its
    /// own state (working, out of FAULT, its priority restored), whether or not it hears
    /// the active yet (VRRP: the Master_Down_Timer set on entering Backup, RFC 5798
    /// §6.4.1, which discarding lower-priority adverts does not reset, §6.4.2); without,
    /// from the moment the simulation first finds it outranking the active, hearing it
    /// (HSRP: the coup answers the active's hello, RFC 2281 §5).
    pub preempt_timer_from_ready: bool,
    /// A cold standby: members not serving are powered off and do not age.
    pub cold_standby: bool,
    pub rebuild: Option<RebuildTiming>,
    pub stp: Option<StpTimers>,
    /// Sessions pinned to a member are lost with it (persistence without session
    /// replication).
    pub loses_sessions: bool,
    /// Who runs the members' health checks (a pool's balancer, an element or a
    /// redundancy group whose active member checks): a member it cannot reach counts
    /// as failed, and is taken out of rotation by the check like any other failure.
    pub checked_from: Option<crate::model::NodeRef>,
    /// A member back in health re-enters the rotation only after this long (HAProxy
    /// `rise` good checks × `inter`).
    pub readmit_secs: f64,
    /// Seconds between the members' health checks (HAProxy `inter`); 0 without a check.
    pub check_interval_secs: f64,
}

impl SimProfile {
    /// A group with only a behaviour and none of the optional parts.
    pub fn plain(behaviour: Behaviour) -> SimProfile {
        SimProfile {
            behaviour,
            standby_blocks_transit: false,
            host_local: false,
            preempt: false,
            takeover_is_client_caches: false,
            checked_from_entries: false,
            peers_same_segment: false,
            counts_split_brain: false,
            counts_dual_masters: false,
            keeps_promoted: false,
            fences: false,
            listens_before_claiming: false,
            preempt_timer_from_ready: false,
            cold_standby: false,
            rebuild: None,
            stp: None,
            loses_sessions: false,
            checked_from: None,
            readmit_secs: 0.0,
            check_interval_secs: 0.0,
        }
    }
}
