//! The newsgraph extraction pipeline: from an [`Article`] to a [`Document`] whose
//! annotation layers say who did what to whom, who said what, when and where.
//!
//! [`extract`] runs the fixed list of stages in [`pipeline::STAGES`]:
//! `clean -> segment -> syntax -> entities -> coref -> times -> quotes -> events`.
//! Each stage is a module named after the layer it adds, a pure function of the
//! document and the [`Lexicon`]; its module doc states the layers it reads and writes.
//! Odd text is never an error: a stage adds [`newsgraph_model::Diagnostic`]s instead.
//! This crate does no I/O.
//!
//! ```
//! use newsgraph_extract::extract;
//! use newsgraph_lexicon::Lexicon;
//! use newsgraph_model::Article;
//!
//! let article = Article::from_text("Advertisement\nDr. Anna Brel arrived. She spoke.");
//! let doc = extract(article, Lexicon::builtin());
//! assert_eq!(doc.text.trim_start(), "Dr. Anna Brel arrived. She spoke.");
//! assert_eq!(doc.sentences.len(), 2);
//! assert_eq!(doc.removed[0].reason, "advert");
//! ```
#![deny(missing_docs)]

pub mod clean;
pub mod coref;
pub mod entities;
pub mod events;
pub mod pipeline;
pub mod quotes;
pub mod segment;
pub mod syntax;
pub mod times;

pub use newsgraph_lexicon::Lexicon;
pub use newsgraph_model::{Article, Document};

/// Runs every stage of the pipeline on an article.
pub fn extract(article: Article, lexicon: &Lexicon) -> Document {
    let mut doc = Document::new(article);
    for stage in pipeline::STAGES {
        (stage.run)(&mut doc, lexicon);
    }
    doc
}

/// How many articles [`extract_many`] is best given at once: enough for each stage's
/// tables to be reused while they are warm, few enough to hold in memory.
pub const BATCH: usize = 16;

/// Runs every stage of the pipeline on several articles, each stage over all of them
/// before the next: the same documents as [`extract`] gives one by one, sooner, since
/// each stage's tables (the parser's weights above all) stay warm in the cache while
/// it works through the batch. `newsgraph bench` measures the difference.
pub fn extract_many(
    articles: impl IntoIterator<Item = Article>,
    lexicon: &Lexicon,
) -> Vec<Document> {
    let mut docs: Vec<Document> = articles.into_iter().map(Document::new).collect();
    for stage in pipeline::STAGES {
        for doc in &mut docs {
            (stage.run)(doc, lexicon);
        }
    }
    docs
}
