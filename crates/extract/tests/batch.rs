//! `extract_many` runs each stage over a batch of articles before the next stage; the
//! documents must be exactly those `extract` makes one article at a time.

use newsgraph_extract::{Article, Lexicon, extract, extract_many};

#[test]
fn a_batch_gives_the_documents_of_one_by_one() {
    let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/texts"))
        .expect("the test texts")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    paths.sort();
    let articles: Vec<Article> = paths
        .iter()
        .map(|path| {
            let mut article = Article::from_text(std::fs::read_to_string(path).expect("a text"));
            article.published = Some("2025-03-03".to_string());
            article
        })
        .collect();
    assert!(articles.len() >= 5, "too few test texts");
    let lexicon = Lexicon::builtin();
    let batched = extract_many(articles.iter().cloned(), lexicon);
    assert_eq!(batched.len(), articles.len());
    for ((article, batched), path) in articles.into_iter().zip(&batched).zip(&paths) {
        let alone = extract(article, lexicon);
        assert!(
            !alone.events.is_empty() || !alone.quotes.is_empty(),
            "{}: nothing found",
            path.display()
        );
        assert_eq!(format!("{batched:?}"), format!("{alone:?}"), "{}", path.display());
    }
    assert!(extract_many(Vec::new(), lexicon).is_empty());
}
