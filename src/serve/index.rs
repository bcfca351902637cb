//! The search index as `conceptlab serve` keeps it: the same parts as a build's
//! ([`search::parts`]), each built on a background thread from the records of its
//! lessons, and built again only when those records change. A save answers at once with
//! the pages; the parts it touched follow (a part of a 1,000-lesson site holds 125
//! lessons on average), and until then the previous index of those parts is served.
//!
//! A part is known by the hash of whether it is the primary part, the site's language
//! and its records, in order: the files Pagefind makes of them depend on nothing else
//! but the part's folder, so a part whose key did not change keeps its files (a template
//! edit, a new site title, a lesson's edit that only changed its page), under its new
//! number when a new lesson split a part before it, and a part whose key changed gets
//! exactly the files a build would write.
//!
//! Owns: which index files are served, and the indexing thread. Never does: render a
//! page, or write to disk.

use std::collections::{BTreeMap, HashMap, HashSet};
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
    /// The keys of the parts sent and not back yet.
    in_flight: HashSet<Key>,
    /// Whether an update gave parts already indexed new numbers, not served yet.
    moved: bool,
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
            in_flight: HashSet::new(),
            moved: false,
        }
    }

    /// The site now has `lessons` (every lesson's content path and records, in site
    /// order), or no index at all when `language` is `None` (search off). Sends the parts
    /// whose records are neither served nor being indexed to be indexed, and gives the
    /// parts served under another number their new number.
    pub fn update(&mut self, lessons: &[(String, LessonRecords)], language: Option<&str>) {
        let Some(language) = language else {
            self.wanted.clear();
            return;
        };
        let paths: Vec<&str> = lessons.iter().map(|(path, _)| path.as_str()).collect();
        let served: HashMap<Key, usize> = self.served.iter().map(|(n, (k, _))| (*k, *n)).collect();
        self.wanted.clear();
        let mut moves = Vec::new();
        let mut batch = Vec::new();
        for (n, range) in search::parts(&paths).into_iter().enumerate() {
            let lessons = &lessons[range];
            let key = part_key(n == 0, language, lessons.iter().map(|(_, r)| r));
            self.wanted.push(key);
            match served.get(&key) {
                Some(&m) if m == n => {}
                Some(&m) => moves.push((m, n)),
                None if self.in_flight.contains(&key) => {}
                None => batch.push(Job {
                    part: n,
                    key,
                    records: lessons.iter().map(|(_, r)| r.clone()).collect(),
                    language: language.to_string(),
                }),
            }
        }
        // From the parts as they were, so that a part moving up one is not read after
        // the part before it took its number.
        let before = match moves.is_empty() {
            true => BTreeMap::new(),
            false => self.served.clone(),
        };
        for (m, n) in moves {
            let (key, files) = &before[&m];
            let files = files.iter().map(|(p, f)| (moved(p, m, n), f.clone()));
            self.served.insert(n, (*key, files.collect()));
            self.moved = true;
        }
        if !batch.is_empty() {
            let keys: Vec<Key> = batch.iter().map(|job| job.key).collect();
            // The thread catches Pagefind's panics, so it lives as long as this struct.
            if self.jobs.send(batch).is_ok() {
                self.in_flight.extend(keys);
            }
        }
    }

    /// Whether some part is not served as its records are now.
    pub fn busy(&self) -> bool {
        !self.in_flight.is_empty() || self.moved
    }

    /// Takes the parts indexed since the last call. Returns whether the files served
    /// changed, and why a part could not be indexed (it is indexed again on the next
    /// update).
    pub fn finished(&mut self) -> (bool, Option<String>) {
        let mut changed = std::mem::take(&mut self.moved);
        let mut failure = None;
        while let Ok((m, key, files)) = self.done.try_recv() {
            self.in_flight.remove(&key);
            // Where the site wants it now: a part before it may have been split meanwhile.
            let Some(n) = self.wanted.iter().position(|k| *k == key) else {
                continue; // its records changed again meanwhile
            };
            match files {
                Ok(files) => {
                    let files = files.into_iter().map(super::live::served);
                    let files = files.map(|(p, f)| (moved(&p, m, n), f)).collect();
                    self.served.insert(n, (key, files));
                    changed = true;
                }
                // Neither served nor in flight: the next update sends the part again.
                Err(why) => failure = Some(why),
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

/// The path of an index file of part `from` as a file of part `to`. Only parts after the
/// primary one move: the primary part's key says that it is the primary.
fn moved(path: &str, from: usize, to: usize) -> String {
    let folder = format!("{}/", search::part_dir(from));
    match path.strip_prefix(&folder) {
        Some(rest) if from != to => format!("{}/{rest}", search::part_dir(to)),
        _ => path.to_string(),
    }
}

/// Whether `path` is a file of an index part (the list of parts is not: every render
/// makes it).
pub fn is_index_file(path: &str) -> bool {
    path.strip_prefix(search::SEARCH_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|rest| rest != search::PARTS_FILE)
}

fn part_key<'a>(
    primary: bool,
    language: &str,
    lessons: impl Iterator<Item = &'a LessonRecords>,
) -> Key {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&[u8::from(primary)]);
    hasher.update(&(language.len() as u64).to_le_bytes());
    hasher.update(language.as_bytes());
    for lesson in lessons {
        hasher.update(lesson.hash.as_bytes());
    }
    hasher.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The content paths of a site of `n` lessons in courses of 120, plus a lesson
    /// `new` at its position when given.
    fn paths(n: usize, new: Option<(usize, &str)>) -> Vec<String> {
        let mut paths: Vec<String> = (0..n)
            .map(|i| format!("course-{:03}/lesson-{i:05}.md", i / 120))
            .collect();
        if let Some((at, path)) = new {
            paths.insert(at, path.to_string());
        }
        paths
    }

    /// The lessons of `paths`, each with one small record.
    fn site(paths: Vec<String>) -> Vec<(String, LessonRecords)> {
        paths
            .into_iter()
            .map(|path| {
                let html = format!(
                    "<html lang=\"en\"><body><main data-pagefind-body><h1>{path}</h1>\
                     <p>Words of {path}.</p></main></body></html>"
                );
                let record = Record::new(format!("/{path}/"), html);
                (path, LessonRecords::new(vec![record]))
            })
            .collect()
    }

    /// The files `index` serves once it has indexed every part.
    fn settled(index: &mut LiveIndex) -> BTreeMap<String, Served> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while index.busy() {
            let (_, failure) = index.finished();
            assert_eq!(failure, None);
            assert!(
                std::time::Instant::now() < deadline,
                "the index never settled"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let mut files = BTreeMap::new();
        index.serve_into(&mut files);
        files
    }

    fn same_files(a: &BTreeMap<String, Served>, b: &BTreeMap<String, Served>) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|((pa, fa), (pb, fb))| {
                pa == pb
                    && match (fa, fb) {
                        (Served::Bytes(x), Served::Bytes(y)) => x == y,
                        _ => false,
                    }
            })
    }

    #[test]
    fn a_new_lesson_indexes_its_part_again_and_the_parts_after_it_only_move() {
        let mut index = LiveIndex::new();
        let lessons = site(paths(600, None));
        index.update(&lessons, Some("en"));
        let first = search::parts(&paths(600, None));
        assert!(first.len() >= 4, "{} parts", first.len());
        assert_eq!(index.in_flight.len(), first.len());
        let before = settled(&mut index);

        // A new lesson that splits a part in two parts of at least half
        // the average (62 lessons; the part ends where a path cut it, not at the most
        // lessons a part holds): the two are indexed, and every later part keeps its
        // files under the next number.
        let part = first[..first.len() - 1]
            .iter()
            .find(|r| r.len() >= 130 && r.len() < 187)
            .expect("a part of 130 to 186 lessons");
        let at = part.start + 64;
        let (new, split) = (0..10_000)
            .map(|k| format!("course-{:03}/new-{k}.md", at / 120))
            .map(|new| (paths(600, Some((at, &new))), new))
            .find(|(p, _)| search::parts(p).len() == first.len() + 1)
            .expect("some name splits the part");
        let added = site(new);
        index.update(&added, Some("en"));
        assert_eq!(index.in_flight.len(), 2, "parts indexed again for {split}");
        assert!(index.moved);
        let after = settled(&mut index);

        // Exactly what an index made from scratch of the same lessons serves, as a build
        // would write it.
        let mut fresh = LiveIndex::new();
        fresh.update(&added, Some("en"));
        assert!(same_files(&after, &settled(&mut fresh)));

        // Deleting it joins the halves again: one part is indexed, and the later parts
        // move back.
        index.update(&lessons, Some("en"));
        assert_eq!(index.in_flight.len(), 1);
        assert!(same_files(&before, &settled(&mut index)));
    }

    #[test]
    fn an_index_file_moves_to_its_new_part_folder_and_nowhere_else() {
        assert_eq!(
            moved("pagefind/part-1/index/x.pf_index", 1, 2),
            "pagefind/part-2/index/x.pf_index"
        );
        assert_eq!(
            moved("pagefind/part-10/index/x.pf_index", 1, 2),
            "pagefind/part-10/index/x.pf_index"
        );
        assert_eq!(
            moved("pagefind/part-3/pagefind-entry.json", 3, 3),
            "pagefind/part-3/pagefind-entry.json"
        );
    }
}
