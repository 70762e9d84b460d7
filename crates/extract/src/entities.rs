//! The `entities` stage: actors (people, organizations, countries, places, agents) and their name mentions, with codes, countries, sectors and roles at the article's date.
//!
//! Reads: segments, syntax. Writes: the entities layer.
//!
//! Not implemented yet: the stage exists with its contract so that the pipeline's
//! order and the JSON contract are fixed; it adds nothing.

use newsgraph_model::{Document, Layer};

use crate::Lexicon;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage = Stage {
    name: "entities",
    reads: &[Layer::Segments, Layer::Syntax],
    writes: Layer::Entities,
    run,
};

fn run(_doc: &mut Document, _lexicon: &Lexicon) {}
