//! Housekeeping checks: the map in ARCHITECTURE.md is true and every source file says
//! what it is for.

use std::fs;
use std::path::Path;

use crate::util::workspace;

#[test]
fn architecture_names_every_crate_and_only_crates_that_exist() {
    let root = workspace();
    let map = fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut on_disk: Vec<String> = fs::read_dir(root.join("crates"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| format!("crates/{}", e.file_name().to_string_lossy()))
        .collect();
    on_disk.sort();
    for krate in &on_disk {
        assert!(map.contains(&format!("`{krate}`")), "ARCHITECTURE.md does not describe {krate}");
    }
    for mention in map.split('`').filter(|s| s.starts_with("crates/")) {
        let name = mention.split('/').take(2).collect::<Vec<_>>().join("/");
        assert!(on_disk.contains(&name), "ARCHITECTURE.md names {mention}, which does not exist");
    }
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    fn visit(dir: &Path, missing: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap().filter_map(|e| e.ok()) {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, missing);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = fs::read_to_string(&path).unwrap();
                if !source.trim_start().starts_with("//!") {
                    missing.push(path.display().to_string());
                }
            }
        }
    }
    let mut missing = Vec::new();
    for dir in ["crates", "tests"] {
        visit(&workspace().join(dir), &mut missing);
    }
    assert!(missing.is_empty(), "files without a `//!` first line: {missing:?}");
}
