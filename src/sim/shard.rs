//! Training spread over several processes or machines (`conceptlab simulate`): the
//! simulations the cache lacks, each with its estimated work, are assigned to N shards,
//! longest first, each to the shard with the least work so far (ties: the lowest shard);
//! shard I trains its own into the cache. The assignment depends only on the simulations
//! and the cache's contents, never on the machine, so every shard that starts from the
//! same cache computes the same plan, no file is written by two shards, and merging the
//! shards' caches is copying folders. A simulation no shard trained is trained by `build`.
//!
//! Owns: the plan and the shard arguments. Never does: train (the caller runs
//! [`super::Pending::train`] for its shard's simulations).

use serde::Serialize;

use super::Pending;

/// One simulation of a plan.
#[derive(Clone, Debug, Serialize)]
pub struct Planned {
    /// `course/slug#id`.
    pub label: String,
    pub cache_key: String,
    pub networks: usize,
    pub gflop: f64,
    /// Its shard, from 1.
    pub shard: usize,
}

/// A shard of a plan.
#[derive(Clone, Debug, Serialize)]
pub struct Shard {
    /// From 1.
    pub shard: usize,
    pub simulations: usize,
    pub gflop: f64,
    /// The estimated training time on `cores` cores.
    pub seconds: f64,
}

/// The simulations the cache lacks, assigned to shards.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    /// A hash of every simulation's cache key (see [`digest`]): the same exactly when the
    /// site's simulations would train the same files, so a CI cache keyed by it holds
    /// what the build needs.
    pub digest: String,
    /// The simulations already in the cache.
    pub cached: usize,
    pub simulations: Vec<Planned>,
    pub shards: Vec<Shard>,
    /// The cores the estimated times are for.
    pub cores: usize,
}

/// Assigns `pending` to `shards` shards (at least 1), longest first. Two lessons with the
/// same spec share one cache file: it is planned once.
pub fn plan(pending: &[Pending], cached: usize, shards: usize, cores: usize) -> Plan {
    let shards = shards.max(1);
    let mut unique: Vec<&Pending> = Vec::new();
    for p in pending {
        if !unique.iter().any(|u| u.cache_key == p.cache_key) {
            unique.push(p);
        }
    }
    unique.sort_by(|a, b| {
        b.cost
            .flop
            .total_cmp(&a.cost.flop)
            .then_with(|| a.cache_key.cmp(&b.cache_key))
    });
    let mut loads = vec![0.0f64; shards];
    let mut counts = vec![0usize; shards];
    let mut simulations = Vec::with_capacity(unique.len());
    for p in unique {
        let (least, _) = loads
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(&b.0)))
            .expect("at least one shard");
        loads[least] += p.cost.flop;
        counts[least] += 1;
        simulations.push(Planned {
            label: p.label(),
            cache_key: p.cache_key.clone(),
            networks: p.networks,
            gflop: p.cost.gflop(),
            shard: least + 1,
        });
    }
    let shards = loads
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(i, (&flop, &n))| {
            let cost = super::cost::Cost { networks: 0, flop };
            Shard {
                shard: i + 1,
                simulations: n,
                gflop: cost.gflop(),
                seconds: cost.seconds(cores),
            }
        })
        .collect();
    Plan {
        digest: String::new(),
        cached,
        simulations,
        shards,
        cores,
    }
}

/// A short hash of the site's cache keys (sorted, as [`super::SimSummary::keys`]): 16
/// hex digits of blake3. The keys already hold the spec, the format version and the
/// arithmetic, so any change that needs other files changes it.
pub fn digest(keys: &[String]) -> String {
    let mut h = blake3::Hasher::new();
    for key in keys {
        h.update(key.as_bytes());
        h.update(b"\n");
    }
    h.finalize().to_hex()[..16].to_string()
}

/// How many shards keep each under `target_seconds` of estimated training on `cores`
/// cores: at least 1, at most one per simulation.
pub fn recommend(pending: &[Pending], target_seconds: f64, cores: usize) -> usize {
    let total: f64 = pending.iter().map(|p| p.cost.seconds(cores)).sum();
    let longest = pending
        .iter()
        .map(|p| p.cost.seconds(cores))
        .fold(0.0, f64::max);
    if target_seconds.is_nan() || target_seconds <= 0.0 || total == 0.0 {
        return 1;
    }
    // No shard can be shorter than the longest simulation.
    let by_total = (total / target_seconds.max(longest)).ceil() as usize;
    by_total.clamp(1, pending.len().max(1))
}

/// Reads `I/N` (shard I of N, from 1).
pub fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let (i, n) = text
        .split_once('/')
        .ok_or_else(|| format!("`{text}` is not a shard: expected I/N, such as 2/4"))?;
    let number = |s: &str| s.trim().parse::<usize>().ok();
    match (number(i), number(n)) {
        (Some(i), Some(n)) if n >= 1 && (1..=n).contains(&i) => Ok((i, n)),
        (Some(_), Some(0)) => Err(format!("`{text}`: there must be at least 1 shard")),
        (Some(i), Some(n)) => Err(format!(
            "`{text}`: shard {i} of {n} does not exist (shards are numbered 1 to {n})"
        )),
        _ => Err(format!(
            "`{text}` is not a shard: expected I/N with whole numbers, such as 2/4"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_arguments_are_checked() {
        assert_eq!(parse_shard("2/4"), Ok((2, 4)));
        assert_eq!(parse_shard("1/1"), Ok((1, 1)));
        for bad in ["5/4", "0/4", "0/0", "1/0", "x/y", "3", "-1/2", "1/2/3"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
        assert!(parse_shard("5/4").unwrap_err().contains("numbered 1 to 4"));
    }
}
