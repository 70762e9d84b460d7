//! The `quotes` stage: direct, partial and indirect quotes with their speakers and addressees.
//!
//! Reads: segments, syntax, entities, coreference. Writes: the quotes layer.
//!
//! Not implemented yet: the stage exists with its contract so that the pipeline's
//! order and the JSON contract are fixed; it adds nothing.

use newsgraph_model::{Document, Layer};

use crate::Lexicon;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage = Stage {
    name: "quotes",
    reads: &[Layer::Segments, Layer::Syntax, Layer::Entities, Layer::Coreference],
    writes: Layer::Quotes,
    run,
};

fn run(_doc: &mut Document, _lexicon: &Lexicon) {}
