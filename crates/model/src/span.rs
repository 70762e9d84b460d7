//! Byte spans into a document's text.

use std::ops::Range;

/// A half-open range `start..end` of **byte** offsets into a document's text.
///
/// Offsets are `u32`: a document is at most 4 GiB, and annotation layers with
/// millions of tokens stay half the size they would be with `usize`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte, inclusive.
    pub start: u32,
    /// Last byte, exclusive.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (bytes, end exclusive).
    pub const fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// A span from a `usize` byte range.
    ///
    /// # Panics
    /// When an offset exceeds `u32::MAX`; documents are checked to be smaller than that
    /// when they are created ([`crate::Document::new`]).
    pub fn from_range(range: Range<usize>) -> Span {
        // Documents are limited to u32::MAX bytes at construction.
        Span {
            start: u32::try_from(range.start).expect("offset fits u32"),
            end: u32::try_from(range.end).expect("offset fits u32"),
        }
    }

    /// The span as a `usize` range, to slice a `str`.
    pub const fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Length in bytes.
    pub const fn len(self) -> u32 {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// True when `other` lies entirely inside `self`.
    pub const fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two spans share at least one byte.
    pub const fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Span {
        Span::from_range(range)
    }
}
