//! The search index as `conceptlab serve` keeps it: the same parts as a build's
//! ([`search::part_size`]), each built on a background thread from the records of its
//! lessons, and built again only when those records change. A save answers at once with
//! the pages; the parts it touched follow (one part of a 1,000-lesson site is 125
//! lessons), and until then the previous index of those parts is served.
//!
//! A part is known by the hash of its number, the site's language and its records, in
//! order: the files Pagefind makes of them depend on nothing else, so a part whose key
//! did not change keeps its files (a template edit, a new site title, a lesson's edit
//! that only changed its page), and a part whose key changed gets exactly the files a
//! build would write.
//!
//! Owns: which index files are served, and the indexing thread. Never does: render a
//! page, or write to disk.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use rayon::prelude::*;

use super::live::Served;
use crate::output::OutputFile;
use crate::render::search::{self, Record};

/// The records of one lesson, shared between saves, with their hash.
#[derive(Clone)]
pub struct LessonRecords {
    records: Arc<[Record]>,
    hash: Key,
}

impl LessonRecords {
    pub fn new(records: Vec<Record>) -> LessonRecords {
        let mut hasher = blake3::Hasher::new();
        hasher.update(&(records.len() as u64).to_le_bytes());
        for record in &records {
            record.hash_into(&mut hasher);
        }
        LessonRecords {
            records: records.into(),
            hash: hasher.finalize(),
        }
    }
}

type Key = blake3::Hash;

/// One part to index: its number, its key, and its lessons' records in site order.
struct Job {
    part: usize,
    key: Key,
    records: Vec<LessonRecords>,
    language: String,
}

type Done = (usize, Key, Result<Vec<OutputFile>, String>);

/// The index of the site being served.
pub struct LiveIndex {
    /// The key each part should have now, in order; empty when search is off.
    wanted: Vec<Key>,
    /// Each part's files being served, with the key they were made for, by part.
    served: BTreeMap<usize, (Key, Vec<(String, Served)>)>,
    jobs: Sender<Vec<Job>>,
    done: Receiver<Done>,
    /// Jobs sent and not back yet.
    in_flight: usize,
}

impl LiveIndex {
    pub fn new() -> LiveIndex {
        let (jobs, job_receiver) = channel::<Vec<Job>>();
        let (done_sender, done) = channel::<Done>();
        std::thread::spawn(move || {
            for batch in job_receiver {
                // The parts of one update are indexed side by side.
                let results: Vec<Done> = batch
                    .into_par_iter()
                    .map(|job| {
                        let records = job.records.iter().flat_map(|r| r.records.iter().cloned());
                        let records: Vec<Record> = records.collect();
                        // Pagefind has panicked on input before: that is this part's
                        // error, not the end of the thread.
                        let files = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            search::index_part(job.part, records, &job.language)
                        }));
                        let files = match files {
                            Ok(files) => files.map_err(|d| d.message.clone()),
                            Err(_) => Err(format!("Pagefind failed on part {}", job.part)),
                        };
                        (job.part, job.key, files)
                    })
                    .collect();
                for result in results {
                    if done_sender.send(result).is_err() {
                        return;
                    }
                }
            }
        });
        LiveIndex {
            wanted: Vec::new(),
            served: BTreeMap::new(),
            jobs,
            done,
            in_flight: 0,
        }
    }

    /// The site now has `lessons` (every lesson's records, in site order), or no index at
    /// all when `language` is `None` (search off). Sends the parts whose records changed
    /// to be indexed.
    pub fn update(&mut self, lessons: &[LessonRecords], language: Option<&str>) {
        let Some(language) = language else {
            self.wanted.clear();
            return;
        };
        let size = search::part_size(lessons.len());
        let parts: Vec<&[LessonRecords]> = match lessons.is_empty() {
            true => vec![&[]],
            false => lessons.chunks(size).collect(),
        };
        let old = std::mem::take(&mut self.wanted);
        let mut batch = Vec::new();
        for (n, records) in parts.into_iter().enumerate() {
            let key = part_key(n, language, records);
            let same = old.get(n) == Some(&key);
            let served = self.served.get(&n).is_some_and(|(k, _)| *k == key);
            if !same && !served {
                batch.push(Job {
                    part: n,
                    key,
                    records: records.to_vec(),
                    language: language.to_string(),
                });
            }
            self.wanted.push(key);
        }
        if !batch.is_empty() {
            let jobs = batch.len();
            // The thread catches Pagefind's panics, so it lives as long as this struct.
            if self.jobs.send(batch).is_ok() {
                self.in_flight += jobs;
            }
        }
    }

    /// Whether some part is not served as its records are now.
    pub fn busy(&self) -> bool {
        self.in_flight > 0
    }

    /// Takes the parts indexed since the last call. Returns whether the files served
    /// changed, and why a part could not be indexed (it is indexed again on the next
    /// update).
    pub fn finished(&mut self) -> (bool, Option<String>) {
        let mut changed = false;
        let mut failure = None;
        while let Ok((n, key, files)) = self.done.try_recv() {
            self.in_flight -= 1;
            if self.wanted.get(n) != Some(&key) {
                continue; // its records changed again meanwhile
            }
            match files {
                Ok(files) => {
                    let files = files.into_iter().map(super::live::served).collect();
                    self.served.insert(n, (key, files));
                    changed = true;
                }
                Err(why) => {
                    // No key matches this one: the next update sends the part again.
                    self.wanted[n] = blake3::Hash::from_bytes([0; 32]);
                    failure = Some(why);
                }
            }
        }
        // Parts the site no longer has (fewer lessons, or search off) go.
        let count = self.wanted.len();
        let before = self.served.len();
        self.served.retain(|n, _| *n < count);
        changed |= self.served.len() != before;
        (changed, failure)
    }

    /// Puts the index files served into `files`, in place of every index file there.
    pub fn serve_into(&self, files: &mut BTreeMap<String, Served>) {
        files.retain(|path, _| !is_index_file(path));
        for (_, part) in self.served.values() {
            files.extend(part.iter().cloned());
        }
    }
}

/// Whether `path` is a file of an index part (the list of parts is not: every render
/// makes it).
pub fn is_index_file(path: &str) -> bool {
    path.strip_prefix(search::SEARCH_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|rest| rest != search::PARTS_FILE)
}

fn part_key(n: usize, language: &str, lessons: &[LessonRecords]) -> Key {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(n as u64).to_le_bytes());
    hasher.update(&(language.len() as u64).to_le_bytes());
    hasher.update(language.as_bytes());
    for lesson in lessons {
        hasher.update(lesson.hash.as_bytes());
    }
    hasher.finalize()
}
