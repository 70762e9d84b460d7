//! The `coref` stage: links nominal and pronoun mentions ("the secretary-general", "he") to entities.
//!
//! Reads: segments, syntax, entities. Writes: mentions added to the entities layer.
//!
//! Not implemented yet: the stage exists with its contract so that the pipeline's
//! order and the JSON contract are fixed; it adds nothing.

use newsgraph_model::{Document, Layer};

use crate::Lexicon;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage = Stage {
    name: "coref",
    reads: &[Layer::Segments, Layer::Syntax, Layer::Entities],
    writes: Layer::Coreference,
    run,
};

fn run(_doc: &mut Document, _lexicon: &Lexicon) {}
