//! The `syntax` stage: part of speech, lemma and dependency tree of every token.
//!
//! Reads: the segments layer (tokens, sentences). Writes: the syntax layer.
//!
//! Not implemented yet: the stage exists with its contract so that the pipeline's
//! order and the JSON contract are fixed; it adds nothing.

use newsgraph_model::{Document, Layer};

use crate::Lexicon;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage =
    Stage { name: "syntax", reads: &[Layer::Segments], writes: Layer::Syntax, run };

fn run(_doc: &mut Document, _lexicon: &Lexicon) {}
