//! The simulation cache: `<site>/.cache/simulations/<key>.clsim`, one file per trained
//! simulation. The key hashes the resolved spec (defaults applied, so reformatting a spec
//! still hits), [`FORMAT_VERSION`] and the kernel. A file is the artifact followed by the
//! 32-byte blake3 hash of the artifact; a file whose hash or artifact does not check out
//! is reported and retrained, never trusted. Writes are atomic (a temporary file renamed).
//! A file read is marked as used now (its modification time), and [`prune`] removes the
//! files a build did not use, least recently used first, once the cache is over its cap,
//! so that a cache kept between CI runs does not grow without bound.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::model::SimData;
use super::spec::SimPlan;

/// Bump when the engine's results or the way specs turn into data change, so that old
/// cache files are not used.
pub const FORMAT_VERSION: &str = "conceptlab-sim-2";

/// The cache folder of a site.
pub fn dir(site_root: &Path) -> PathBuf {
    site_root.join(".cache").join("simulations")
}

/// The cache key of a resolved spec for a kernel.
pub fn key(spec: &SimPlan, kernel: &str) -> String {
    let canonical = serde_json::to_string(spec).expect("specs serialize");
    let mut h = blake3::Hasher::new();
    h.update(FORMAT_VERSION.as_bytes());
    h.update(b"\n");
    h.update(kernel.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    h.finalize().to_hex()[..32].to_string()
}

pub fn path(site_root: &Path, key: &str) -> PathBuf {
    dir(site_root).join(format!("{key}.clsim"))
}

/// What reading a cache file gave.
pub enum Lookup {
    Hit(Box<SimData>, Vec<u8>),
    Miss,
    /// The file exists but is damaged: why.
    Damaged(String),
}

pub fn read(file: &Path) -> Lookup {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Lookup::Miss,
        Err(e) => return Lookup::Damaged(format!("cannot read it: {e}")),
    };
    if bytes.len() < 32 {
        return Lookup::Damaged("it is truncated".into());
    }
    let (artifact, sum) = bytes.split_at(bytes.len() - 32);
    if blake3::hash(artifact).as_bytes() != sum {
        return Lookup::Damaged("its checksum does not match".into());
    }
    match SimData::decode(artifact) {
        Ok(data) => {
            // Only bytes that re-encode identically are trusted.
            if data.encode() != artifact {
                return Lookup::Damaged("it does not re-encode to the same bytes".into());
            }
            mark_used(file);
            Lookup::Hit(Box::new(data), artifact.to_vec())
        }
        Err(e) => Lookup::Damaged(e),
    }
}

/// Writes `artifact` and its checksum atomically.
pub fn write(file: &Path, artifact: &[u8]) -> std::io::Result<()> {
    let dir = file.parent().expect("cache files live in a folder");
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(artifact)?;
    tmp.write_all(blake3::hash(artifact).as_bytes())?;
    tmp.as_file().sync_all()?;
    // Readable like any file the build writes (temporary files start as 0600).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

/// Sets `file`'s modification time to now: the cache's record of its last use. A cache on
/// a read-only disk just keeps its old times.
fn mark_used(file: &Path) {
    if let Ok(f) = std::fs::File::options().append(true).open(file) {
        let _ = f.set_modified(std::time::SystemTime::now());
    }
}

/// What [`prune`] removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub files: usize,
    pub bytes: u64,
}

/// Temporary files older than this are left over from a killed build, and removed.
const STALE_TEMPORARY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes cache files of `site_root` not in `used` (the keys a build just read or
/// wrote), least recently used first (oldest modification time; then by name, so that
/// the choice never depends on the order the folder lists), until the cache's files take
/// at most `max_bytes`; and temporary files older than an hour. A file in use is never
/// removed, even when those alone are over the cap. Files that are not the cache's (any
/// other name) are left alone.
pub fn prune(
    site_root: &Path,
    used: &std::collections::HashSet<String>,
    max_bytes: u64,
) -> std::io::Result<Pruned> {
    let dir = dir(site_root);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Pruned::default()),
        Err(e) => return Err(e),
    };
    let now = std::time::SystemTime::now();
    let mut pruned = Pruned::default();
    let mut total = 0u64;
    let mut unused = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        let meta = entry.metadata()?;
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified().unwrap_or(now);
        if name.starts_with(".tmp") {
            let age = now.duration_since(modified).unwrap_or_default();
            if age > STALE_TEMPORARY && std::fs::remove_file(entry.path()).is_ok() {
                pruned.files += 1;
                pruned.bytes += meta.len();
            }
            continue;
        }
        let Some(key) = name.strip_suffix(".clsim") else {
            continue;
        };
        total += meta.len();
        if !used.contains(key) {
            unused.push((modified, name.clone(), meta.len(), entry.path()));
        }
    }
    unused.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for (_, _, size, path) in unused {
        if total <= max_bytes {
            break;
        }
        std::fs::remove_file(&path)?;
        total -= size;
        pruned.files += 1;
        pruned.bytes += size;
    }
    Ok(pruned)
}
