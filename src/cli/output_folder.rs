//! Writes an output folder all at once, and never a folder certplan did not write.
//!
//! Every folder certplan writes carries a marker file, [`MARKER`]. A folder is replaced only when
//! it is missing, empty, or carries the marker; anything else (a user's files, the folder that
//! holds the scenario, the working folder, a repository) is refused before anything is touched.
//!
//! The new outputs are written to a staging folder beside the target and swapped in with one
//! atomic exchange (Linux `renameat2(RENAME_EXCHANGE)`); then the parent folder is synced once,
//! one sync per run rather than one per file.
//! Where the exchange is not available (another OS, a filesystem without it) the swap falls back
//! to two renames, target → `.certplan-old-*`, staging → target; a run killed between them
//! leaves the previous outputs in `.certplan-old-*`, and the next run in that folder puts them
//! back before it does anything else. Staging folders of killed runs are removed by the next run:
//! a live run holds a lock on its staging folder's marker, so only abandoned ones are touched, and
//! only when they carry the marker.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::render::export::OutputFile;
use crate::vocabulary::error::Error;

/// The file that marks a folder as certplan's own: certplan may replace such a folder.
pub const MARKER: &str = ".certplan-output";
const STAGING_PREFIX: &str = ".certplan-new-";
const PREVIOUS_PREFIX: &str = ".certplan-old-";

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

fn refused(path: &Path, reason: impl Into<String>) -> Error {
    Error::Refused {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// What the marker file says: the same in every folder, so that outputs stay byte-identical.
const MARKER_TEXT: &str = "certplan wrote this folder and replaces all of it on its next run into it.\n\
                           Keep no files of your own here.\n";

/// Random characters in the name of a moved-aside folder, before `-<folder name>`.
const RANDOM_CHARS: usize = 8;

/// The folder a moved-aside folder (`.certplan-old-XXXXXXXX-<name>`) came from, so that the next
/// run can put it back when a killed run left no output folder.
fn folder_named_in(aside: &Path) -> Option<String> {
    let file_name = aside.file_name()?.to_string_lossy().into_owned();
    let rest = file_name.strip_prefix(PREVIOUS_PREFIX)?;
    let name = rest.get(RANDOM_CHARS..)?.strip_prefix('-')?;
    (!name.is_empty() && name != "." && name != "..").then(|| name.to_string())
}

fn has_marker(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// A test-only pause at a named step of the swap, so that tests can kill the run there.
fn pause_point(step: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("CERTPLAN_TEST_PAUSE_AT").is_ok_and(|v| v == step) {
        if let Ok(path) = std::env::var("CERTPLAN_TEST_PAUSE_SIGNAL") {
            let _ = fs::write(path, step);
        }
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
    #[cfg(not(debug_assertions))]
    let _ = step;
}

fn exchange_allowed() -> bool {
    #[cfg(debug_assertions)]
    if std::env::var_os("CERTPLAN_TEST_NO_EXCHANGE").is_some() {
        return false;
    }
    true
}

/// Where the outputs go: `out` itself, or the folder a symbolic link at `out` points to.
fn resolve(out: &Path) -> Result<PathBuf, Error> {
    match fs::symlink_metadata(out) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(out).map_err(|_| {
            refused(
                out,
                "it is a symbolic link to nothing: point it at a folder, or give another --out",
            )
        }),
        Ok(_) => fs::canonicalize(out).map_err(write_error(out)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let name = out
                .file_name()
                .filter(|n| *n != "." && *n != "..")
                .ok_or_else(|| refused(out, "it does not name a folder"))?;
            let parent = match out.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            fs::create_dir_all(&parent).map_err(write_error(&parent))?;
            let parent = fs::canonicalize(&parent).map_err(write_error(&parent))?;
            Ok(parent.join(name))
        }
        Err(e) => Err(write_error(out)(e)),
    }
}

/// Whether the user made the folder read-only (`chmod a-w`): no write bit for its owner. Read
/// from the mode bits rather than by trying, because root may write a folder whatever its bits.
fn is_read_only(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o200 == 0
    }
    #[cfg(not(unix))]
    {
        meta.permissions().readonly()
    }
}

/// Refuses a target certplan must not replace; `scenario` is the file being planned.
fn check_replaceable(shown: &Path, target: &Path, scenario: Option<&Path>) -> Result<(), Error> {
    let Ok(meta) = fs::metadata(target) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(refused(
            shown,
            "it exists and is not a folder: give a folder for the outputs with --out",
        ));
    }
    if target.parent().is_none() {
        return Err(refused(
            shown,
            "it is the root folder: give a folder of its own with --out",
        ));
    }
    if is_read_only(&meta) {
        return Err(refused(
            shown,
            format!(
                "it is read-only (its owner may not write it), so certplan leaves it as it is: \
                 make it writable (chmod u+w {}) or give another folder with --out",
                shown.display()
            ),
        ));
    }
    if let Ok(cwd) = std::env::current_dir().and_then(fs::canonicalize)
        && cwd.starts_with(target)
    {
        return Err(refused(
            shown,
            "it is the working folder or holds it: give a folder of its own with --out, e.g. \
             --out output/plan",
        ));
    }
    if let Some(scenario) = scenario.and_then(|s| fs::canonicalize(s).ok())
        && scenario.starts_with(target)
    {
        return Err(refused(
            shown,
            "it holds the scenario file: give a folder of its own with --out, e.g. --out \
             output/plan",
        ));
    }
    if target.join(".git").exists() {
        return Err(refused(
            shown,
            "it is a git repository: give a folder of its own with --out",
        ));
    }
    if has_marker(target) {
        return Ok(());
    }
    let mut names: Vec<String> = fs::read_dir(target)
        .map_err(write_error(shown))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let more = names.len().saturating_sub(3);
    let listed: Vec<String> = names
        .iter()
        .take(3)
        .map(|n| format!("`{}`", crate::vocabulary::text::for_terminal(n, 40)))
        .collect();
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Err(refused(
        shown,
        format!(
            "it holds files certplan did not write ({}{tail}), and certplan replaces the whole \
             folder: give an empty or new folder with --out, or move those files away",
            listed.join(", ")
        ),
    ))
}

/// Takes the lock that tells other runs this staging folder is in use; `None` when another live
/// run holds it.
fn lock_marker(dir: &Path) -> Option<fs::File> {
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(dir.join(MARKER))
        .ok()?;
    file.try_lock().ok()?;
    Some(file)
}

/// Puts back outputs a killed run had moved aside, and removes staging folders of killed runs.
/// Only folders that carry the marker and that no live run holds are touched.
fn recover_abandoned(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with(STAGING_PREFIX) || n.starts_with(PREVIOUS_PREFIX)
            }) && fs::symlink_metadata(p).is_ok_and(|m| m.is_dir())
        })
        .collect();
    // Previous outputs first, so they are put back before staging folders are cleared.
    stale.sort_by_key(|p| {
        !p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(PREVIOUS_PREFIX))
    });
    for dir in stale {
        if !has_marker(&dir) {
            // Killed before its marker was written: nothing of the user's can be inside, but
            // remove it only when it is empty.
            let _ = fs::remove_dir(&dir);
            continue;
        }
        let Some(lock) = lock_marker(&dir) else {
            continue;
        };
        let is_previous = dir
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(PREVIOUS_PREFIX));
        if is_previous
            && let Some(name) = folder_named_in(&dir)
            && fs::symlink_metadata(parent.join(&name)).is_err()
        {
            drop(lock);
            let _ = fs::rename(&dir, parent.join(&name));
            continue;
        }
        drop(lock);
        let _ = fs::remove_dir_all(&dir);
    }
}

fn sync_folder(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// After the swap, the one sync of a run: the parent folder, which makes the swap durable.
fn sync_after_swap(parent: &Path) -> std::io::Result<()> {
    sync_folder(parent)
}

/// Swaps `staging` and `target` in one step; `Ok(false)` when this system cannot.
fn exchange(staging: &Path, target: &Path) -> std::io::Result<bool> {
    if !exchange_allowed() {
        return Ok(false);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (staging, target);
        Ok(false)
    }
}

/// Replaces the folder `out` with one holding exactly `files` (and the marker). `scenario` is the
/// scenario file, so that its own folder is never replaced. On failure, `out` is left as it was.
pub fn replace_folder(
    out: &Path,
    files: &[OutputFile],
    scenario: Option<&Path>,
) -> Result<(), Error> {
    let target = resolve(out)?;
    check_replaceable(out, &target, scenario)?;
    let parent = target
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| refused(out, "it does not name a folder"))?;
    let folder_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| refused(out, "it does not name a folder"))?;
    recover_abandoned(&parent);
    // A folder put back by recovery is checked again.
    check_replaceable(out, &target, scenario)?;

    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(&parent)
        .map_err(write_error(&parent))?;
    let staging_path = staging.path().to_path_buf();
    let marker_path = staging_path.join(MARKER);
    // Messages name the file as the user will find it, never the staging folder.
    fs::write(&marker_path, MARKER_TEXT).map_err(write_error(out))?;
    // Held until the run ends: tells other runs that this staging folder is alive.
    let _lock = lock_marker(&staging_path);
    for file in files {
        let path = staging_path.join(&file.name);
        let shown = out.join(&file.name);
        let mut handle = fs::File::create(&path).map_err(write_error(&shown))?;
        handle.write_all(&file.bytes).map_err(write_error(&shown))?;
    }
    pause_point("before-swap");

    let target_exists = fs::symlink_metadata(&target).is_ok();
    // The previous outputs, once swapped out: removed while the swap is synced.
    let mut previous_outputs: Option<PathBuf> = None;
    if !target_exists {
        fs::rename(&staging_path, &target).map_err(write_error(out))?;
        let _ = staging.keep();
    } else if exchange(&staging_path, &target).map_err(write_error(out))? {
        // The staging path now holds the previous outputs (or the empty folder).
        pause_point("after-swap");
        let _ = staging.keep();
        previous_outputs = Some(staging_path.clone());
    } else {
        let previous = tempfile::Builder::new()
            .prefix(PREVIOUS_PREFIX)
            .rand_bytes(RANDOM_CHARS)
            .suffix(&format!("-{folder_name}"))
            .tempdir_in(&parent)
            .map_err(write_error(&parent))?
            .keep();
        // The empty placeholder is replaced by the previous outputs.
        fs::remove_dir(&previous).map_err(write_error(out))?;
        fs::rename(&target, &previous).map_err(write_error(out))?;
        pause_point("between-renames");
        if let Err(source) = fs::rename(&staging_path, &target) {
            let _ = fs::rename(&previous, &target);
            return Err(Error::Write {
                path: out.to_path_buf(),
                source,
            });
        }
        let _ = staging.keep();
        previous_outputs = Some(previous);
    }
    std::thread::scope(|scope| {
        if let Some(previous) = &previous_outputs {
            scope.spawn(|| remove_previous(previous));
        }
        sync_after_swap(&parent).map_err(write_error(&parent))
    })?;
    Ok(())
}

/// Removes the previous outputs after a swap: only what certplan wrote (the marker is there) or
/// an empty folder.
fn remove_previous(dir: &Path) {
    if has_marker(dir) {
        let _ = fs::remove_dir_all(dir);
    } else {
        let _ = fs::remove_dir(dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> OutputFile {
        OutputFile {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_whole_folder_and_leaves_no_staging_behind() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        replace_folder(&target, &[file("a.csv", "1"), file("b.csv", "2")], None).unwrap();
        replace_folder(&target, &[file("a.csv", "3")], None).unwrap();
        assert_eq!(fs::read_to_string(target.join("a.csv")).unwrap(), "3");
        assert!(!target.join("b.csv").exists());
        assert_eq!(names(root.path()), ["out"]);
        assert_eq!(names(&target), [MARKER, "a.csv"]);
    }

    #[test]
    fn a_folder_with_files_certplan_did_not_write_is_refused_untouched() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("Documents");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("thesis.docx"), "years of work").unwrap();
        let err = replace_folder(&target, &[file("a.csv", "1")], None).unwrap_err();
        assert_eq!(err.exit_code(), 1);
        assert!(err.to_string().contains("thesis.docx"), "{err}");
        assert_eq!(names(&target), ["thesis.docx"]);
        assert_eq!(names(root.path()), ["Documents"]);
    }

    #[test]
    fn a_failed_write_names_the_output_folder_not_the_staging_folder() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        let err = replace_folder(&target, &[file("missing/a.csv", "1")], None).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("out/missing/a.csv"), "{text}");
        assert!(!text.contains(".certplan-"), "{text}");
        assert_eq!(
            names(root.path()),
            Vec::<String>::new(),
            "nothing left behind"
        );
    }

    #[test]
    fn an_empty_folder_is_replaced() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        fs::create_dir(&target).unwrap();
        replace_folder(&target, &[file("a.csv", "1")], None).unwrap();
        assert_eq!(names(&target), [MARKER, "a.csv"]);
    }

    #[test]
    fn the_folder_holding_the_scenario_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let scenario = root.path().join("acme.toml");
        fs::write(&scenario, "x").unwrap();
        // Even a folder that carries the marker.
        fs::write(root.path().join(MARKER), MARKER_TEXT).unwrap();
        let err = replace_folder(root.path(), &[file("a.csv", "1")], Some(&scenario)).unwrap_err();
        assert!(err.to_string().contains("scenario"), "{err}");
        assert!(scenario.exists());
    }

    #[test]
    #[cfg(unix)]
    fn a_read_only_folder_is_refused_before_anything_is_staged() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        replace_folder(&target, &[file("a.csv", "1")], None).unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o555)).unwrap();
        let err = replace_folder(&target, &[file("a.csv", "2")], None).unwrap_err();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(err.exit_code(), 1);
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(fs::read_to_string(target.join("a.csv")).unwrap(), "1");
        assert_eq!(
            names(root.path()),
            ["out"],
            "no staging folder left beside it"
        );
    }

    #[test]
    fn a_repository_is_refused_even_with_the_marker() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("repo");
        fs::create_dir_all(target.join(".git")).unwrap();
        fs::write(target.join(MARKER), MARKER_TEXT).unwrap();
        let err = replace_folder(&target, &[file("a.csv", "1")], None).unwrap_err();
        assert!(err.to_string().contains("git repository"), "{err}");
        assert!(target.join(".git").is_dir());
    }

    #[test]
    fn abandoned_staging_is_removed_and_moved_aside_outputs_are_put_back() {
        let root = tempfile::tempdir().unwrap();
        // A run killed between the two renames of the fallback: no `out`, its outputs aside.
        let aside = root.path().join(format!("{PREVIOUS_PREFIX}abcdefgh-out"));
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(aside.join("a.csv"), "old").unwrap();
        let staging = root.path().join(format!("{STAGING_PREFIX}def"));
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join(MARKER), MARKER_TEXT).unwrap();
        // A folder that merely looks like staging but is not certplan's is left alone.
        let foreign = root.path().join(format!("{STAGING_PREFIX}mine"));
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("notes.txt"), "mine").unwrap();

        recover_abandoned(root.path());
        assert_eq!(
            fs::read_to_string(root.path().join("out/a.csv")).unwrap(),
            "old"
        );
        assert!(!staging.exists());
        assert!(foreign.join("notes.txt").exists());
    }

    #[test]
    fn staging_held_by_a_live_run_is_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let staging = root.path().join(format!("{STAGING_PREFIX}live"));
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join(MARKER), MARKER_TEXT).unwrap();
        let _held = lock_marker(&staging).unwrap();
        recover_abandoned(root.path());
        assert!(staging.exists());
    }

    #[test]
    fn a_symlinked_out_writes_to_its_target() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("real");
        replace_folder(&real, &[file("a.csv", "1")], None).unwrap();
        let link = root.path().join("link");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&real, &link).unwrap();
        #[cfg(unix)]
        {
            replace_folder(&link, &[file("a.csv", "2")], None).unwrap();
            assert!(
                fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(fs::read_to_string(real.join("a.csv")).unwrap(), "2");
        }
    }
}
