//! Renderers for analysis results, one format per file.

pub mod analysis_json;
pub mod analysis_markdown;
pub mod analysis_text;
pub mod check_github;
pub mod check_json;
pub mod check_junit;
pub mod check_markdown;
pub mod check_sarif;
pub mod check_text;
pub mod diff_json;
pub mod diff_markdown;
pub mod diff_text;
pub mod folder;
pub mod html;
pub mod rare_json;
pub mod rare_markdown;
pub mod rare_text;
pub mod simulate_json;
pub mod simulate_markdown;
pub mod simulate_text;

/// A scenario's text as loaded: one file, or the files an `extends` chain joins, base
/// first. Spans index the layers one after another (`sim_core::scenario::layer_offsets`).
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// (path as shown, text), base first; the last is the file named on the command line.
    pub layers: Vec<(String, String)>,
}

impl Sources {
    pub fn single(path: &str, text: &str) -> Sources {
        Sources { layers: vec![(path.to_string(), text.to_string())] }
    }

    pub fn texts(&self) -> Vec<&str> {
        self.layers.iter().map(|(_, t)| t.as_str()).collect()
    }

    /// Every layer's text, joined so that offsets match the spans (for hashes).
    pub fn joined(&self) -> String {
        self.texts().join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.layers.iter().all(|(_, t)| t.is_empty())
    }

    /// The layer holding `span` and the span within it.
    pub fn locate(&self, span: sim_core::syntax::Span) -> (&str, &str, sim_core::syntax::Span) {
        let offsets = sim_core::scenario::layer_offsets(&self.texts());
        let (layer, local) = sim_core::scenario::locate(&offsets, span);
        match self.layers.get(layer) {
            Some((path, text)) => (path, text, local),
            None => ("", "", local),
        }
    }

    /// File, line and column (1-based) where `span` starts.
    pub fn position(&self, span: sim_core::syntax::Span) -> (&str, usize, usize) {
        let (path, text, local) = self.locate(span);
        let (line, column) = sim_core::syntax::LineIndex::new(text).line_col(text, local.start as usize);
        (path, line, column)
    }
}

/// One checked scenario: its path and results, or why it could not be checked.
pub struct Checked {
    pub path: String,
    pub result: Result<sim_core::check::ScenarioCheck, String>,
    /// The scenario's files, to turn spans into file:line:column.
    pub sources: Sources,
}

use sim_core::analysis::{FaultTree, TreeResult};

/// One analysed top event: a scenario service or an imported fault tree.
pub struct Analysed<'a> {
    pub name: String,
    /// "service" or "fault tree".
    pub what: &'static str,
    /// The tree and its results, or why exact analysis was not done.
    pub result: Result<(&'a FaultTree, TreeResult), String>,
    /// Certified bounds on the unavailability, when the exact analysis was not done: on
    /// the true figure ([`sim_core::analysis::bounds::Bounds::for_true_figure`]).
    pub bounds: Option<sim_core::analysis::bounds::Bounds>,
    /// The static model's bounds, where they were widened into [`Self::bounds`], and why.
    pub static_bounds: Option<(sim_core::analysis::bounds::Bounds, &'static str)>,
    /// The figure with detection and failover time ([`sim_core::timed`]), for services.
    pub timed: Option<Result<sim_core::timed::TimedFigure, String>>,
    /// For a fault tree beyond the exact analysis: its order-1 cut sets (event names,
    /// sorted), found by direct evaluation.
    pub single_events: Option<Vec<String>>,
}

/// How the figure with timings is made, printed with it.
pub const TIMED_NOTE: &str = "repairs start only when a monitor or the users notice (each element down for its mean detection delay plus its MTTR, exact), plus the failover term: Σ over elements of failures per second × the service's outage when that element alone fails (a drill with every mechanism's timing, failover delays and devices booting after a power loss alike), first order (each failure counted as if everything else were up and lasting its mean time: a loss UPS batteries carry at first, or of a feed a standby generator backs, is drilled once per stretch of outage lengths between the batteries' runtimes and the generator's start, each weighted by its chance, so a boot after a battery runs out counts with the chance that the outage outlasts it; and each group taken as serving from its first member, except that a group that does not fail back (a bond without `primary` or with `primary_reselect` failure or better, HSRP and VRRP without preemption, a cluster) is drilled again serving from its second member, weighted by that member's share of the time, r₁/(r₁ + r₂ + r₁₂) from the rates at which its detector sees each member fail and both fail together; members beyond the second, which serve only while the first two are out, are left out, and with more than 20,000 such drills none is run and the term errs optimistic by the outage of the failures only the second member's detector misses, weighted by its share), its relative error otherwise about the other elements' unavailability; delays after several failures together are left out, up to the delay over that outage's length of those cut sets' share, except a standby generator down or failing to start when the feed it backs fails (the boot after the feed returns), which is drilled too and weighted by the generator's unavailability on demand, the drills with it running by the rest; `spofsim simulate` measures it; plus, where a connection pool's declared quiet stretches outlast a firewall's idle timeout, the idle-drop term: the service's outage after one stretch's end (the pools sharing a period together, from the all-up state) over the period, exact for that state; pools of different periods are played apart and their terms added, pessimistic by their overlap";

/// " only while vip serves from gw-2 (about 48% of the time)" for a single point of
/// failure that takes services down only then; empty otherwise.
pub fn only_while_text(s: &sim_core::analysis::findings::Spof) -> String {
    match &s.only_while {
        Some(h) => format!(
            " only while {} serves from {} (about {} of the time)",
            h.group,
            h.second,
            sim_core::analysis::findings::share_text(h.share)
        ),
        None => String::new(),
    }
}

/// The figures after a single point of failure's unavailability: behind UPS batteries
/// ([`sim_core::analysis::findings::BeyondBattery`]) "; 3.15e-4 beyond ups-1's 15m
/// battery, 3.93e-4 counting the wait to notice (mean 1h)"; elsewhere "; 5.70e-4
/// counting the wait to notice (mean 1h)" when the wait adds 10% or more, else "".
pub fn detected_and_battery_text(s: &sim_core::analysis::findings::Spof) -> String {
    let wait = sim_core::units::Duration::from_secs(s.detection_mean_secs).span();
    match &s.beyond_battery {
        Some(b) => format!(
            "; {:.2e} beyond {}'s {} battery, {:.2e} counting the wait to notice (mean {wait})",
            b.unavailability,
            b.ups,
            sim_core::units::Duration::from_secs(b.battery_secs),
            b.with_detection,
        ),
        // Beside a wait short against the repair the two agree to a few percent: shown
        // only when the wait adds a tenth or more.
        None if s.detected_probability >= 1.1 * s.probability => {
            format!("; {:.2e} counting the wait to notice (mean {wait})", s.detected_probability)
        }
        None => String::new(),
    }
}

/// "1.2e-5 (first order; r-1 3.609375s per failure 60%, ...)" for a figure's failover term.
pub fn failover_text(t: &sim_core::timed::TimedFigure) -> String {
    if t.down_as_elected {
        return format!(
            "{:.3e} (not a failover term: with nothing failed the members the groups elect cannot carry the service, which only a backup reaches, SPOF-L033, so it is counted down throughout; a lower bound on availability: it is up only while a failure moves the role to a member that can, which `spofsim simulate` measures)",
            t.failover
        );
    }
    let who: Vec<String> = t
        .contributors
        .iter()
        .map(|c| {
            format!(
                "{} {} per failure{} {:.0}%",
                c.element,
                sim_core::units::Duration::from_secs(c.outage_secs).human(),
                if c.averaged_over_serving_member { " (mean over the serving member)" } else { "" },
                c.share * 100.0
            )
        })
        .collect();
    let range = if t.first_order_holds() {
        String::new()
    } else {
        format!(
            "; ABOVE {:e}, where a first-order sum means nothing: the delays rival the time between failures, run `spofsim simulate`",
            sim_core::timed::FIRST_ORDER_LIMIT
        )
    };
    if who.is_empty() {
        format!("{:.3e} (no single failure interrupts the service){range}", t.failover)
    } else {
        format!("{:.3e} (first order; biggest: {}){range}", t.failover, who.join(", "))
    }
}

/// "4.2e-4 (ap-1-ds: 36s after each quiet stretch's end, every 1d)" for a figure's
/// idle-drop term, or `None` when no pool's quiet stretch takes the service down.
pub fn idle_drops_text(t: &sim_core::timed::TimedFigure) -> Option<String> {
    if t.quiet.is_empty() {
        return None;
    }
    let parts: Vec<String> = t
        .quiet
        .iter()
        .map(|q| {
            format!(
                "{}: {} after each quiet stretch's end, every {}",
                q.pools.join(", "),
                sim_core::units::Duration::from_secs(q.outage_secs).human(),
                sim_core::units::Duration::from_secs(q.every_secs).human()
            )
        })
        .collect();
    Some(format!("{:.3e} (pooled connections a firewall dropped while idle; {})", t.idle_drops, parts.join("; ")))
}

/// A lint finding with its position in the scenario file.
pub struct LintRow<'a> {
    pub finding: &'a sim_core::lints::Finding,
    /// The file the finding points into (the base file for an entry it declares).
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// What certified bounds rest on, printed with them.
pub const BOUNDS_NOTE: &str = "the bounds sort failure states by how many elements have failed: a state with a failed SPOF is down and one with no other failure, or one, is up; then pairs are decided by one single-failure dataflow run per element and, for designs of up to 2,000 failable elements, triples by one run per pair, most probable first, as far as the work budget allows; every state left undecided counts as down in the upper bound and up in the lower, for the static model: independent elements, each down for its repair (a RAID slot also for its rebuild). Hot spares, cold standby, UPS batteries and takeover preconditions are not credited, which can take the true figure below the static one: the certified lower bound then weighs the down states with every element those parts can change never failing (their members, a cold member's host, all that a UPS battery bridges, the preconditions); a RAID slot whose replacement disk fails during its own rebuild starts over, which the certified upper bound allows for; limited repair crews, and a cold standby or RAID hot spares whose lifetimes (members, their hosts, disks) are not exponential, can raise the figure without a known bound, so the certified upper bound is then 1. `spofsim simulate` measures the figure with timings";

/// How bounds from the fault tree's approximating BDDs are made, printed with them.
pub const SUBSETTING_NOTE: &str = "the fault tree was compiled into two BDDs, one never true unless the top event is and one true whenever it is: each time one outgrew its size (4,096, then 16,384, then 65,536 nodes, as the work budget allowed), the nodes carrying the least probability were replaced by false in the first and by true in the second, and both probabilities were computed exactly (with the joint distribution of every solved dynamic part), so the tree's figure lies between them (where the tree reads a dynamic part as static or solves it apart from what it bridges, the lower end for the true figure is the failure states' instead)";

/// The notes that say what certified bounds rest on, one per method that contributed.
pub fn bounds_notes(b: &sim_core::analysis::bounds::Bounds) -> Vec<&'static str> {
    let mut notes = Vec::new();
    if b.from_states {
        notes.push(BOUNDS_NOTE);
    }
    if b.subsetting_cuts.is_some() {
        notes.push(SUBSETTING_NOTE);
    }
    notes
}

/// Why certified bounds stopped early, as a clause for the renderers ("" when complete).
pub fn bounds_halt(b: &sim_core::analysis::bounds::Bounds) -> String {
    use sim_core::analysis::bounds::Halt;
    match b.halt {
        _ if b.complete => String::new(),
        Some(Halt::WouldNotFinish { runs_needed }) => format!(
            "pairs of failures not tried: their {runs_needed} dataflow runs need more than ten times the work budget left (twice --budget-secs, counted in work)"
        ),
        Some(Halt::Budget(sim_core::analysis::budget::Spent::Clock)) => "wall-clock limit reached before the work budget, so these bounds depend on this machine's speed and load: a longer --budget-secs may narrow them".to_string(),
        Some(Halt::Budget(sim_core::analysis::budget::Spent::Work)) | None => {
            "work budget reached (--budget-secs, counted in work, so the same on every machine): a longer --budget-secs may narrow them".to_string()
        }
    }
}

/// Certified availability bounds as percentages to six decimals, rounded outward (the
/// lower down, the upper up), so the printed interval still holds the true figure;
/// `lower_u` and `upper_u` are the unavailability bounds.
pub fn availability_bounds_percent(lower_u: f64, upper_u: f64) -> (String, String) {
    let scale = 1e6;
    let low = ((1.0 - upper_u) * 100.0 * scale).floor() / scale;
    let high = (((1.0 - lower_u) * 100.0 * scale).ceil() / scale).min(100.0);
    (format!("{low:.6}%"), format!("{high:.6}%"))
}

/// Certified unavailability bounds to seven significant digits, rounded outward.
pub fn unavailability_bounds_sci(lower: f64, upper: f64) -> (String, String) {
    let outward = |v: f64, up: bool| {
        if v <= 0.0 || !v.is_finite() {
            return v;
        }
        let step = 10f64.powi(v.log10().floor() as i32 - 6);
        let n = v / step;
        // A value already on the grid (within float noise) stays where it is.
        let n = if (n - n.round()).abs() < 1e-6 {
            n.round()
        } else if up {
            n.ceil()
        } else {
            n.floor()
        };
        n * step
    };
    (format!("{:.6e}", outward(lower, false)), format!("{:.6e}", outward(upper, true)))
}

/// The assumptions every static result rests on.
pub const ASSUMPTIONS: &[&str] = &[
    "failures are independent (common causes are modelled as shared dependencies)",
    "every failover completes instantly and correctly, repairs start at once and devices are back the instant their power returns (the `with timings` figure and the simulation add detection and failover delays and boot times)",
    "each probability is the steady-state unavailability MTTR / (MTBF + MTTR)",
];

/// "4 nines" style: ⌊−log10(unavailability)⌋ as a decimal, e.g. 3.97.
/// The 95% interval "lo .. hi" (percent, five decimals, joined by `sep`), or "n/a,
/// 1 simulated year" when the run has fewer than two simulated years: batch means
/// over a single year give no interval at all, not a zero-width one.
/// A replay of the drills alone (`random_failures` off) has nothing random to bound:
/// "n/a, drills only".
pub fn ci95_text(ci: [f64; 2], simulated_years: f64, random_failures: bool, sep: &str) -> String {
    match no_ci95_reason(simulated_years, random_failures) {
        Some(reason) => format!("n/a, {reason}"),
        None => format!("{:.5}%{sep}{:.5}%", ci[0] * 100.0, ci[1] * 100.0),
    }
}

/// Why a run has no 95% interval ("drills only", "1 simulated year"), or `None` when
/// it has one. Every format asks this one function, so the text's "n/a" and the JSON's
/// `null` interval always agree.
pub fn no_ci95_reason(simulated_years: f64, random_failures: bool) -> Option<String> {
    if !random_failures {
        return Some("drills only".to_string());
    }
    (simulated_years < 2.0).then(|| format!("{simulated_years} simulated year"))
}

/// A drill as a drills-only report names it: what fails, when, for how long.
#[derive(Clone, Debug, PartialEq)]
pub struct DrillLine {
    pub component: String,
    pub name: Option<String>,
    pub at_secs: f64,
    pub for_secs: f64,
}

impl DrillLine {
    /// "drill db-loss: array fails at 02:00:00.000 for 10m", "drill: sw-1 fails at ...".
    pub fn text(&self) -> String {
        let name = self.name.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
        format!(
            "drill{name}: {} fails at {} for {}",
            self.component,
            sim_core::units::Duration::from_secs(self.at_secs).clock(),
            sim_core::units::Duration::from_secs(self.for_secs).span()
        )
    }
}

/// The drills a timeline interval starting at `start_secs` follows, with "during" or
/// "after": those still failing then (an outage can need two at once), else those that
/// started last before it (an outage can outlast its drill: a boot, a restore).
/// `drills` sorted by start.
pub fn drills_before(drills: &[DrillLine], start_secs: f64) -> (&'static str, Vec<&DrillLine>) {
    const EPS_SECS: f64 = 1e-6;
    let running: Vec<&DrillLine> = drills
        .iter()
        .filter(|d| d.at_secs <= start_secs + EPS_SECS && start_secs < d.at_secs + d.for_secs - EPS_SECS)
        .collect();
    if !running.is_empty() {
        return ("during", running);
    }
    let Some(last) = drills.iter().rev().find(|d| d.at_secs <= start_secs + EPS_SECS) else {
        return ("after", Vec::new());
    };
    ("after", drills.iter().filter(|d| d.at_secs == last.at_secs).collect())
}

/// The drills no interval of `timeline` follows (as [`drills_before`] attributes them):
/// the service did not notice them.
pub fn unnoticed_drills<'d>(drills: &'d [DrillLine], timeline: &[sim_core::simulate::Interval]) -> Vec<&'d DrillLine> {
    let noticed: Vec<&DrillLine> = timeline.iter().flat_map(|i| drills_before(drills, i.start_secs).1).collect();
    drills.iter().filter(|d| !noticed.contains(d)).collect()
}

/// "1 replication", "3 replications".
/// What the two-master time leaves out, with its bound: the service is counted up while
/// two VRRP/HSRP masters answer for one virtual IP, though traffic sent to the master
/// cut off from the servers is lost. `secs`: the two-master time.
pub use sim_core::simulate::dual_master_caveat;

pub fn plural(count: impl std::fmt::Display + Copy + PartialEq<u64>, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

pub fn nines(unavailability: f64) -> f64 {
    if unavailability <= 0.0 {
        f64::INFINITY
    } else {
        // 0.0 - x, not -x: an unavailability of 1 has 0 nines, not "-0.00".
        0.0 - unavailability.log10()
    }
}

#[cfg(test)]
mod bounds_rounding_tests {
    /// The printed interval holds the certified one: 99.99996694..% is not "99.999967%".
    #[test]
    fn bounds_round_outward() {
        let (low, high) = super::availability_bounds_percent(3.240744e-7, 3.306418e-7);
        assert_eq!((low.as_str(), high.as_str()), ("99.999966%", "99.999968%"));
        let (low, high) = super::unavailability_bounds_sci(3.2407449e-7, 3.2477881e-7);
        assert_eq!((low.as_str(), high.as_str()), ("3.240744e-7", "3.247789e-7"));
        assert_eq!(super::availability_bounds_percent(0.0, 0.0), ("100.000000%".into(), "100.000000%".into()));
    }
}

#[cfg(test)]
mod drill_line_tests {
    use super::{drills_before, unnoticed_drills, DrillLine};
    use sim_core::simulate::{Interval, IntervalState};

    fn drill(component: &str, at_secs: f64, for_secs: f64) -> DrillLine {
        DrillLine { component: component.into(), name: None, at_secs, for_secs }
    }

    fn down(start_secs: f64, end_secs: f64) -> Interval {
        Interval { start_secs, end_secs, state: IntervalState::Down, fraction: 0.0, mechanism: "repair".into() }
    }

    /// Two disks of a mirror drilled 1h..3h and 2h..3h: the outage at 2h needs both, so
    /// it is during both; a restore after both ended is after the last to start; a drill
    /// at 5h that nothing follows had no effect.
    #[test]
    fn an_outage_follows_the_drills_running_at_its_start_else_the_last() {
        let drills = [drill("disk-1", 3600.0, 7200.0), drill("disk-2", 7200.0, 3600.0), drill("sw", 18000.0, 60.0)];
        let names = |v: Vec<&DrillLine>| v.iter().map(|d| d.component.clone()).collect::<Vec<_>>();
        assert_eq!(drills_before(&drills, 7200.0).0, "during");
        assert_eq!(names(drills_before(&drills, 7200.0).1), ["disk-1", "disk-2"]);
        assert_eq!(drills_before(&drills, 10800.0).0, "after");
        assert_eq!(names(drills_before(&drills, 10800.0).1), ["disk-2"]);
        assert!(drills_before(&drills, 60.0).1.is_empty());
        let timeline = [down(7200.0, 10800.0), down(10800.0, 12000.0)];
        assert_eq!(names(unnoticed_drills(&drills, &timeline)), ["sw"]);
        assert_eq!(drills[0].text(), "drill: disk-1 fails at 01:00:00.000 for 2h");
    }
}
