//! The `events` stage: PLOVER/CAMEO-coded events with source, target, modality, claimant, date and place.
//!
//! Reads: segments, syntax, entities, coreference, times, quotes. Writes: the events layer.
//!
//! Not implemented yet: the stage exists with its contract so that the pipeline's
//! order and the JSON contract are fixed; it adds nothing.

use newsgraph_model::{Document, Layer};

use crate::Lexicon;
use crate::pipeline::Stage;

/// This stage in the pipeline.
pub const STAGE: Stage = Stage {
    name: "events",
    reads: &[
        Layer::Segments,
        Layer::Syntax,
        Layer::Entities,
        Layer::Coreference,
        Layer::Times,
        Layer::Quotes,
    ],
    writes: Layer::Events,
    run,
};

fn run(_doc: &mut Document, _lexicon: &Lexicon) {}
