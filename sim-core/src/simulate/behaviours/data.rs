//! Data: where each copy lives, what destroys it, and what a change of primary loses
//! (the RPO the `check` gate judges).
//!
//! A *data set* is one database's data: the source and replicas of its replication
//! groups (one set per source), plus the other members of a database cluster over
//! them (a member beside a copy shares that copy's storage and lag), or a cluster or
//! a database process that no replication covers. The simulator tracks which copy is the primary and which copies a site
//! disaster destroyed:
//! - When the primary stops working, the copy that takes over is the one a cluster
//!   made active, else the most up-to-date working copy (a synchronous replica before
//!   an asynchronous one, as Patroni and Pacemaker promote). The data lost is that
//!   copy's own lag (the larger of the two copies' lags, since roles swap after a
//!   failover): nothing from a synchronous standby, whatever other copies lag.
//! - A cluster that promotes another copy while the primary still runs (a partition)
//!   loses that copy's lag too.
//! - A site disaster destroys every copy held at the site. With a copy left elsewhere,
//!   the loss is that copy's lag. With none, the data comes back from the last backup
//!   run that succeeded, if the backup is stored at a site still standing: the loss is
//!   the time since that run, and the restore (the backup's `restore` time) starts
//!   once a copy's host works again: the services on the data stay down meanwhile.
//!   Otherwise all the data is lost.
//! - A destroyed copy is rebuilt from the primary once its site is back.
//!
//! Each backup run succeeds with the backup's `success` probability (its availability),
//! so the time since the last good run is the time since the last run plus a
//! geometric number of intervals.

use crate::model::{ElementId, Model};
use crate::simulate::engine::{Event, Sim};

/// How a data set is restored from its backup.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BackupPlan {
    pub interval_secs: f64,
    pub restore_secs: f64,
    /// The site holding the backup copies (`stored_at`), if any.
    pub stored_at: Option<ElementId>,
    /// Probability that one run succeeds, 0..=1.
    pub success: f64,
}

impl BackupPlan {
    /// Seconds since the last run that succeeded, at `now`, drawing the failed runs.
    pub fn since_last_good(&self, now: f64, rng: &mut rand_chacha::ChaCha8Rng) -> f64 {
        if self.interval_secs <= 0.0 {
            return now;
        }
        let since_last_run = now % self.interval_secs;
        let mut back = since_last_run;
        let mut t = now - since_last_run;
        while t > 0.0 && !crate::simulate::sample::chance(rng, self.success) {
            back += self.interval_secs;
            t -= self.interval_secs;
        }
        back.min(now)
    }
}

/// Every backup of one data set, best first: data backups before system images, then
/// the most frequent, then the fastest restore.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Backups(pub Vec<BackupPlan>);

impl Backups {
    /// The sites holding backup copies.
    pub fn sites(&self) -> impl Iterator<Item = ElementId> + '_ {
        self.0.iter().filter_map(|b| b.stored_at)
    }

    /// The restore that loses least among the `usable` backups, as (seconds of data
    /// lost, restore seconds); `None` when no backup is usable (all data is lost).
    /// Draws the failed runs of each usable backup, in order, so the random stream
    /// does not depend on which one wins.
    pub fn best_restore(
        &self,
        now: f64,
        rng: &mut rand_chacha::ChaCha8Rng,
        usable: &dyn Fn(&BackupPlan) -> bool,
    ) -> Option<(f64, f64)> {
        let mut best: Option<(f64, f64)> = None;
        for b in self.0.iter().filter(|b| usable(b)) {
            let lost = b.since_last_good(now, rng);
            if best.is_none_or(|(l, r)| lost < l || (lost == l && b.restore_secs < r)) {
                best = Some((lost, b.restore_secs));
            }
        }
        best
    }

    /// The restore time of the first backup (the one a RAID restore plans on).
    pub fn first_restore_secs(&self) -> f64 {
        self.0.first().map_or(0.0, |b| b.restore_secs)
    }
}

/// One database's copies.
#[derive(Clone, Debug, PartialEq)]
pub struct DataSet {
    /// The source first, then its replicas.
    pub copies: Vec<ElementId>,
    /// Per copy: how far behind the source it runs (0 for the source and sync replicas).
    pub lag_secs: Vec<f64>,
    /// Per copy: the site it lives at.
    pub sites: Vec<Option<ElementId>>,
    /// Per copy: it holds nothing until it takes over, and then starts from the last
    /// backup (a cluster member at another site that nothing replicates to: cold DR).
    pub from_backup: Vec<bool>,
    pub backups: Backups,
}

impl DataSet {
    /// Whether a service whose dependency cone is `cone` (per element) uses this data.
    pub fn used_by(&self, cone: &[bool]) -> bool {
        self.copies.iter().any(|c| cone[c.0 as usize])
    }
}

/// What a change of primary cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Loss {
    Secs(f64),
    /// No copy and no backup survived.
    All,
}

/// Every data set of the model: one per replication source, and one per database
/// process that no replication group covers.
pub fn data_sets(model: &Model) -> Vec<DataSet> {
    let mut sets: Vec<DataSet> = Vec::new();
    for (source, replicas) in crate::mechanisms::replication::copies(model) {
        let mut copies = vec![source];
        let mut lag_secs = vec![0.0];
        for (r, lag) in replicas {
            if !copies.contains(&r) {
                copies.push(r);
                lag_secs.push(lag);
            }
        }
        sets.push(DataSet {
            copies,
            lag_secs,
            sites: Vec::new(),
            backups: Backups::default(),
            from_backup: Vec::new(),
        });
    }
    // A group of databases (a cluster) shares its data: a member no replication names
    // serves the data of the member beside it (shared storage at its site, so the same
    // lag), else of the set's source; a group with no copy yet is one set, lag 0.
    for g in &model.groups {
        let holders = g.members.iter().all(|&m| crate::mechanisms::server::holds_data(model.element(m)));
        if g.members.len() < 2 || !holders || crate::mechanisms::replication::is_replication(g) {
            continue;
        }
        let found = g.members.iter().find_map(|m| sets.iter().position(|s| s.copies.contains(m)));
        let set = match found {
            Some(i) => i,
            None => {
                sets.push(DataSet {
                    from_backup: Vec::new(),
                    copies: Vec::new(),
                    lag_secs: Vec::new(),
                    sites: Vec::new(),
                    backups: Backups::default(),
                });
                sets.len() - 1
            }
        };
        for &m in &g.members {
            if sets.iter().any(|s| s.copies.contains(&m)) {
                continue;
            }
            let site = site_of(model, m);
            let s = &mut sets[set];
            let beside = s.copies.iter().position(|&c| site_of(model, c) == site);
            // A member at a site no copy is at restores the backup when it takes over.
            let remote = !s.copies.is_empty() && beside.is_none();
            let lag = beside.map_or(0.0, |i| s.lag_secs[i]);
            s.copies.push(m);
            s.lag_secs.push(lag);
            s.from_backup.resize(s.copies.len() - 1, false);
            s.from_backup.push(remote);
        }
    }
    for e in &model.elements {
        if crate::mechanisms::server::holds_data(e) && !sets.iter().any(|s| s.copies.contains(&e.id)) {
            sets.push(DataSet {
                from_backup: Vec::new(),
                copies: vec![e.id],
                lag_secs: vec![0.0],
                sites: Vec::new(),
                backups: Backups::default(),
            });
        }
    }
    for set in &mut sets {
        set.from_backup.resize(set.copies.len(), false);
        set.sites = set.copies.iter().map(|&c| site_of(model, c)).collect();
        set.backups = crate::mechanisms::backup::restore_plan(model, &set.copies);
    }
    sets
}

/// Per service (model order): everything its simulated data loss can depend on, as
/// one line of text with names for ids and no source positions: every element and
/// group in its dependency cone (failure models, settings, members in order: which copy
/// a cluster promotes, a RAID array's disks, spares and read errors), the backups that
/// cover any of them, and the data sets it uses (copies with lag, site and whether they
/// start from the backup; backups with interval, restore, site and success). Two
/// versions with the same line for a service differ only outside what it depends on; a
/// different simulated worst loss between them is then the random draws (any change
/// moves them), not the change, and `spofsim diff` does not judge it. Conservative: a
/// change to anything in the cone, even one that cannot touch the data, makes the
/// simulated loss judged. O(services × (cone + data sets × copies)).
pub fn service_data_inputs(model: &Model) -> Vec<String> {
    use crate::model::{EdgeKind, NodeRef};
    let circuit = crate::simulate::circuit::Circuit::new(model);
    let sets = data_sets(model);
    let name = |e: Option<ElementId>| e.map_or("-", |e| model.element(e).name.as_str()).to_string();
    let described: Vec<String> = sets
        .iter()
        .map(|set| {
            let copies: Vec<String> = (0..set.copies.len())
                .map(|i| {
                    format!(
                        "{} lag {}s at {}{}",
                        model.element(set.copies[i]).name,
                        set.lag_secs[i],
                        name(set.sites[i]),
                        if set.from_backup[i] { " from backup" } else { "" }
                    )
                })
                .collect();
            let backups: Vec<String> = set
                .backups
                .0
                .iter()
                .map(|b| {
                    format!(
                        "every {}s restore {}s at {} success {}",
                        b.interval_secs,
                        b.restore_secs,
                        name(b.stored_at),
                        b.success
                    )
                })
                .collect();
            format!("[{}; backups {}]", copies.join(", "), backups.join(", "))
        })
        .collect();
    let element_text = |e: &crate::model::Element| {
        named(model, &format!("{:?}", crate::model::Element { span: Default::default(), ..e.clone() }))
    };
    (0..model.services.len())
        .map(|s| {
            let cone = &circuit.service_elements[s];
            let mut parts: Vec<String> =
                sets.iter().zip(&described).filter(|(set, _)| set.used_by(cone)).map(|(_, d)| d.clone()).collect();
            for e in &model.elements {
                let backs_cone = || {
                    crate::model::edge_targets(model, NodeRef::Element(e.id), EdgeKind::Backs)
                        .into_iter()
                        .any(|t| matches!(t, NodeRef::Element(t) if cone[t.0 as usize]))
                };
                if cone[e.id.0 as usize] || (crate::mechanisms::backup::is_backup(e) && backs_cone()) {
                    parts.push(element_text(e));
                }
            }
            for &g in &circuit.service_groups[s] {
                let group = model.group(g);
                parts.push(named(
                    model,
                    &format!("{:?}", crate::model::Group { span: Default::default(), ..group.clone() }),
                ));
            }
            parts.sort_unstable();
            parts.join(" ")
        })
        .collect()
}

/// `text` (a `Debug` rendering) with every `ElementId(n)` and `GroupId(n)` replaced by
/// the name it stands for: ids are positions in name order, which any added or removed
/// element shifts.
fn named(model: &Model, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("Id(") {
        let (before, after) = rest.split_at(at + 3);
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let close = after[digits.len()..].starts_with(')');
        let which = if before.ends_with("ElementId(") {
            Some(true)
        } else if before.ends_with("GroupId(") {
            Some(false)
        } else {
            None
        };
        match (which, digits.parse::<u32>().ok().filter(|_| close)) {
            (Some(element), Some(n)) => {
                out.push_str(&before[..before.len() - if element { 10 } else { 8 }]);
                let label = if element {
                    model.elements.get(n as usize).map(|e| e.name.as_str())
                } else {
                    model.groups.get(n as usize).map(|g| g.name.as_str())
                };
                out.push_str(&format!("{:?}", label.unwrap_or("?")));
                rest = &after[digits.len() + 1..];
            }
            _ => {
                out.push_str(before);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The site an element lives at: its own, else its host's (a process on a server).
pub fn site_of(model: &Model, e: ElementId) -> Option<ElementId> {
    let element = model.element(e);
    element.site.or_else(|| {
        let (host, _) = element.name.split_once('/')?;
        model.element_by_name(host)?.site
    })
}

/// Per data set: the primary copy and the copies a disaster destroyed.
#[derive(Clone, Debug, Default)]
pub struct DataState {
    pub primary: usize,
    pub destroyed: Vec<bool>,
    /// Every copy was destroyed and the backup survived: the restore waits for a copy's
    /// host to work again.
    pub awaiting_restore: bool,
    /// Set when that restore starts (the engine times it and clears the flag).
    pub restore_started: bool,
    /// How long the chosen backup takes to restore.
    pub restore_secs: f64,
}

impl DataState {
    pub fn new(set: &DataSet) -> DataState {
        DataState {
            primary: 0,
            destroyed: vec![false; set.copies.len()],
            awaiting_restore: false,
            restore_started: false,
            restore_secs: 0.0,
        }
    }
}

/// Who chooses the copy that serves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Chooser {
    /// No cluster: the first working copy serves.
    Copies,
    /// A cluster with members among the copies, and the copy it has made active, if any
    /// (none while it detects or waits for a precondition).
    Cluster { promoted: Option<usize> },
}

/// The primary moves when it stops working or a cluster promotes another copy.
/// `works`: whether a copy works now; `chooser`: who chooses the serving copy. Under a
/// cluster, a primary that is down but not destroyed moves only when the cluster
/// promotes another copy. Returns the loss when the primary moved to a copy that was
/// behind, or when the data had to be restored.
pub fn react(
    set: &DataSet,
    state: &mut DataState,
    works: &dyn Fn(usize) -> bool,
    chooser: Chooser,
    site_standing: &dyn Fn(ElementId) -> bool,
    now: f64,
    rng: &mut rand_chacha::ChaCha8Rng,
) -> Option<Loss> {
    if state.awaiting_restore {
        // The backup is restored onto the first copy whose host works again.
        if let Some(q) = (0..set.copies.len()).find(|&i| works(i)) {
            state.primary = q;
            state.awaiting_restore = false;
            state.restore_started = true;
        }
        return None;
    }
    let p = state.primary;
    let alive = |i: usize| !state.destroyed[i];
    let promoted = match chooser {
        Chooser::Copies => None,
        Chooser::Cluster { promoted } => promoted,
    };
    // What taking over on copy `q` loses: its lag, or for a member that starts from the
    // backup, the time since the last good run (all, with the backup's site down).
    let mut take = |q: usize, state: &mut DataState| {
        state.primary = q;
        if set.from_backup[q] {
            match set.backups.best_restore(now, rng, &|b| b.stored_at.is_none_or(site_standing)) {
                Some((lost, _)) => Loss::Secs(lost),
                None => Loss::All,
            }
        } else {
            // After a failover the roles swap: the old primary rejoins as a replica at
            // the mode of the link it was on, so the distance between two copies is the
            // larger of their lags (an async pair loses its lag in both directions).
            Loss::Secs(set.lag_secs[q].max(set.lag_secs[p]))
        }
    };
    // A partition: a cluster made another working copy active while the primary runs.
    if let Some(q) = promoted.filter(|&q| q != p && works(q) && alive(q)) {
        return Some(take(q, state));
    }
    if works(p) && alive(p) {
        return None;
    }
    // A cluster chooses the copy that serves: while it has not made another one active
    // (still detecting, or its takeover waits for a fencing device or a precondition),
    // the data stays where it was, and a primary that comes back before any promotion
    // loses nothing. Only a destroyed primary moves on its own (below).
    if matches!(chooser, Chooser::Cluster { .. }) && alive(p) {
        return None;
    }
    // The primary is down. While it is only down (not destroyed) and no other copy
    // works, it comes back intact. Copies that hold data come before members that would
    // restore a backup; then the least behind.
    let best = (0..set.copies.len()).filter(|&i| i != p && works(i) && alive(i)).min_by(|&a, &b| {
        (set.from_backup[a], set.lag_secs[a])
            .partial_cmp(&(set.from_backup[b], set.lag_secs[b]))
            .expect("finite lags")
            .then(a.cmp(&b))
    });
    if let Some(q) = best.filter(|&q| !set.from_backup[q] || !alive(p)) {
        return Some(take(q, state));
    }
    if alive(p) || (0..set.copies.len()).any(|i| alive(i) && !set.from_backup[i]) {
        // Down, not destroyed (or a surviving copy that is down for now): wait for it.
        if !alive(p) {
            let survivor = (0..set.copies.len())
                .filter(|&i| alive(i) && !set.from_backup[i])
                .min_by(|&a, &b| set.lag_secs[a].total_cmp(&set.lag_secs[b]).then(a.cmp(&b)));
            if let Some(q) = survivor {
                return Some(take(q, state));
            }
        }
        return None;
    }
    // Every copy destroyed: the backup, if it survived.
    for d in &mut state.destroyed {
        *d = false;
    }
    state.primary = 0;
    // Backups with no `stored_at` are taken to live beside the data, so they went too.
    match set.backups.best_restore(now, rng, &|b| b.stored_at.is_some_and(site_standing)) {
        Some((lost, restore_secs)) => {
            state.awaiting_restore = true;
            state.restore_secs = restore_secs;
            Some(Loss::Secs(lost))
        }
        None => Some(Loss::All),
    }
}

/// A site disaster: marks the copies held there destroyed.
pub fn destroy_at(set: &DataSet, state: &mut DataState, site: ElementId) -> bool {
    let mut hit = false;
    for (i, s) in set.sites.iter().enumerate() {
        if *s == Some(site) && !state.destroyed[i] {
            state.destroyed[i] = true;
            hit = true;
        }
    }
    hit
}

/// A site is back: its destroyed copies are rebuilt from the primary (if one is left).
pub fn rebuild_at(set: &DataSet, state: &mut DataState, site: ElementId) {
    if state.destroyed[state.primary] {
        return;
    }
    for (i, s) in set.sites.iter().enumerate() {
        if *s == Some(site) {
            state.destroyed[i] = false;
        }
    }
}

// ------------------------------------------------------------ in the engine

impl<'c, 'm> Sim<'c, 'm> {
    /// The first working member serves; what a change of primary loses is the data
    /// sets' business ([`Self::react_data`]).
    pub(in crate::simulate) fn react_primary(&mut self, j: usize) {
        let members = &self.cx.model.groups[j].members;
        let primary = (0..members.len()).find(|&i| self.works(members[i]));
        self.groups[j].primary = primary;
        self.wake_cold(j);
    }

    /// Group `j` comes back from its last backup run that succeeded: the data since then
    /// is lost for every service that uses the group. With no backup, or one stored at a
    /// site that is down (or, after a site disaster, anywhere not named), all is lost.
    pub(in crate::simulate) fn restore_from_backup(&mut self, j: usize, disaster: Option<u32>) {
        self.groups[j].losses += 1;
        let services = self.services_with_group(j);
        let backups = &self.cx.groups[j].backups;
        let standing: Vec<ElementId> = backups.sites().filter(|s| self.up(s.0)).collect();
        let usable = |b: &BackupPlan| match b.stored_at {
            Some(site) => standing.contains(&site),
            // Stored beside the data: gone with a site disaster.
            None => disaster.is_none(),
        };
        let loss = match backups.best_restore(self.now, &mut self.rng, &usable) {
            Some((lost, restore_secs)) => {
                self.groups[j].restore_secs = restore_secs;
                Loss::Secs(lost)
            }
            None => {
                self.groups[j].restore_secs = backups.first_restore_secs();
                Loss::All
            }
        };
        self.record_loss(&services, loss);
    }

    /// One data-loss (RPO) event for each of `services`.
    pub(in crate::simulate) fn record_loss(&mut self, services: &[usize], loss: Loss) {
        match loss {
            Loss::Secs(secs) => self.record_data_loss(services, secs),
            Loss::All => {
                for &s in services {
                    let r = &mut self.services[s].record;
                    r.rpo_events += 1;
                    r.total_losses += 1;
                }
            }
        }
    }

    /// The backup of data set `d` is being restored: its services are down until it ends.
    fn start_data_restore(&mut self, d: usize) {
        let restore_secs = self.data[d].restore_secs;
        if restore_secs <= 0.0 {
            return;
        }
        self.data_restore_token[d] += 1;
        for k in 0..self.cx.data_services[d].len() {
            let s = self.cx.data_services[d][k];
            self.data_restoring[s] += 1;
            self.observe_service(s as u32);
        }
        let token = self.data_restore_token[d];
        self.schedule(self.now + restore_secs, Event::DataRestored { set: d as u32, token });
    }

    /// A restore from backup finished.
    pub(in crate::simulate) fn on_data_restored(&mut self, set: u32, token: u32) {
        let d = set as usize;
        if self.data_restore_token[d] != token {
            return;
        }
        for k in 0..self.cx.data_services[d].len() {
            let s = self.cx.data_services[d][k];
            self.data_restoring[s] -= 1;
            self.observe_service(s as u32);
        }
    }

    /// Each data set's primary follows its copies ([`crate::simulate::data::react`]).
    pub(in crate::simulate) fn react_data(&mut self) {
        let cx = self.cx;
        // Only the sets whose copies, choosers or backup site changed; in index order, as
        // a restore draws from the random stream.
        let mut list = std::mem::take(&mut self.data_list);
        list.sort_unstable();
        for &d in &list {
            self.data_dirty[d as usize] = false;
        }
        for d in list.drain(..).map(|d| d as usize) {
            let set = &cx.data_sets[d];
            let promoted = cx.data_choosers[d].iter().find_map(|&(j, i, k)| {
                let st = &self.groups[j];
                (st.also_active == Some(i) || (st.also_active.is_none() && st.active == Some(i))).then_some(k)
            });
            let works: Vec<bool> = set.copies.iter().map(|&c| self.works(c)).collect();
            // Only the backups' storage sites are ever asked about.
            let standing: Vec<ElementId> = set.backups.sites().filter(|s| self.up(s.0)).collect();
            let mut state = std::mem::take(&mut self.data[d]);
            let loss = crate::simulate::data::react(
                set,
                &mut state,
                &|i| works[i],
                if cx.data_choosers[d].is_empty() {
                    crate::simulate::data::Chooser::Copies
                } else {
                    crate::simulate::data::Chooser::Cluster { promoted }
                },
                &|site| standing.contains(&site),
                self.now,
                &mut self.rng,
            );
            let restore = std::mem::take(&mut state.restore_started);
            self.data[d] = state;
            if let Some(loss) = loss {
                let services = cx.data_services[d].clone();
                self.record_loss(&services, loss);
            }
            if restore {
                self.start_data_restore(d);
            }
        }
    }

    /// A site goes down (`down`) or comes back: copies and RAID disks held there are
    /// destroyed, or rebuilt from the primary.
    pub(in crate::simulate) fn site_event(&mut self, site: u32, down: bool) {
        let cx = self.cx;
        if !cx.holds_data[site as usize] {
            return;
        }
        let site_id = ElementId(site);
        for d in 0..cx.data_sets.len() {
            self.data_changed(d as u32);
            if down {
                crate::simulate::data::destroy_at(&cx.data_sets[d], &mut self.data[d], site_id);
            } else {
                crate::simulate::data::rebuild_at(&cx.data_sets[d], &mut self.data[d], site_id);
            }
        }
        if !down {
            return;
        }
        for j in 0..cx.raid_sites.len() {
            if !cx.raid_sites[j].contains(&site_id) {
                continue;
            }
            // Every disk at the site is gone with its data, spares included.
            let members = &cx.model.groups[j].members;
            let st = &mut self.groups[j];
            let mut hit = false;
            for (i, &m) in members.iter().enumerate() {
                if crate::simulate::data::site_of(cx.model, m) == Some(site_id) {
                    st.slot_ok[i] = false;
                    st.on_spare[i] = false;
                    st.rebuilding[i] = false;
                    st.onto_spare[i] = false;
                    hit = true;
                }
            }
            if hit {
                st.spares = 0;
                st.token += 1;
                if !crate::simulate::behaviours::rebuild::holds_data(&cx.groups[j], st.slot_ok.len(), |i| st.slot_ok[i])
                    && !st.data_lost
                {
                    st.data_lost = true;
                    // A database at the site records the loss through its data set.
                    let counted = cx.data_sets.iter().any(|set| set.sites.contains(&Some(site_id)));
                    if counted {
                        self.groups[j].restore_secs = cx.groups[j].backups.first_restore_secs();
                    } else {
                        self.restore_from_backup(j, Some(site));
                    }
                }
                self.mark_group(j);
                self.touch(j as u32);
            }
        }
    }

    /// One data-loss (RPO) event of `lost_secs` for each of `services`.
    pub(in crate::simulate) fn record_data_loss(&mut self, services: &[usize], lost_secs: f64) {
        for &s in services {
            let r = &mut self.services[s].record;
            r.rpo_events += 1;
            r.data_lost_secs += lost_secs;
            r.max_data_lost_secs = r.max_data_lost_secs.max(lost_secs);
        }
    }

    pub(in crate::simulate) fn services_with_group(&self, j: usize) -> Vec<usize> {
        let g = crate::model::GroupId(j as u32);
        (0..self.services.len()).filter(|&s| self.cx.circuit.service_groups[s].contains(&g)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With each run succeeding with probability p, the time since the last good run is
    /// the time since the last run plus a geometric number of intervals: mean
    /// (now mod I) + I (1 − p) / p (the cut at time 0 is negligible 10 intervals in).
    #[test]
    fn failed_backup_runs_lengthen_the_loss_geometrically() {
        let plan = BackupPlan { interval_secs: 100.0, restore_secs: 0.0, stored_at: None, success: 0.5 };
        let mut rng = crate::simulate::sample::stream(7, 0);
        let n = 200_000;
        let mean = (0..n).map(|_| plan.since_last_good(1050.0, &mut rng)).sum::<f64>() / f64::from(n);
        let want = 50.0 + 100.0 * 0.5 / 0.5;
        assert!((mean - want).abs() / want < 0.01, "mean {mean}, want {want}");
        let sure = BackupPlan { success: 1.0, ..plan };
        assert_eq!(sure.since_last_good(1050.0, &mut rng), 50.0);
    }
}
