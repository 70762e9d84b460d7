//! The vocabulary every newsgraph stage shares: an [`Article`] as a source reader
//! produces it, a [`Document`] (the article's text plus annotation layers) as the
//! extraction stages fill it, and [`json::DocumentJson`], the `newsgraph.document/1`
//! JSON contract that tools and scorers read.
//!
//! Inside the engine every span is a [`Span`] of **byte** offsets into the document
//! text. The JSON contract uses **character** (Unicode scalar) offsets; the conversion
//! happens in one place, [`offsets::CharOffsets`], when a document is turned into JSON.
//!
//! ```
//! use newsgraph_model::{Article, Document, Span};
//!
//! let article = Article::from_text("Ministers met in Brussels.");
//! let doc = Document::new(article);
//! assert_eq!(doc.slice(Span::new(17, 25)), "Brussels");
//! let json = doc.to_json();
//! assert_eq!(json.schema, "newsgraph.document/1");
//! ```
#![deny(missing_docs)]

mod article;
mod date;
mod document;
mod error;
pub mod json;
pub mod offsets;
mod span;

pub use article::{Article, content_id};
pub use date::Date;
pub use document::{
    DepRel, Diagnostic, Document, Entity, EntityType, Event, Layer, Mention, MentionKind, Modality,
    Quote, QuoteKind, Removal, Role, Sentence, Timex, TimexType, Token, TokenKind, TokenSyntax,
    Upos,
};
pub use error::{Error, Result};
pub use span::Span;
