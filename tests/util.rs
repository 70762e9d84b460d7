//! Helpers for running the `newsgraph` binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The result of one run.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: Option<i32>,
}

impl Run {
    /// The stdout parsed as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{}", self.stdout))
    }

    /// The stdout parsed as JSON Lines.
    pub fn jsonl(&self) -> Vec<serde_json::Value> {
        self.stdout.lines().map(|line| serde_json::from_str(line).expect("a JSON line")).collect()
    }
}

fn finish(output: Output) -> Run {
    Run {
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        code: output.status.code(),
    }
}

/// The `newsgraph` command, run in `dir`.
pub fn newsgraph(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsgraph"));
    command.current_dir(dir);
    command
}

/// Runs `newsgraph ARGS` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Run {
    finish(newsgraph(dir).args(args).output().expect("newsgraph runs"))
}

/// Runs `newsgraph ARGS` in `dir` with `stdin` as standard input.
pub fn run_with_stdin(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = newsgraph(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("newsgraph starts");
    child.stdin.take().expect("piped stdin").write_all(stdin).expect("stdin written");
    finish(child.wait_with_output().expect("newsgraph runs"))
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// The shared gold folder next to the project, when it exists.
pub fn shared() -> Option<PathBuf> {
    let shared = workspace().join("../shared");
    shared.is_dir().then_some(shared)
}

/// The text that char offsets `start..end` of a JSON document cover.
pub fn chars(text: &str, start: &serde_json::Value, end: &serde_json::Value) -> String {
    let (start, end) =
        (start.as_u64().expect("start") as usize, end.as_u64().expect("end") as usize);
    text.chars().skip(start).take(end - start).collect()
}
