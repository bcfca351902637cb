//! Stage 4, write: put the rendered files on disk so that the output folder is always a
//! complete site, the old one or the new one.
//!
//! Files are written, in parallel, into a fresh temporary folder next to the output
//! folder, which then takes the output's place in one atomic rename (on Linux; elsewhere
//! in two, with a moment in between). A failed or killed build leaves the old output
//! untouched; its leftover temporary folders are removed by the next build. The
//! output folder carries a marker file so that a build never replaces a folder it did
//! not write (say, `--output docs` pointing at hand-written files).
//!
//! Two builds never write next to each other at once: a build holds an exclusive lock
//! on the output's parent folder from the moment it makes its temporary folder until
//! the swap, so a second build into the same place waits for the first (and cannot
//! remove the first one's temporary folder as a leftover). The lock is the operating
//! system's (`flock`), so a killed build never leaves it held.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::{Contents, OutputFile};

/// The marker file conceptlab leaves in every output folder it writes.
pub const MARKER: &str = ".conceptlab-build";
const TEMP_PREFIX: &str = ".conceptlab-tmp-";
const OLD_PREFIX: &str = ".conceptlab-old-";

#[derive(Debug)]
pub enum WriteError {
    /// The output folder exists, is not empty, and was not written by conceptlab.
    NotOurs(PathBuf),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotOurs(p) => write!(
                f,
                "refusing to replace {}: it is not empty and was not written by conceptlab \
                 (no {MARKER} file); remove it or choose another --output",
                p.display()
            ),
            WriteError::Io(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

/// Writes `files` as the new content of `output`.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let staging = Staging::create(output, &|| {})?;
    files.par_iter().try_for_each(|file| staging.write(file))?;
    staging.finish()
}

/// The temporary folder a new site is written into, file by file (from several threads
/// at once), before it takes the output's place. Dropped without [`Staging::finish`]
/// (a failed build), it is removed and the output is left as it was.
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    dir: tempfile::TempDir,
    /// Held until the new site is swapped in (or the build fails).
    _lock: fs::File,
}

impl Staging {
    /// Waits for any other build writing next to `output` (calling `waiting` first if it
    /// has to), checks that `output` may be replaced, removes what interrupted builds
    /// left, and makes the temporary folder next to it.
    pub fn create(output: &Path, waiting: &dyn Fn()) -> Result<Staging, WriteError> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
        let lock = lock(&parent, waiting).map_err(|e| WriteError::Io(parent.clone(), e))?;
        if output.exists() && !is_replaceable(output) {
            return Err(WriteError::NotOurs(output.to_path_buf()));
        }
        remove_leftovers(&parent);
        let dir = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempdir_in(&parent)
            .map_err(|e| WriteError::Io(parent.clone(), e))?;
        // Written first and checked last: if anything removed the folder meanwhile (and
        // writes made it anew), the folder is incomplete and must not become the site.
        let marker = dir.path().join(MARKER);
        fs::write(
            &marker,
            b"written by conceptlab; safe to delete with the folder\n",
        )
        .map_err(|e| WriteError::Io(marker, e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            parent,
            dir,
            _lock: lock,
        })
    }

    /// Writes one file of the new site.
    pub fn write(&self, file: &OutputFile) -> Result<(), WriteError> {
        let path = self.dir.path().join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
        }
        match &file.contents {
            Contents::Bytes(bytes) => fs::write(&path, bytes),
            Contents::Copy(from) => fs::copy(from, &path).map(|_| ()),
        }
        .map_err(|e| WriteError::Io(path.clone(), e))
    }

    /// Marks the new site as conceptlab's and swaps it in as the output.
    pub fn finish(self) -> Result<(), WriteError> {
        let Staging {
            output,
            parent,
            dir,
            _lock,
        } = self;
        let output = output.as_path();
        let root = dir.path();
        if !root.join(MARKER).is_file() {
            return Err(WriteError::Io(
                root.to_path_buf(),
                io::Error::other(
                    "the temporary folder was removed while the build wrote it; \
                     the output was left as it was",
                ),
            ));
        }

        // Swap: the new site takes the output's name in one atomic step where the system
        // can exchange two paths (Linux); elsewhere the old output moves aside first.
        let staged = dir.keep();
        if output.exists() {
            if exchange(&staged, output).is_ok() {
                // `staged` now holds the previous site.
                let _ = fs::remove_dir_all(&staged);
                return Ok(());
            }
            let old = tempfile::Builder::new()
                .prefix(OLD_PREFIX)
                .tempdir_in(&parent)
                .map_err(|e| WriteError::Io(parent.clone(), e))?
                .keep();
            let aside = old.join("site");
            fs::rename(output, &aside).map_err(|e| WriteError::Io(output.to_path_buf(), e))?;
            if let Err(e) = fs::rename(&staged, output) {
                // Put the old site back so the output is never left missing.
                let _ = fs::rename(&aside, output);
                let _ = fs::remove_dir_all(&staged);
                return Err(WriteError::Io(output.to_path_buf(), e));
            }
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&staged, output).map_err(|e| WriteError::Io(output.to_path_buf(), e))?;
        }
        Ok(())
    }
}

/// Takes the exclusive lock of the folder `parent`, waiting for it if another build holds
/// it. On Unix the folder itself is locked; elsewhere a lock file in it.
fn lock(parent: &Path, waiting: &dyn Fn()) -> io::Result<fs::File> {
    #[cfg(unix)]
    let file = fs::File::open(parent)?;
    #[cfg(not(unix))]
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(parent.join(".conceptlab-lock"))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock()?;
            Ok(file)
        }
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Exchanges two paths atomically: each takes the other's name.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

fn is_replaceable(output: &Path) -> bool {
    output.join(MARKER).is_file()
        || fs::read_dir(output).is_ok_and(|mut entries| entries.next().is_none())
}

/// Removes temporary folders that an interrupted build left next to the output.
fn remove_leftovers(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if (name.starts_with(TEMP_PREFIX) || name.starts_with(OLD_PREFIX))
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}
