//! Rebuild: RAID slots come back only after a rebuild (onto a hot spare or the
//! replacement); beyond tolerance (for RAID 10, both slots of a mirror pair) the data
//! is lost and restored from backup. Every disk fails: a slot's own, a spare holding a
//! slot (its own clock, `SpareFailed`), one being rebuilt onto (the slot starts over)
//! and idle spares (one clock over them, `IdleSpareFailed`); failed spares are replaced
//! like the slots' disks, and a freed spare goes to a waiting slot at once.

use crate::simulate::engine::{Event, Sim};
use crate::simulate::sample;

impl<'c, 'm> Sim<'c, 'm> {
    pub(in crate::simulate) fn react_rebuild(&mut self, j: usize) {
        let cx = self.cx;
        let members = &cx.model.groups[j].members;
        let mut changed = false;
        for (i, &m) in members.iter().enumerate() {
            let up = self.up(m.0);
            let works = self.works(m);
            let st = &mut self.groups[j];
            if !up && st.slot_ok[i] && !st.on_spare[i] {
                // The disk and its data are gone; a hot spare takes its place at once.
                st.slot_ok[i] = false;
                changed = true;
                if st.spares > 0 {
                    self.spare_into_slot(j, i);
                }
            } else if !up && st.rebuilding[i] && !st.onto_spare[i] {
                // The replacement being rebuilt onto failed: the slot starts over now,
                // onto a free spare, else waiting for the disk's next repair.
                st.rebuilding[i] = false;
                if st.spares > 0 {
                    self.spare_into_slot(j, i);
                }
            } else if up && (st.on_spare[i] || st.onto_spare[i]) {
                // The replaced disk comes back as the new spare, free at once: it stands
                // for the disk in the slot from now on (the same lifetime law; a running
                // rebuild goes on), and the spare's clock stops.
                st.on_spare[i] = false;
                st.onto_spare[i] = false;
                st.spares += 1;
                st.spare_clock[i] += 1;
            } else if up && works && !st.slot_ok[i] && !st.rebuilding[i] {
                // (A rebuild needs the disk powered and its site standing.)
                self.start_rebuild(j, i);
            }
        }
        // Slots waiting for their disk take the spares that became free (a failed spare
        // replaced, or a slot's own disk back while a spare held it), after every slot
        // above gave back what it frees.
        for (i, &m) in members.iter().enumerate() {
            let st = &self.groups[j];
            if st.spares > 0 && !self.up(m.0) && !st.slot_ok[i] && !st.rebuilding[i] && !st.on_spare[i] {
                self.spare_into_slot(j, i);
            }
        }
        let st = &mut self.groups[j];
        let enough = holds_data(&cx.groups[j], st.slot_ok.len(), |i| st.slot_ok[i]);
        if !enough && !st.data_lost {
            st.data_lost = true;
            changed = true;
            self.restore_from_backup(j, None);
        }
        let st = &mut self.groups[j];
        if st.data_lost && !st.restoring && enough {
            // The shared token stays: bumping it would orphan rebuilds still running.
            st.restoring = true;
            let token = st.token;
            let restore = st.restore_secs;
            self.schedule(self.now + restore, Event::RestoreDone { group: j as u32, token });
        }
        self.expose_rebuilds(j);
        self.idle_spares_changed(j);
        if changed {
            self.mark_group(j);
        }
    }

    /// Starts the rebuild of slot `i`; [`Self::expose_rebuilds`] decides its read-error
    /// risk. The slot counts as rebuilt when the rebuild time ends, whatever happens to
    /// the data meanwhile, so slots keep their own cycles.
    fn start_rebuild(&mut self, j: usize, i: usize) {
        let rebuild_secs = self.cx.groups[j].rebuild_secs;
        let st = &mut self.groups[j];
        st.rebuilding[i] = true;
        st.exposure_decided[i] = false;
        st.rebuild_ends_at[i] = self.now + rebuild_secs;
        st.rebuild_serial[i] += 1;
        let (token, serial) = (st.token, st.rebuild_serial[i]);
        self.schedule(self.now + rebuild_secs, Event::SlotRebuilt { group: j as u32, member: i as u32, token, serial });
    }

    /// A free hot spare takes slot `i` (its own disk is away) and the rebuild onto it
    /// starts. The spare is a disk like the slot's own: from now on it fails at the
    /// slot disk's rate (in random runs), until the slot's disk comes back and takes
    /// its place as the spare (the two are alike, so which one stands for the slot
    /// does not matter).
    fn spare_into_slot(&mut self, j: usize, i: usize) {
        let st = &mut self.groups[j];
        st.spares -= 1;
        st.onto_spare[i] = true;
        st.spare_clock[i] += 1;
        let token = st.spare_clock[i];
        self.start_rebuild(j, i);
        if !self.cx.options.random_failures {
            return;
        }
        let disk = self.cx.model.groups[j].members[i].0;
        if let Some(failure) = self.cx.model.elements[disk as usize].failure {
            let at = self.now + sample::time_to_failure(&mut self.rng, &failure);
            self.schedule(at, Event::SpareFailed { group: j as u32, member: i as u32, token });
        }
    }

    /// The spare holding slot `member` failed: the slot is unprotected again (a rebuild
    /// onto it ends with it) and takes another free spare, else waits for its own disk
    /// or a spare to come back; the failed spare is replaced like the slot's disk
    /// (noticed by the disk's monitors, repaired in its MTTR, queued for a crew) and
    /// becomes a spare.
    pub(in crate::simulate) fn on_spare_failed(&mut self, group: u32, member: u32, token: u32) {
        let (j, i) = (group as usize, member as usize);
        let st = &mut self.groups[j];
        if st.spare_clock[i] != token || !(st.onto_spare[i] || st.on_spare[i]) {
            return;
        }
        st.spare_clock[i] += 1;
        st.slot_ok[i] = false;
        st.rebuilding[i] = false;
        st.onto_spare[i] = false;
        st.on_spare[i] = false;
        self.cause(self.cx.model.groups[j].members[i].0);
        self.replace_spare(group, member);
        self.mark_group(j);
        self.touch(group);
    }

    /// The idle spares' failure clock, drawn afresh when their count changed: each fails
    /// at the slot disks' rate (the first disk's MTBF), as an exponential lifetime, so the
    /// first of k fails after an exponential time of mean MTBF / k. In random runs only.
    pub(in crate::simulate) fn idle_spares_changed(&mut self, j: usize) {
        let st = &mut self.groups[j];
        if st.idle_clock_spares == Some(st.spares) {
            return;
        }
        st.idle_clock_spares = Some(st.spares);
        st.idle_spare_clock += 1;
        let (spares, token) = (st.spares, st.idle_spare_clock);
        if spares == 0 || !self.cx.options.random_failures {
            return;
        }
        let failure =
            self.cx.model.groups[j].members.iter().find_map(|&d| self.cx.model.elements[d.0 as usize].failure);
        if let Some(f) = failure {
            let at = self.now + sample::exponential(&mut self.rng, f.mtbf_secs / f64::from(spares));
            self.schedule(at, Event::IdleSpareFailed { group: j as u32, token });
        }
    }

    /// An idle spare failed: one spare fewer until it is replaced like a slot's disk
    /// (noticed by the disks' monitors, repaired in their MTTR, queued for a crew).
    pub(in crate::simulate) fn on_idle_spare_failed(&mut self, group: u32, token: u32) {
        let j = group as usize;
        let st = &mut self.groups[j];
        if st.idle_spare_clock != token || st.spares == 0 {
            return;
        }
        st.spares -= 1;
        let members = &self.cx.model.groups[j].members;
        let Some(member) = members.iter().position(|&d| self.cx.model.elements[d.0 as usize].failure.is_some()) else {
            return;
        };
        self.replace_spare(group, member as u32);
        self.touch(group);
    }

    /// A failed spare goes for replacement like slot `member`'s disk: noticed by its
    /// monitors, then repaired in its MTTR, through a crew when crews are limited.
    fn replace_spare(&mut self, group: u32, member: u32) {
        let disk = self.cx.model.groups[group as usize].members[member as usize].0;
        let failure = self.cx.model.elements[disk as usize].failure.expect("only failing disks' spares fail");
        let detect = self.detection_delay(disk);
        if self.cx.repair_crews.is_some() {
            self.schedule(self.now + detect, Event::SpareNoticed { group, member });
        } else {
            let repair = sample::exponential(&mut self.rng, failure.mttr_secs);
            self.schedule(self.now + detect + repair, Event::SpareReplaced { group });
        }
    }

    /// A failed spare was replaced: one more free spare, which a waiting slot takes.
    pub(in crate::simulate) fn on_spare_replaced(&mut self, group: u32) {
        if self.cx.repair_crews.is_some() {
            self.crews_busy -= 1;
            self.start_repairs();
        }
        self.groups[group as usize].spares += 1;
        self.touch(group);
    }

    /// Every running rebuild that has no redundancy left, from its start or since a
    /// further loss midway (`mechanisms::raid`), meets a read error where the first
    /// error of its remaining reads falls: sampled once, in random runs; in drills only
    /// for a disk whose drill asked for one, halfway through what remains.
    fn expose_rebuilds(&mut self, j: usize) {
        let p = &self.cx.groups[j];
        let Some(risk) = p.read_errors else { return };
        for i in 0..self.groups[j].rebuilding.len() {
            let st = &self.groups[j];
            if !st.rebuilding[i] || st.exposure_decided[i] || st.data_lost {
                continue;
            }
            let ok_others = st.slot_ok.iter().enumerate().filter(|&(k, ok)| k != i && *ok).count();
            if ok_others < p.need || !risk.exposed(ok_others, p.need) {
                continue;
            }
            let remaining_secs = (st.rebuild_ends_at[i] - self.now).max(0.0);
            let share = remaining_secs / p.rebuild_secs.max(1e-9);
            self.groups[j].exposure_decided[i] = true;
            let disk = self.cx.model.groups[j].members[i].0 as usize;
            let error_at = if std::mem::take(&mut self.read_error_due[disk]) {
                Some(0.5)
            } else if self.cx.options.random_failures {
                crate::simulate::sample::first_event_fraction(&mut self.rng, risk.expected_errors * share)
            } else {
                None
            };
            if let Some(fraction) = error_at {
                let st = &mut self.groups[j];
                st.read_error_epoch[i] = st.losses;
                let (token, serial) = (st.token, st.rebuild_serial[i]);
                self.schedule(
                    self.now + fraction * remaining_secs,
                    Event::ReadError { group: j as u32, member: i as u32, token, serial },
                );
            }
        }
    }

    /// A rebuild met an unrecoverable read error: the data is lost and restored from
    /// backup; without one, the array comes back empty when the rebuild time ends.
    pub(in crate::simulate) fn on_read_error(&mut self, group: u32, member: u32, token: u32, serial: u32) {
        let (j, i) = (group as usize, member as usize);
        let st = &self.groups[j];
        if st.token != token
            || st.rebuild_serial[i] != serial
            || !st.rebuilding[i]
            || st.data_lost
            || st.read_error_epoch[i] != st.losses
        {
            return;
        }
        self.groups[j].data_lost = true;
        self.restore_from_backup(j, None);
        let st = &mut self.groups[j];
        let recreated_secs = st.rebuild_ends_at[i] - self.now;
        if self.cx.groups[j].backups.0.is_empty() {
            st.restore_secs = st.restore_secs.max(recreated_secs);
        }
        self.mark_group(j);
        self.touch(group);
    }

    /// A slot's rebuild finished.
    pub(in crate::simulate) fn on_slot_rebuilt(&mut self, group: u32, member: u32, token: u32, serial: u32) {
        let (j, i) = (group as usize, member as usize);
        let st = &self.groups[j];
        if st.token == token && st.rebuild_serial[i] == serial && st.rebuilding[i] {
            let disk_back = self.up(self.cx.model.groups[j].members[i].0);
            let st = &mut self.groups[j];
            st.rebuilding[i] = false;
            st.slot_ok[i] = true;
            if std::mem::take(&mut st.onto_spare[i]) {
                // The spare now holds the slot. A disk replaced meanwhile becomes
                // the new spare (it must not be lost: the spare would leak).
                if disk_back {
                    st.spares += 1;
                    st.on_spare[i] = false;
                    st.spare_clock[i] += 1;
                } else {
                    st.on_spare[i] = true;
                }
            } else {
                st.on_spare[i] = false;
            }
            self.mark_group(j);
            self.touch(group);
        }
    }

    /// The restore from backup finished: the array holds data again.
    pub(in crate::simulate) fn on_restore_done(&mut self, group: u32, token: u32) {
        let j = group as usize;
        if self.groups[j].token == token && self.groups[j].restoring {
            self.groups[j].restoring = false;
            self.groups[j].data_lost = false;
            self.mark_group(j);
        }
    }
}

/// Whether the slots that `ok(i)` marks, of `slots`, hold the group's data: at least
/// `need` of them, and for RAID 10 (`mirror_pairs`) one of each mirror pair (0, 1),
/// (2, 3), …. O(slots), without allocating (it runs at every evaluation of the group).
pub(in crate::simulate) fn holds_data(
    p: &crate::simulate::params::GroupParams,
    slots: usize,
    ok: impl Fn(usize) -> bool,
) -> bool {
    (0..slots).filter(|&i| ok(i)).count() >= p.need
        && (!p.mirror_pairs || (0..slots).step_by(2).all(|i| ok(i) || (i + 1 < slots && ok(i + 1))))
}
