//! The small harness: run the binary, compare with expected files.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The repository root; every test runs from there so paths in output are stable.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `spofsim ARGS` from the repository root, without colour.
pub fn spofsim(args: &[&str]) -> Run {
    spofsim_env(args, &[])
}

pub fn spofsim_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_spofsim"));
    cmd.current_dir(root()).args(args).env_remove("NO_COLOR").env_remove("GITHUB_ACTIONS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("spofsim runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Compares `actual` with the file at `expected` (relative to the root); with
/// `UPDATE_EXPECT=1`, writes it instead.
pub fn expect_file(expected: &Path, actual: &str) {
    let path = root().join(expected);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create the expected file's folder");
        }
        std::fs::write(&path, actual).expect("write expected file");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {} (run with UPDATE_EXPECT=1)", expected.display()));
    if want != actual {
        panic!("{} differs from the actual output:\n--- expected\n{want}\n--- actual\n{actual}\n(run with UPDATE_EXPECT=1 to accept)", expected.display());
    }
}

/// Files in a folder of the repository with this extension, sorted.
pub fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .expect("case folder exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| p.strip_prefix(root()).map(Path::to_path_buf).unwrap_or(p))
        .collect();
    out.sort();
    out
}
