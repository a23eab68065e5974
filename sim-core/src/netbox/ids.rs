//! Stable component ids from NetBox names.
//!
//! An id is the name in lower case with every run of other characters than `a-z 0-9 . _`
//! made one `-` ("r105-torsw:1" → "r105-torsw-1"). Objects claim ids in NetBox id order,
//! so the first keeps the plain name and a later one with the same name gets its NetBox
//! id appended ("pp-mdf", "pp-mdf-91"): adding a device never renames an existing one.

use std::collections::BTreeSet;

#[derive(Debug, Default)]
pub struct Ids {
    taken: BTreeSet<String>,
    /// (plain id, the id given instead, what, NetBox id) for every name that clashed:
    /// the import says so, since an override of the plain id applies to the first.
    pub clashes: Vec<(String, String, String, i64)>,
}

impl Ids {
    /// Claims an id for `name`; `netbox_id` and `what` ("device", "feed") break ties.
    pub fn claim(&mut self, name: &str, netbox_id: i64, what: &str) -> String {
        let base = match slug(name) {
            s if s.is_empty() => format!("{what}-{netbox_id}"),
            s => shortened(&s),
        };
        let mut id = base.clone();
        if self.taken.contains(&id) {
            id = format!("{base}-{netbox_id}");
            self.clashes.push((base.clone(), id.clone(), what.to_string(), netbox_id));
        }
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}-{netbox_id}-{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }

    /// Claims exactly `id` (for ids that must not change form); a clash gets a suffix.
    pub fn claim_exact(&mut self, id: &str) -> String {
        let id = &shortened(id);
        let mut out = id.to_string();
        let mut n = 2;
        while self.taken.contains(&out) {
            out = format!("{id}-{n}");
            n += 1;
        }
        self.taken.insert(out.clone());
        out
    }
}

/// Longest id the importer writes before its suffixes: scenario ids are at most 128
/// characters (`scenario::valid_id`), and a NetBox device name (64) plus an interface
/// name (64) can pass that.
const MAX_BASE: usize = 100;

/// `id` cut to [`MAX_BASE`] characters, ending in a hash of the whole (FNV-1a, so the
/// same long name always gives the same id and two long names sharing a prefix differ).
fn shortened(id: &str) -> String {
    if id.len() <= MAX_BASE {
        return id.to_string();
    }
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    // Slugs are ASCII, so any byte index is a char boundary.
    format!("{}-{:08x}", id[..MAX_BASE - 9].trim_end_matches('-'), hash as u32)
}

/// `"PP:MDF"` → `"pp-mdf"`; `"Lenovo Flex system (106)"` → `"lenovo-flex-system-106"`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_clashes() {
        assert_eq!(slug("r105-torsw:1"), "r105-torsw-1");
        assert_eq!(slug("PP:MDF"), "pp-mdf");
        assert_eq!(slug("Lenovo Flex system (106)"), "lenovo-flex-system-106");
        assert_eq!(slug("  --  "), "");
        let mut ids = Ids::default();
        assert_eq!(ids.claim("PP:MDF", 90, "device"), "pp-mdf");
        assert_eq!(ids.claim("pp mdf", 91, "device"), "pp-mdf-91");
        assert_eq!(ids.claim("", 7, "feed"), "feed-7");
        assert_eq!(ids.claim_exact("pp-mdf"), "pp-mdf-2");
        // The clash is kept for the import's NB014 note.
        assert_eq!(ids.clashes, vec![("pp-mdf".into(), "pp-mdf-91".into(), "device".into(), 91)]);
        // A 63-character device and a 64-character interface stay a valid id, stable
        // and distinct from another long name with the same start.
        let (device, iface) = ("d".repeat(63), format!("{}1", "i".repeat(63)));
        let long = ids.claim_exact(&format!("uplink-{device}-{iface}"));
        let other = ids.claim_exact(&format!("uplink-{device}-{}2", "i".repeat(63)));
        assert!(long.len() <= MAX_BASE, "{long}");
        assert_ne!(long, other);
        assert_eq!(shortened(&format!("uplink-{device}-{iface}")), long);
    }
}
