//! The stage order: one plain list, no plugins and no discovery.
//!
//! Each [`Stage`] declares the layers it reads and the one it writes, and a test checks
//! that every layer a stage reads is written by an earlier one.

use newsgraph_model::{Document, Layer};

use crate::Lexicon;

/// One pipeline stage.
#[derive(Clone, Copy, Debug)]
pub struct Stage {
    /// Its name, also the name of its module.
    pub name: &'static str,
    /// The layers it reads.
    pub reads: &'static [Layer],
    /// The layer it adds.
    pub writes: Layer,
    /// Adds the layer to the document.
    pub run: fn(&mut Document, &Lexicon),
}

/// Every stage, in the order [`crate::extract`] runs them.
pub const STAGES: &[Stage] = &[
    crate::clean::STAGE,
    crate::segment::STAGE,
    crate::syntax::STAGE,
    crate::entities::STAGE,
    crate::coref::STAGE,
    crate::times::STAGE,
    crate::quotes::STAGE,
    crate::events::STAGE,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layer_read_is_written_earlier() {
        let mut written = vec![Layer::Raw];
        for stage in STAGES {
            for layer in stage.reads {
                assert!(
                    written.contains(layer),
                    "stage {} reads {layer:?}, which no earlier stage writes",
                    stage.name
                );
            }
            assert!(
                !written.contains(&stage.writes),
                "stage {} writes {:?} again",
                stage.name,
                stage.writes
            );
            written.push(stage.writes);
        }
    }

    #[test]
    fn stage_order_is_the_documented_one() {
        let names: Vec<&str> = STAGES.iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            ["clean", "segment", "syntax", "entities", "coref", "times", "quotes", "events"]
        );
    }
}
