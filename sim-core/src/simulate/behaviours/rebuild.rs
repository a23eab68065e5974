//! Rebuild: RAID slots come back only after a rebuild (onto a hot spare or the
//! replacement); beyond tolerance the data is lost and restored from backup.

use crate::simulate::engine::{Event, Sim};

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
                    st.spares -= 1;
                    st.onto_spare[i] = true;
                    self.start_rebuild(j, i);
                }
            } else if up && st.on_spare[i] {
                // The replaced disk comes back as the new spare.
                st.on_spare[i] = false;
                st.spares += 1;
            } else if up && works && !st.slot_ok[i] && !st.rebuilding[i] {
                // (A rebuild needs the disk powered and its site standing.)
                self.start_rebuild(j, i);
            }
        }
        let p = &cx.groups[j];
        let st = &mut self.groups[j];
        let ok_slots = st.slot_ok.iter().filter(|x| **x).count();
        if ok_slots < p.need && !st.data_lost {
            st.data_lost = true;
            changed = true;
            self.restore_from_backup(j, None);
        }
        let st = &mut self.groups[j];
        if st.data_lost && !st.restoring && ok_slots >= p.need {
            // The shared token stays: bumping it would orphan rebuilds still running.
            st.restoring = true;
            let token = st.token;
            let restore = st.restore_secs;
            self.schedule(self.now + restore, Event::RestoreDone { group: j as u32, token });
        }
        self.expose_rebuilds(j);
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
        let token = st.token;
        self.schedule(self.now + rebuild_secs, Event::SlotRebuilt { group: j as u32, member: i as u32, token });
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
                let token = st.token;
                self.schedule(
                    self.now + fraction * remaining_secs,
                    Event::ReadError { group: j as u32, member: i as u32, token },
                );
            }
        }
    }

    /// A rebuild met an unrecoverable read error: the data is lost and restored from
    /// backup; without one, the array comes back empty when the rebuild time ends.
    pub(in crate::simulate) fn on_read_error(&mut self, group: u32, member: u32, token: u32) {
        let (j, i) = (group as usize, member as usize);
        let st = &self.groups[j];
        if st.token != token || !st.rebuilding[i] || st.data_lost || st.read_error_epoch[i] != st.losses {
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
    pub(in crate::simulate) fn on_slot_rebuilt(&mut self, group: u32, member: u32, token: u32) {
        let (j, i) = (group as usize, member as usize);
        if self.groups[j].token == token && self.groups[j].rebuilding[i] {
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
