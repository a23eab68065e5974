//! Shards: a slice of the replications (or, for a rare-event run, of its batches of
//! cycles), written as JSON and merged later into exactly the report a single run gives. Records round-trip through JSON bit for bit
//! (serde_json writes the shortest float that parses back to the same value).

use serde::{Deserialize, Serialize};

use super::rare::RareBatch;
use super::{ReplicationRecord, SimOptions};

pub const SHARD_FORMAT: &str = "spofsim-shard";
pub const SHARD_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    pub format: String,
    pub version: u32,
    pub spofsim: String,
    pub scenario: String,
    pub scenario_hash: String,
    pub services: Vec<String>,
    pub seed: u64,
    pub years: u32,
    /// Replications of the whole run, not of this shard.
    pub replications: u64,
    pub ideal: bool,
    pub random_failures: bool,
    /// `[i, n]`: this is shard i of n (from 0).
    pub shard: [u64; 2],
    pub records: Vec<ReplicationRecord>,
    /// A rare-event run (`simulate --rare-event`): its cycles in all. Its batches are
    /// the "replications" (`years` is 1), and `batches` holds this shard's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rare_cycles: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub batches: Vec<RareBatch>,
    /// The simulator's simplifications the scenario meets (`Compiled::approximations`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The replications shard `i` of `n` runs: contiguous, covering `0..total` exactly once.
pub fn shard_range(i: u64, n: u64, total: u64) -> std::ops::Range<u64> {
    let at = |k: u64| ((u128::from(total) * u128::from(k)) / u128::from(n.max(1))) as u64;
    at(i)..at(i + 1)
}

impl Shard {
    /// Shard `[i, n]` of the run `options` of a scenario, with no records yet.
    pub fn new(
        scenario: &str,
        scenario_hash: String,
        services: Vec<String>,
        options: &SimOptions,
        shard: [u64; 2],
    ) -> Shard {
        Shard {
            format: SHARD_FORMAT.into(),
            version: SHARD_VERSION,
            spofsim: crate::VERSION.into(),
            scenario: scenario.to_string(),
            scenario_hash,
            services,
            seed: options.seed,
            years: options.years,
            replications: options.replications,
            ideal: options.ideal,
            random_failures: options.random_failures,
            shard,
            records: Vec::new(),
            rare_cycles: None,
            batches: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn options(&self) -> SimOptions {
        SimOptions {
            years: self.years,
            replications: self.replications,
            seed: self.seed,
            random_failures: self.random_failures,
            ideal: self.ideal,
        }
    }
}

/// What merged shards describe: the run's options and all of its records.
pub struct Merged {
    pub scenario: String,
    pub scenario_hash: String,
    pub services: Vec<String>,
    pub options: SimOptions,
    pub records: Vec<ReplicationRecord>,
    /// A rare-event run: its cycles and every batch, in index order.
    pub rare_cycles: Option<u64>,
    pub batches: Vec<RareBatch>,
    pub notes: Vec<String>,
}

/// Checks that the shards belong to one run and cover it exactly once; every problem
/// is reported.
pub fn merge(shards: Vec<(String, Shard)>) -> Result<Merged, Vec<String>> {
    let mut errors = Vec::new();
    let Some((first_name, first)) = shards.first() else { return Err(vec!["no shards given".into()]) };
    let n = first.shard[1];
    let mut seen = vec![false; n as usize];
    for (name, s) in &shards {
        if s.format != SHARD_FORMAT || s.version != SHARD_VERSION {
            errors.push(format!("{name}: not a spofsim shard (format {} version {})", s.format, s.version));
            continue;
        }
        let differs: Vec<String> = [
            (s.scenario_hash != first.scenario_hash, "scenario".to_string()),
            (s.services != first.services, "services".into()),
            (s.seed != first.seed, format!("seed {} vs {}", s.seed, first.seed)),
            (
                s.rare_cycles != first.rare_cycles,
                match (s.rare_cycles, first.rare_cycles) {
                    (Some(a), Some(b)) => format!("--cycles {a} vs {b}"),
                    (Some(_), None) | (None, Some(_)) => "one is a --rare-event run, the other not".into(),
                    (None, None) => String::new(),
                },
            ),
            (s.rare_cycles.is_none() && s.years != first.years, format!("--years {} vs {}", s.years, first.years)),
            (
                s.rare_cycles.is_none() && s.replications != first.replications,
                format!("--replications {} vs {}", s.replications, first.replications),
            ),
            (s.ideal != first.ideal, format!("--ideal {} vs {}", s.ideal, first.ideal)),
            (s.random_failures != first.random_failures, "--drills-only on one, not the other".into()),
            (s.shard[1] != n, format!("shard count {} vs {n}", s.shard[1])),
        ]
        .into_iter()
        .filter_map(|(d, what)| d.then_some(what))
        .collect();
        if !differs.is_empty() {
            errors.push(format!("{name}: from a different run than {first_name} ({})", differs.join(", ")));
            continue;
        }
        let i = s.shard[0];
        if i >= n {
            errors.push(format!("{name}: shard {i} of {n} is out of range"));
        } else if std::mem::replace(&mut seen[i as usize], true) {
            errors.push(format!("{name}: shard {i}/{n} given twice"));
        } else {
            let want: Vec<u64> = shard_range(i, n, s.replications).collect();
            let have: Vec<u64> = match s.rare_cycles {
                Some(_) => s.batches.iter().map(|b| b.index).collect(),
                None => s.records.iter().map(|r| r.index).collect(),
            };
            if want != have {
                errors.push(format!("{name}: records do not match shard {i}/{n} (truncated or edited?)"));
            }
        }
    }
    let missing: Vec<String> = (0..n).filter(|&i| !seen[i as usize]).map(|i| format!("{i}/{n}")).collect();
    if !missing.is_empty() && errors.is_empty() {
        errors.push(format!("missing shards: {}", missing.join(", ")));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut records: Vec<ReplicationRecord> = shards.iter().flat_map(|(_, s)| s.records.iter().cloned()).collect();
    records.sort_by_key(|r| r.index);
    let mut batches: Vec<RareBatch> = shards.iter().flat_map(|(_, s)| s.batches.iter().cloned()).collect();
    batches.sort_by_key(|b| b.index);
    Ok(Merged {
        scenario: first.scenario.clone(),
        scenario_hash: first.scenario_hash.clone(),
        services: first.services.clone(),
        options: first.options(),
        records,
        rare_cycles: first.rare_cycles,
        batches,
        notes: first.notes.clone(),
    })
}

/// FNV-1a (64-bit) of the scenario text, in hex: identifies the input in reports and
/// shards (not a security hash).
pub fn scenario_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("fnv1a64:{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_ranges_cover_every_replication_once() {
        for total in [0, 1, 7, 100] {
            for n in 1..=5 {
                let all: Vec<u64> = (0..n).flat_map(|i| shard_range(i, n, total)).collect();
                assert_eq!(all, (0..total).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn hash_is_fnv1a() {
        assert_eq!(scenario_hash(""), "fnv1a64:cbf29ce484222325");
        assert_eq!(scenario_hash("a"), "fnv1a64:af63dc4c8601ec8c");
    }
}
