//! Throughput of the lexical stages on a small committed corpus (the project's own
//! example article and test texts, repeated). Each benchmark checks its result, so a
//! change that breaks a stage cannot pass as a speed-up.
//!
//! Run with `cargo bench -p newsgraph-extract`; words/s is reported as items/s.

use divan::{Bencher, counter::ItemsCount};
use newsgraph_extract::{Article, Document, Lexicon, extract, pipeline::STAGES};
use newsgraph_model::TokenKind;

fn main() {
    divan::main();
}

/// The corpus: every text the project ships, as articles.
fn corpus() -> Vec<Article> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut paths = vec![format!("{root}/examples/veloria-summit.txt")];
    let texts = format!("{root}/crates/extract/tests/texts");
    let mut entries: Vec<_> = std::fs::read_dir(&texts)
        .expect("tests/texts exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    paths.extend(entries.into_iter().map(|p| p.display().to_string()));
    let articles: Vec<Article> = paths
        .iter()
        .map(|p| Article::from_text(std::fs::read_to_string(p).expect("text file")))
        .collect();
    // About 60k words, enough to dwarf per-call overhead.
    articles.iter().cycle().take(articles.len() * 160).cloned().collect()
}

fn n_words(docs: &[Document]) -> usize {
    docs.iter().flat_map(|d| &d.tokens).filter(|t| t.kind != TokenKind::Punct).count()
}

#[divan::bench]
fn whole_pipeline(bencher: Bencher) {
    let articles = corpus();
    let lexicon = Lexicon::builtin();
    let expected =
        n_words(&articles.iter().cloned().map(|a| extract(a, lexicon)).collect::<Vec<_>>());
    assert!(expected > 50_000, "corpus has {expected} words");
    bencher.counter(ItemsCount::new(expected)).with_inputs(|| articles.clone()).bench_local_values(
        |articles| {
            let docs: Vec<Document> = articles.into_iter().map(|a| extract(a, lexicon)).collect();
            assert_eq!(n_words(&docs), expected);
            docs
        },
    );
}

#[divan::bench(args = ["clean", "segment", "syntax"])]
fn stage(bencher: Bencher, name: &str) {
    let lexicon = Lexicon::builtin();
    let position = STAGES.iter().position(|s| s.name == name).expect("a stage of that name");
    // The documents as the stage finds them: every earlier stage has run.
    let prepared: Vec<Document> = corpus()
        .into_iter()
        .map(|article| {
            let mut doc = Document::new(article);
            for earlier in &STAGES[..position] {
                (earlier.run)(&mut doc, lexicon);
            }
            doc
        })
        .collect();
    let mut check = prepared.clone();
    for doc in &mut check {
        (STAGES[position].run)(doc, lexicon);
    }
    let words = n_words(&check).max(check.iter().map(|d| d.text.split_whitespace().count()).sum());
    bencher.counter(ItemsCount::new(words)).with_inputs(|| prepared.clone()).bench_local_values(
        |mut docs| {
            for doc in &mut docs {
                (STAGES[position].run)(doc, lexicon);
            }
            assert_eq!(docs.len(), check.len());
            docs
        },
    );
}
