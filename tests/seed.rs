//! Acceptance on the seed article (`../shared/seed`), when that folder exists.

use std::fs;

use crate::util::{chars, run, shared};

fn seed_document() -> Option<serde_json::Value> {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared/seed is not here, so the seed acceptance test cannot run");
        return None;
    };
    let article = shared.join("seed/article.txt");
    let run = run(
        &shared,
        &["extract", article.to_str()?, "--published", "2024-12-01", "--format", "json"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    Some(run.json())
}

#[test]
fn seed_boilerplate_goes_and_the_body_stays() {
    let Some(doc) = seed_document() else { return };
    let gold: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(shared().unwrap().join("seed/gold.json")).unwrap(),
    )
    .unwrap();
    let text = doc["text"].as_str().unwrap();
    for line in gold["boilerplate"].as_array().unwrap() {
        assert!(!text.contains(line.as_str().unwrap()), "boilerplate left in: {line}");
    }
    let flat = text.replace('’', "'").to_lowercase();
    for marker in gold["body_markers"].as_array().unwrap() {
        let marker = marker.as_str().unwrap().replace('’', "'").to_lowercase();
        assert!(flat.contains(marker.trim_start_matches("the ")), "body lost: {marker}");
    }
}

/// Each sentence as `start..end  first words … last words`: enough to see every
/// boundary without copying the article into the project.
#[test]
fn seed_sentence_boundaries() {
    let Some(doc) = seed_document() else { return };
    let text = doc["text"].as_str().unwrap();
    let mut lines = Vec::new();
    for sentence in doc["sentences"].as_array().unwrap() {
        let covered = chars(text, &sentence["start"], &sentence["end"]);
        let words: Vec<&str> = covered.split_whitespace().collect();
        let head = words.iter().take(3).copied().collect::<Vec<_>>().join(" ");
        let tail = words[words.len().saturating_sub(3)..].join(" ");
        lines.push(format!("{}..{}  {head} … {tail}", sentence["start"], sentence["end"]));
    }
    insta::assert_snapshot!(lines.join("\n"));
}
