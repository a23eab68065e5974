//! The compiled model: the small generic core every mechanism lowers into.
//!
//! - **Elements** fail and are repaired: components, links and sites.
//! - **Requirements** (`Req`) say what an element or a service needs to work:
//!   all / any / at-least-k gates over other elements, groups and network paths.
//! - **Links** join network endpoints; whether a path exists is a graph question.
//! - **Groups** are redundancy sets (bond, RAID, VRRP, cluster, LB pool, ...), with the
//!   switchover timing (detection, takeover) and what their detector can see.
//!
//! Ids are dense indices assigned in sorted-name order, so they are stable for a given
//! scenario whatever the order of its text. The petgraph [`Model::graph`] mirrors the
//! dependencies for traversal, export and display.

mod build;
pub mod eval;
mod network;
mod quorum;
mod reach;
pub mod roles;

pub use build::{LowerCx, ModelBuilder, Target};
pub use network::{has_address, NetworkIndex, FORWARDING, SWITCHING};
pub use quorum::Votes;
pub use reach::service_path_gaps;

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::syntax::Span;
use crate::units::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ElementId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(pub u32);

/// The architectural layer an element belongs to; drives layout and export styling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    Site,
    Power,
    Entry,
    Network,
    Compute,
    Storage,
    Software,
    Operations,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Site => "site",
            Layer::Power => "power",
            Layer::Entry => "entry",
            Layer::Network => "network",
            Layer::Compute => "compute",
            Layer::Storage => "storage",
            Layer::Software => "software",
            Layer::Operations => "operations",
        }
    }
}

/// Time-to-failure distribution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Distribution {
    Exponential,
    /// Weibull with this shape; the scale is chosen so the mean equals the MTBF.
    Weibull {
        shape: f64,
    },
    /// Lognormal with this sigma; mu is chosen so the mean equals the MTBF.
    Lognormal {
        sigma: f64,
    },
}

/// How an element fails and is repaired.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FailureModel {
    pub mtbf_secs: f64,
    pub mttr_secs: f64,
    pub distribution: Distribution,
}

impl FailureModel {
    /// Whether its time to failure is exponential (memoryless), as the Markov chains
    /// of the exact analysis take it.
    pub fn memoryless(&self) -> bool {
        matches!(self.distribution, Distribution::Exponential)
    }

    /// Steady-state availability MTBF / (MTBF + MTTR).
    pub fn availability(&self) -> f64 {
        self.mtbf_secs / (self.mtbf_secs + self.mttr_secs)
    }
}

/// A typed attribute kept for reports, the inspector and the simulator.
#[derive(Clone, Debug, PartialEq)]
pub enum Attr {
    Secs(f64),
    Watts(f64),
    Count(u64),
    Ratio(f64),
    Text(String),
    Flag(bool),
}

impl std::fmt::Display for Attr {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Attr::Secs(s) => write!(f, "{}", Duration::from_secs(*s)),
            Attr::Watts(w) => write!(f, "{w} W"),
            Attr::Count(n) => write!(f, "{n}"),
            Attr::Ratio(r) => write!(f, "{}%", r * 100.0),
            Attr::Text(t) => f.write_str(t),
            Attr::Flag(b) => write!(f, "{b}"),
        }
    }
}

pub type Attrs = BTreeMap<&'static str, Attr>;

#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub id: ElementId,
    /// The scenario id ("web-1"), or a derived one for parts written inline ("web-1/psu-1").
    pub name: String,
    pub kind: &'static str,
    pub layer: Layer,
    pub site: Option<ElementId>,
    /// `None`: never fails on its own (e.g. the internet entry point).
    pub failure: Option<FailureModel>,
    /// What must hold for this element to work, besides being up itself.
    pub needs: Req,
    /// A UPS's battery: how long it carries its load after its input is lost.
    pub battery_runtime_secs: Option<f64>,
    /// A DR site's recovery time objective: how long bringing it into service takes.
    pub dr_rto_secs: Option<f64>,
    /// A standby generator behind a utility feed (`mechanisms::generator`).
    pub generator: Option<Generator>,
    /// An automatic transfer switch's inputs and timing (`mechanisms::transfer_switch`).
    pub transfer_switch: Option<TransferSwitch>,
    /// A stateful firewall's connection table (`mechanisms::firewall`).
    pub firewall: Option<Firewall>,
    /// A DB connection pool's firewalls and timeouts (`mechanisms::firewall`).
    pub connection_pool: Option<ConnectionPool>,
    /// Seconds it takes to return to service once its power is back: self test, boot,
    /// services started (`mechanisms::restart`); 0: at once.
    pub restart_secs: f64,
    /// Its PSUs and how many of them it needs (`mechanisms::power`); empty when power is
    /// not modelled. Losing them is what makes it restart.
    pub psus: Vec<ElementId>,
    pub psus_needed: u32,
    pub attrs: Attrs,
    pub span: Span,
}

impl Element {
    /// Steady-state probability of being down in the ideal view, with `extra_down_secs`
    /// added to every repair (a RAID slot's rebuild): (MTTR + extra) / (MTBF + MTTR +
    /// extra), and for a generator also failing to start when called on, independently:
    /// 1 − (1 − that) · (1 − p_start).
    pub fn unavailability(&self, extra_down_secs: f64) -> f64 {
        let own = self.failure.map_or(0.0, |f| {
            let down = f.mttr_secs + extra_down_secs;
            down / (f.mtbf_secs + down)
        });
        match self.generator {
            Some(g) => 1.0 - (1.0 - own) * (1.0 - g.fail_to_start),
            None => own,
        }
    }
}

/// A standby generator: idle while the feed it backs has utility power; started when
/// it loses it (an automatic transfer switch moves the load once it runs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Generator {
    /// The utility feed it backs.
    pub feed: ElementId,
    /// From the utility's loss to carrying the load.
    pub start_secs: f64,
    /// Probability that a start fails (per demand).
    pub fail_to_start: f64,
}

/// An automatic transfer switch: fed from `preferred` while it has power, else from
/// `alternate`; each move breaks the output for `transfer_secs`, which drops the loads
/// when longer than their `ride_through_secs`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TransferSwitch {
    pub preferred: ElementId,
    pub alternate: ElementId,
    /// Seconds the output is off during a move (break before make).
    pub transfer_secs: f64,
    /// Seconds the loads bridge a total loss of voltage (their PSUs' hold-up).
    pub ride_through_secs: f64,
}

/// A stateful firewall: it forwards a TCP segment only for a connection in its table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Firewall {
    /// Its table is copied to the other member of its pair (FortiGate `session-pickup`,
    /// Cisco ASA stateful failover, PAN-OS HA session sync, pfsync), so established
    /// connections survive a move between them.
    pub session_sync: bool,
    /// Seconds an established connection may sit idle before the firewall drops it from
    /// its table, silently (`mechanisms::firewall::DEFAULT_IDLE_TIMEOUT_SECS` by default).
    pub idle_timeout_secs: f64,
}

/// A stretch with no query on a pool's connections, recurring (`mechanisms::firewall`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quiet {
    /// Seconds each quiet stretch lasts.
    pub lasts_secs: f64,
    /// Seconds from the end of one quiet stretch to the end of the next.
    pub every_secs: f64,
}

/// How a pool checks a connection it hands out after the connection sat idle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolValidation {
    /// A check with a timeout before the connection is handed out (HikariCP always
    /// checks a connection idle for more than 500 ms).
    OnBorrow,
    /// None: the query itself finds the connection dead.
    None,
}

/// A DB connection pool whose connections cross stateful firewalls.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionPool {
    /// What its connections cross, in series: `Req::Element` of a firewall, or
    /// `Req::Group` of a VRRP or HSRP pair of firewalls (crossed through the member
    /// holding the pair's address).
    pub through: Vec<Req>,
    /// The JDBC driver's socket (read) timeout, seconds, if set.
    pub socket_timeout_secs: Option<f64>,
    /// Connections kept open at least (`min`).
    pub min_connections: u32,
    /// Seconds after which the pool closes an idle connection, if it does.
    pub idle_timeout_secs: Option<f64>,
    /// Seconds between the pool's keepalive queries on idle connections, if it sends any.
    pub keepalive_secs: Option<f64>,
    /// The owner's recurring quiet stretches, if declared.
    pub quiet: Option<Quiet>,
    /// How it checks a connection that sat idle.
    pub validation: PoolValidation,
}

impl ConnectionPool {
    /// Seconds a request on a connection whose firewall state is gone waits before it
    /// fails and the pool drops the connection: the driver's socket timeout, else (and at
    /// most) the kernel's TCP give-up (`mechanisms::firewall::TCP_GIVE_UP_SECS`), which
    /// ends the connection once its query's segments go unacknowledged that long.
    pub fn hang_secs(&self) -> f64 {
        // The kernel gives up on unacknowledged data at its own time, whatever the
        // driver's timeout: a longer socket timeout never waits longer than that.
        let give_up = crate::mechanisms::firewall::TCP_GIVE_UP_SECS;
        self.socket_timeout_secs.map_or(give_up, |t| t.min(give_up))
    }

    /// Seconds the pool serves nothing after a quiet stretch that left every idle
    /// connection dead (`mechanisms::firewall::after_quiet_hang_secs`).
    pub fn after_quiet_hang_secs(&self) -> f64 {
        crate::mechanisms::firewall::after_quiet_hang_secs(self)
    }
}

/// A requirement gate. `Any` is `AtLeast { k: 1 }`; `All` is `AtLeast { k: n }`.
#[derive(Clone, Debug, PartialEq)]
pub enum Req {
    Always,
    Element(ElementId),
    Group(GroupId),
    All(Vec<Req>),
    AtLeast {
        k: u32,
        of: Vec<Req>,
    },
    /// A working network path between two endpoints.
    Path {
        from: ElementId,
        to: ElementId,
        /// A probe (a bond's ARP request and reply) rather than traffic: it crosses
        /// switches only (one L2 segment; docs/SEMANTICS.md §2 `Probe`) in every
        /// engine, and in the simulator a standby member of a transit-blocking group
        /// sends and hears it too (no engine lets a role block a probe; roles block
        /// only the service chain's paths, §4 "Only the holder forwards").
        probe: bool,
    },
}

impl Req {
    pub fn any(of: Vec<Req>) -> Req {
        Req::AtLeast { k: 1, of }
    }

    /// The elements this requirement fails without, read through `All` only (an
    /// element under `AtLeast` or a group may be stood in for), in the order met.
    /// O(size of the requirement).
    pub fn strictly_required(&self) -> Vec<ElementId> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(r) = stack.pop() {
            match r {
                Req::Element(d) => out.push(*d),
                Req::All(of) => stack.extend(of.iter().rev()),
                _ => {}
            }
        }
        out
    }

    /// Conjunction that keeps the tree flat and drops `Always`.
    pub fn and(self, other: Req) -> Req {
        match (self, other) {
            (Req::Always, r) | (r, Req::Always) => r,
            (Req::All(mut a), Req::All(b)) => {
                a.extend(b);
                Req::All(a)
            }
            (Req::All(mut a), r) => {
                a.push(r);
                Req::All(a)
            }
            (r, Req::All(mut b)) => {
                b.insert(0, r);
                Req::All(b)
            }
            (a, b) => Req::All(vec![a, b]),
        }
    }

    /// This requirement with every `Element(e)` for which `f` gives a requirement
    /// replaced by it (the rest kept); for finishers that refine a need once the whole
    /// design is known (DNS servers and sync replicas that must also be reached).
    pub fn with_elements_replaced(self, f: &dyn Fn(ElementId) -> Option<Req>) -> Req {
        match self {
            Req::Element(e) => f(e).unwrap_or(Req::Element(e)),
            Req::All(all) => Req::All(all.into_iter().map(|r| r.with_elements_replaced(f)).collect()),
            Req::AtLeast { k, of } => {
                Req::AtLeast { k, of: of.into_iter().map(|r| r.with_elements_replaced(f)).collect() }
            }
            other => other,
        }
    }

    /// Every element and group this requirement mentions, in order.
    pub fn visit(&self, f: &mut impl FnMut(&Req)) {
        f(self);
        match self {
            Req::All(of) | Req::AtLeast { of, .. } => of.iter().for_each(|r| r.visit(f)),
            _ => {}
        }
    }
}

/// The physical medium of a link; export styles edges by it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Medium {
    /// A server NIC cabled to a switch port.
    Access,
    /// Inter-switch link carrying one VLAN.
    Cascade,
    /// Inter-switch link carrying several VLANs.
    Trunk { vlans: Vec<u16> },
    /// An uplink to a router, firewall, load balancer or the entry point.
    Uplink,
    /// Fibre Channel, on the storage network.
    FibreChannel,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The link is itself an element: cables and ports fail.
    pub element: ElementId,
    pub a: ElementId,
    pub b: ElementId,
    pub medium: Medium,
}

/// What a group's failure detector can observe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Only the local link state (bond MII): blind to failures further upstream.
    LocalLink,
    /// End-to-end probes to targets: a member looks healthy while it reaches any of
    /// them (bond ARP monitoring with Linux's default `arp_all_targets any`, multipath
    /// path checkers), or with `all` every one (`arp_all_targets all`). `l2`: the
    /// probe is ARP, which stays within one L2 segment (switches only) and is answered
    /// by a target whatever its role in a group (a VRRP backup answers for its own
    /// address).
    PathTo { targets: Vec<ElementId>, l2: bool, all: bool },
    /// Heartbeats or adverts between the members (VRRP, cluster, STP BPDUs).
    Peers,
    /// Nothing: clients find out themselves (DNS round robin).
    Nothing,
    /// Probes from the clients' side (the entries of the services through the group:
    /// GSLB checkers sit on the internet). Per member, how many tiers further along the
    /// service's chain a probe's request is carried: 0 for a TCP connect to the front
    /// door, 1 for an HTTP status through a balancer (HAProxy answers 503 when no
    /// server is available), `u32::MAX` for a content check whose page exercises
    /// every tier.
    Probes { onward_tiers: Vec<u32> },
}

/// How a group fails over.
#[derive(Clone, Debug, PartialEq)]
pub struct Switchover {
    pub detect_secs: f64,
    pub takeover_secs: f64,
    pub sees: Visibility,
}

/// Group timing the static analysis must solve rather than multiply out.
#[derive(Clone, Debug, PartialEq)]
pub enum Dynamics {
    /// RAID: a slot stays unprotected until its rebuild ends, onto a hot spare at once
    /// or onto the replacement disk after the repair. `mirror_pairs` (RAID 10): members
    /// (0, 1), (2, 3), … mirror each other, and the data is lost when both slots of one
    /// pair are unprotected (the group's needs say so on the members).
    Rebuild { rebuild_secs: f64, hot_spares: u32, read_errors: Option<ReadErrorRisk>, mirror_pairs: bool },
    /// An active-standby group whose standbys are off (do not fail) while they wait.
    ColdStandby,
}

/// The chance that a RAID rebuild with no redundancy left meets an unrecoverable read
/// error (URE) and loses the data (`mechanisms::raid`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReadErrorRisk {
    /// Expected read errors in one exposed rebuild: −bits · ln(1 − p), with p the error
    /// rate per bit read; the first error falls where this Poisson stream puts it.
    pub expected_errors: f64,
    /// RAID10 reads the one mirror partner, always the last copy; other levels are
    /// exposed only when the slot being rebuilt leaves no other redundancy.
    pub always_exposed: bool,
}

impl ReadErrorRisk {
    /// Probability that an exposed rebuild fails: 1 − (1 − p)^bits = 1 − e^(−λ).
    pub fn failure_probability(&self) -> f64 {
        -(-self.expected_errors).exp_m1()
    }

    /// Whether a rebuild that starts with `ok_others` of the other slots holding data,
    /// in a group that needs `need` slots, has no redundancy left to correct an error.
    pub fn exposed(&self, ok_others: usize, need: usize) -> bool {
        self.always_exposed || ok_others <= need
    }
}

/// How many members a group needs, and in which arrangement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arrangement {
    /// One member serves at a time; the others wait (members in priority order).
    ActiveStandby,
    /// Members serve together; the group works while at least `need` members work.
    ActiveActive { need: u32 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub kind: &'static str,
    pub members: Vec<ElementId>,
    pub arrangement: Arrangement,
    pub switchover: Option<Switchover>,
    /// Per member (group order): seconds until that member, as the backup that takes
    /// over, declares the active down, when members differ (VRRP: each backup's own
    /// Master_Down_Interval, whose Skew_Time falls with its priority, RFC 5798 §6.1).
    /// Empty: every member detects in `switchover.detect_secs`.
    pub member_detect_secs: Vec<f64>,
    /// Per member (group order): seconds from the moment it outranks the active with
    /// preemption on until it holds the role, the active serving meanwhile (VRRP: its
    /// Master_Down_Interval, since a preempting backup discards the lower-priority
    /// adverts until its timer fires, RFC 5798 §6.4.2; HSRP: one hello, whose coup it
    /// answers, RFC 2281 §5). Empty: at once.
    pub member_preempt_secs: Vec<f64>,
    /// Requirements of the group itself beyond its members.
    pub needs: Req,
    /// Members hold the role only in a partition with a majority of votes (one per
    /// node, plus the quorum device): see docs/SEMANTICS.md §3 and [`Model::votes`].
    pub vote_quorum: bool,
    /// Timing that changes the steady-state figure, solved by the analyzer as a Markov
    /// chain (see `analysis::dynamic`).
    pub dynamics: Option<Dynamics>,
    /// What a takeover needs at the moment it happens (active-standby only; see
    /// docs/SEMANTICS.md §3 and `mechanisms::precondition`).
    pub takeover_requires: Option<TakeoverRequires>,
    /// Interface and object tracking of a VRRP/HSRP group (`mechanisms::vrrp`): what
    /// each member watches besides its peers' adverts.
    pub track: Option<Track>,
    /// The switches of the L2 segment a VRRP/HSRP group's virtual IP and adverts live
    /// on (`segment`); empty: any L2 path between the members carries them.
    pub advert_segment: Vec<ElementId>,
    /// Switches a VRRP/HSRP group's multicast adverts cannot cross (they drop multicast:
    /// a cloud network, a misconfigured virtual switch); empty with unicast adverts.
    pub advert_blockers: Vec<ElementId>,
    pub attrs: Attrs,
    pub span: Span,
}

/// Interface and object tracking (keepalived `track_interface`, Cisco HSRP `track`): a
/// member whose tracked objects fail gives up the virtual IP, which the backups'
/// adverts alone never see.
#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    /// Per member (group order): the components and links it tracks.
    pub objects: Vec<Vec<ElementId>>,
    /// Per member: its configured priority.
    pub priorities: Vec<u32>,
    /// Priority lost per failed object; `None`: the member goes to FAULT and serves no
    /// more while any tracked object is down (keepalived's default, weight 0).
    pub decrement: Option<u32>,
    /// Whether the scenario wrote the decrement (else it is the kind's default).
    pub decrement_given: bool,
    /// Per member (group order), seconds from the tracked failure to that member's
    /// takeover as the backup: its VRRP Skew_Time after the master's priority-0 advert
    /// (RFC 5798 §6.4.2) in FAULT mode, its Master_Down_Interval when the priority only
    /// drops (the backup discards the lower-priority adverts and preempts), HSRP one
    /// hello (the standby's coup).
    pub switch_secs: Vec<f64>,
}

/// Failover preconditions of an active-standby group: components its takeover needs at
/// the moment it happens (a control plane, an orchestrator), not in steady state.
#[derive(Clone, Debug, PartialEq)]
pub struct TakeoverRequires {
    pub req: Req,
    /// The group returns to its first member whenever that member works (VRRP/HSRP
    /// preemption): only a takeover by another member needs `req`. Without it the
    /// active member is not known statically, and any takeover may need `req`.
    pub preempts: bool,
}

/// A dependency edge kind, for traversal, export and explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    Power,
    Network,
    Storage,
    Hosting,
    Member,
    Quorum,
    Replication,
    Site,
    Monitors,
    Backs,
    Serves,
    /// A takeover needs it at that moment (a failover precondition).
    Precondition,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Power => "power",
            EdgeKind::Network => "network",
            EdgeKind::Storage => "storage",
            EdgeKind::Hosting => "hosting",
            EdgeKind::Member => "member",
            EdgeKind::Quorum => "quorum",
            EdgeKind::Replication => "replication",
            EdgeKind::Site => "site",
            EdgeKind::Monitors => "monitors",
            EdgeKind::Backs => "backs",
            EdgeKind::Serves => "serves",
            EdgeKind::Precondition => "precondition",
        }
    }
}

/// A graph node: an element, a group or a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeRef {
    Element(ElementId),
    Group(GroupId),
    Service(u32),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub name: String,
    /// The entry point users come from.
    pub from: ElementId,
    /// The tiers a request passes through, in order (elements or groups).
    pub through: Vec<NodeRef>,
    pub needs: Req,
    pub span: Span,
}

/// Targets a CI run checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    pub service: Option<usize>,
    pub min_availability: Option<f64>,
    /// Two-sided: (low, high) the exact availability must lie in.
    pub availability_between: Option<(f64, f64)>,
    pub max_spofs: Option<u32>,
    pub max_rpo_secs: Option<f64>,
    pub max_rto_secs: Option<f64>,
    pub max_downtime_per_year_secs: Option<f64>,
    /// Simulated mean downtime per year.
    pub max_simulated_downtime_secs: Option<f64>,
    /// Simulated 99th-percentile downtime per year.
    pub max_p99_downtime_secs: Option<f64>,
    /// Exactly these SPOFs, sorted by id.
    pub spofs: Option<Vec<ElementId>>,
    /// Canonical codes of findings that must be reported.
    pub findings: Vec<&'static str>,
    /// Targets on one named drill's outcome.
    pub drill: Option<DrillTargets>,
    pub span: Span,
}

/// What an expectation asserts about one named drill, run alone.
#[derive(Clone, Debug, PartialEq)]
pub struct DrillTargets {
    /// The drill's name.
    pub name: String,
    /// Longest single outage allowed.
    pub max_outage_secs: Option<f64>,
    /// Longest window of lost writes allowed.
    pub max_data_loss_secs: Option<f64>,
    /// Most time partly serving allowed, in all.
    pub max_degraded_secs: Option<f64>,
    /// No moment with two primaries.
    pub no_split_brain: bool,
    /// No moment with two VRRP/HSRP masters.
    pub no_two_masters: bool,
}

/// An accepted finding: `code` (canonical) on `subject` (or on every subject).
#[derive(Clone, Debug, PartialEq)]
pub struct Suppression {
    pub code: &'static str,
    pub subject: Option<String>,
    pub reason: String,
    pub span: Span,
}

impl Suppression {
    pub fn covers(&self, code: &str, subject: &str) -> bool {
        self.code == code && self.subject.as_deref().is_none_or(|s| s == subject)
    }
}

/// A scripted failure: fail `element` at `at_secs` for `for_secs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Drill {
    /// Its name, when it has one (expectations judge named drills).
    pub name: Option<String>,
    pub element: ElementId,
    pub at_secs: f64,
    pub for_secs: f64,
    /// The rebuild this disk's failure starts meets an unrecoverable read error, when it
    /// has no redundancy left (the worst case of a RAID rebuild, rehearsed).
    pub read_error: bool,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Model {
    pub name: String,
    pub description: String,
    pub elements: Vec<Element>,
    pub links: Vec<Link>,
    /// Connections that cannot fail on their own (a NIC in its server, a process on
    /// its host): network paths pass through them.
    pub attachments: Vec<(ElementId, ElementId)>,
    pub groups: Vec<Group>,
    pub services: Vec<Service>,
    pub expectations: Vec<Expectation>,
    pub drills: Vec<Drill>,
    /// How long an unmonitored failure goes unnoticed (users report it).
    pub noticed_by_users_secs: f64,
    /// Repairs that can run at once; `None`: no limit.
    pub repair_crews: Option<u32>,
    /// Per element (by id), in the model with detection-lengthened repairs only
    /// (`timed::detected_model`): the delay before its repair starts, as (probability,
    /// seconds) pairs, whose mean its `mttr_secs` already includes. Empty otherwise.
    /// The exact analysis's battery modules need the delay apart from the repair
    /// (`analysis::dynamic::outage_window`).
    pub repair_delays: Vec<Vec<(f64, f64)>>,
    /// Accepted findings, each with its reason.
    pub suppressions: Vec<Suppression>,
    /// Dependencies as a graph: an edge `a → b` means "a depends on b".
    pub graph: DiGraph<NodeRef, EdgeKind>,
    pub node_of: BTreeMap<NodeRef, NodeIndex>,
}

impl Model {
    pub fn element(&self, id: ElementId) -> &Element {
        &self.elements[id.0 as usize]
    }

    pub fn group(&self, id: GroupId) -> &Group {
        &self.groups[id.0 as usize]
    }

    pub fn element_by_name(&self, name: &str) -> Option<&Element> {
        self.elements.binary_search_by(|e| e.name.as_str().cmp(name)).ok().map(|i| &self.elements[i])
    }

    pub fn name_of(&self, node: NodeRef) -> &str {
        match node {
            NodeRef::Element(e) => &self.element(e).name,
            NodeRef::Group(g) => &self.group(g).name,
            NodeRef::Service(s) => &self.services[s as usize].name,
        }
    }

    /// How many members of tier `node` must lie on a chain for a service through it
    /// (docs/SEMANTICS.md §4): an active-active group's `need`, else 1.
    pub fn tier_need(&self, node: NodeRef) -> usize {
        match node {
            NodeRef::Group(g) => match self.group(g).arrangement {
                Arrangement::ActiveActive { need } => (need as usize).max(1),
                Arrangement::ActiveStandby => 1,
            },
            _ => 1,
        }
    }

    /// A stable one-line-per-item text summary, used by snapshot tests and `validate -v`.
    pub fn summary(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let count = |n: usize, word: &str| if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") };
        let _ = writeln!(
            out,
            "model {}: {}, {}, {}, {}, {}",
            self.name,
            count(self.elements.len(), "element"),
            count(self.links.len(), "link"),
            count(self.groups.len(), "group"),
            count(self.services.len(), "service"),
            match self.graph.edge_count() {
                1 => "1 dependency".to_string(),
                n => format!("{n} dependencies"),
            }
        );
        for e in &self.elements {
            let fm = e.failure.map_or("never fails".to_string(), |f| format!("A={:.6}", f.availability()));
            let _ = write!(out, "  {} {} [{}] {fm}", e.kind, e.name, e.layer.as_str());
            write_attrs(&mut out, &e.attrs);
            if !matches!(e.needs, Req::Always) {
                let _ = write!(out, " needs {}", self.show_req(&e.needs));
            }
            let _ = writeln!(out);
        }
        for l in &self.links {
            let _ = writeln!(
                out,
                "  link {} = {} -- {} ({:?})",
                self.element(l.element).name,
                self.element(l.a).name,
                self.element(l.b).name,
                l.medium
            );
        }
        for g in &self.groups {
            let members: Vec<&str> = g.members.iter().map(|&m| self.element(m).name.as_str()).collect();
            let _ = write!(out, "  group {} {} {:?} of [{}]", g.kind, g.name, g.arrangement, members.join(", "));
            if let Some(s) = &g.switchover {
                let _ = write!(
                    out,
                    " detect {} takeover {}",
                    Duration::from_secs(s.detect_secs),
                    Duration::from_secs(s.takeover_secs)
                );
            }
            write_attrs(&mut out, &g.attrs);
            let _ = writeln!(out);
        }
        for s in &self.services {
            let _ = writeln!(out, "  service {} needs {}", s.name, self.show_req(&s.needs));
        }
        out
    }

    /// Renders a requirement as text, e.g. `all(pdu-a, any(psu-1, psu-2))`.
    pub fn show_req(&self, req: &Req) -> String {
        match req {
            Req::Always => "always".into(),
            Req::Element(e) => self.element(*e).name.clone(),
            Req::Group(g) => format!("group:{}", self.group(*g).name),
            Req::All(of) => format!("all({})", of.iter().map(|r| self.show_req(r)).collect::<Vec<_>>().join(", ")),
            Req::AtLeast { k, of } => {
                let inner = of.iter().map(|r| self.show_req(r)).collect::<Vec<_>>().join(", ");
                if *k == 1 {
                    format!("any({inner})")
                } else {
                    format!("{k}-of({inner})")
                }
            }
            Req::Path { from, to, .. } => format!("path({} -> {})", self.element(*from).name, self.element(*to).name),
        }
    }
}

fn write_attrs(out: &mut String, attrs: &Attrs) {
    use std::fmt::Write;
    if !attrs.is_empty() {
        let text: Vec<String> = attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = write!(out, " {{{}}}", text.join(", "));
    }
}

// --- typed attribute access and dependency-edge queries, shared by lints and simulator ---

pub fn text_attr<'a>(attrs: &'a Attrs, key: &str) -> Option<&'a str> {
    match attrs.get(key) {
        Some(Attr::Text(t)) => Some(t),
        _ => None,
    }
}

pub fn secs_attr(attrs: &Attrs, key: &str) -> Option<f64> {
    match attrs.get(key) {
        Some(Attr::Secs(s)) => Some(*s),
        _ => None,
    }
}

pub fn count_attr(attrs: &Attrs, key: &str) -> Option<u64> {
    match attrs.get(key) {
        Some(Attr::Count(n)) => Some(*n),
        _ => None,
    }
}

pub fn watts_attr(attrs: &Attrs, key: &str) -> Option<f64> {
    match attrs.get(key) {
        Some(Attr::Watts(w)) => Some(*w),
        _ => None,
    }
}

/// Targets of edges of `kind` leaving `node`.
pub fn edge_targets(model: &Model, node: NodeRef, kind: EdgeKind) -> Vec<NodeRef> {
    use petgraph::visit::EdgeRef;
    let Some(&idx) = model.node_of.get(&node) else { return Vec::new() };
    let mut out: Vec<NodeRef> =
        model.graph.edges(idx).filter(|e| *e.weight() == kind).map(|e| model.graph[e.target()]).collect();
    out.sort();
    out
}

/// Sources of edges of `kind` entering `node`.
pub fn edge_sources(model: &Model, node: NodeRef, kind: EdgeKind) -> Vec<NodeRef> {
    use petgraph::visit::EdgeRef;
    let Some(&idx) = model.node_of.get(&node) else { return Vec::new() };
    let mut out: Vec<NodeRef> = model
        .graph
        .edges_directed(idx, petgraph::Direction::Incoming)
        .filter(|e| *e.weight() == kind)
        .map(|e| model.graph[e.source()])
        .collect();
    out.sort();
    out
}
