//! The simulation cache: `<site>/.cache/simulations/<key>.clsim`, one file per trained
//! simulation. The key hashes the resolved spec (defaults applied, so reformatting a spec
//! still hits), [`FORMAT_VERSION`] and the kernel. A file is the artifact followed by the
//! 32-byte blake3 hash of the artifact; a file whose hash or artifact does not check out
//! is reported and retrained, never trusted. Writes are atomic (a temporary file renamed).

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
