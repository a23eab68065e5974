//! Rebuild: RAID slots come back only after a rebuild (onto a hot spare or the
//! replacement); beyond tolerance the data is lost and restored from backup.

use crate::simulate::engine::{Event, Sim};

impl<'c, 'm> Sim<'c, 'm> {
    pub(in crate::simulate) fn react_rebuild(&mut self, j: usize) {
        let cx = self.cx;
        let p = &cx.groups[j];
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
        if changed {
            self.mark_group(j);
        }
    }

    /// Starts the rebuild of slot `i`. With no redundancy left, a read error can meet
    /// it (`mechanisms::raid`): where the first error of the rebuild's reads falls, or
    /// at its end when a drill asked for one. The slot still counts as rebuilt when the
    /// rebuild time ends (the array is recreated and restored), so slots keep their own
    /// cycles whatever happens to the data.
    fn start_rebuild(&mut self, j: usize, i: usize) {
        let p = &self.cx.groups[j];
        let rebuild_secs = p.rebuild_secs;
        let disk = self.cx.model.groups[j].members[i].0 as usize;
        let st = &mut self.groups[j];
        st.rebuilding[i] = true;
        let token = st.token;
        let ok_others = st.slot_ok.iter().enumerate().filter(|&(k, ok)| k != i && *ok).count();
        let exposed = p.read_errors.filter(|r| !st.data_lost && r.exposed(ok_others, p.need));
        let error_at = match exposed {
            Some(_) if std::mem::take(&mut self.read_error_due[disk]) => Some(1.0),
            Some(risk) if self.cx.options.random_failures => {
                crate::simulate::sample::first_event_fraction(&mut self.rng, risk.expected_errors)
            }
            _ => None,
        };
        // Scheduled first: an error at the rebuild's last moment comes before its end.
        if let Some(fraction) = error_at {
            self.schedule(
                self.now + fraction * rebuild_secs,
                Event::ReadError { group: j as u32, member: i as u32, token },
            );
        }
        self.schedule(self.now + rebuild_secs, Event::SlotRebuilt { group: j as u32, member: i as u32, token });
    }

    /// A rebuild met an unrecoverable read error: the data is lost and restored from
    /// backup once enough slots hold disks again.
    pub(in crate::simulate) fn on_read_error(&mut self, group: u32, member: u32, token: u32) {
        let (j, i) = (group as usize, member as usize);
        let st = &self.groups[j];
        if st.token != token || !st.rebuilding[i] || st.data_lost {
            return;
        }
        self.groups[j].data_lost = true;
        self.restore_from_backup(j, None);
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
