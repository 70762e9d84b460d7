//! The `times` stage: time expressions normalized as TIMEX3 values against the article's publication date.
//!
//! Reads: segments. Writes: the times layer.
//!
//! Not implemented yet: the stage exists with its contract so that the pipeline's
//! order and the JSON contract are fixed; it adds nothing.

use newsgraph_model::{Document, Layer};

use crate::Lexicon;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage =
    Stage { name: "times", reads: &[Layer::Segments], writes: Layer::Times, run };

fn run(_doc: &mut Document, _lexicon: &Lexicon) {}
