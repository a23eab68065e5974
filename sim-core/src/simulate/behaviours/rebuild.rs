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
                    st.rebuilding[i] = true;
                    st.onto_spare[i] = true;
                    let token = st.token;
                    self.schedule(
                        self.now + p.rebuild_secs,
                        Event::SlotRebuilt { group: j as u32, member: i as u32, token },
                    );
                }
            } else if up && st.on_spare[i] {
                // The replaced disk comes back as the new spare.
                st.on_spare[i] = false;
                st.spares += 1;
            } else if up && works && !st.slot_ok[i] && !st.rebuilding[i] {
                // (A rebuild needs the disk powered and its site standing.)
                st.rebuilding[i] = true;
                let token = st.token;
                self.schedule(
                    self.now + p.rebuild_secs,
                    Event::SlotRebuilt { group: j as u32, member: i as u32, token },
                );
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
