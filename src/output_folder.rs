//! Writes an output folder all at once: files go to a temporary folder beside the target, which
//! replaces the target only when every file was written.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::export::OutputFile;

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Replaces the folder `target` with one holding exactly `files`. On failure, `target` is left as
/// it was.
pub fn replace_folder(target: &Path, files: &[OutputFile]) -> Result<(), Error> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if target.exists() && !target.is_dir() {
        return Err(Error::Write {
            path: target.to_path_buf(),
            source: std::io::Error::other("exists and is not a folder"),
        });
    }
    fs::create_dir_all(&parent).map_err(write_error(&parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".certplan-new-")
        .tempdir_in(&parent)
        .map_err(write_error(&parent))?;
    for file in files {
        let path = staging.path().join(&file.name);
        let mut handle = fs::File::create(&path).map_err(write_error(&path))?;
        handle.write_all(&file.bytes).map_err(write_error(&path))?;
        handle.sync_all().map_err(write_error(&path))?;
    }
    if target.exists() {
        let old = tempfile::Builder::new()
            .prefix(".certplan-old-")
            .tempdir_in(&parent)
            .map_err(write_error(&parent))?;
        let old_path = old.path().join("previous");
        fs::rename(target, &old_path).map_err(write_error(target))?;
        if let Err(source) = fs::rename(staging.path(), target) {
            // Put the previous folder back.
            let _ = fs::rename(&old_path, target);
            return Err(Error::Write {
                path: target.to_path_buf(),
                source,
            });
        }
        // `old` removes the previous outputs when dropped.
    } else {
        fs::rename(staging.path(), target).map_err(write_error(target))?;
    }
    // The staging folder was moved; do not let its guard delete anything.
    let _ = staging.keep();
    Ok(())
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

    #[test]
    fn replaces_the_whole_folder_and_leaves_no_staging_behind() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        replace_folder(&target, &[file("a.csv", "1"), file("b.csv", "2")]).unwrap();
        replace_folder(&target, &[file("a.csv", "3")]).unwrap();
        assert_eq!(fs::read_to_string(target.join("a.csv")).unwrap(), "3");
        assert!(!target.join("b.csv").exists());
        let names: Vec<_> = fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out"]);
    }
}
