//! The one place where byte offsets (inside the engine) and character offsets (in the
//! JSON contract) are converted into each other.
//!
//! "Character" means Unicode scalar value, which is what Python's `str` indexes, so a
//! scorer can write `text[start:end]`. A combining mark or an emoji's modifier counts as
//! a character of its own.

/// A conversion table between the byte offsets and the char offsets of one text.
///
/// It stores only where multi-byte characters are, so it is empty for ASCII text and
/// small for mostly-ASCII news; a lookup is a binary search.
#[derive(Clone, Debug)]
pub struct CharOffsets {
    /// For each multi-byte character, sorted: the byte offset just after it, and how many
    /// bytes more than chars the text has up to that offset.
    steps: Vec<(u32, u32)>,
    n_bytes: u32,
}

impl CharOffsets {
    /// Builds the table for `text`.
    pub fn new(text: &str) -> CharOffsets {
        let mut steps = Vec::new();
        let mut extra = 0u32;
        for (byte, ch) in text.char_indices() {
            let width = ch.len_utf8() as u32;
            if width > 1 {
                extra += width - 1;
                steps.push((byte as u32 + width, extra));
            }
        }
        CharOffsets { steps, n_bytes: text.len() as u32 }
    }

    /// The char offset of a byte offset. A byte offset inside a character maps to that
    /// character's start; an offset past the end maps to the end.
    pub fn to_char(&self, byte: u32) -> u32 {
        let byte = byte.min(self.n_bytes);
        // Steps whose end is at or before `byte` have all their extra bytes before it.
        let idx = self.steps.partition_point(|&(end, _)| end <= byte);
        let extra_before = if idx == 0 { 0 } else { self.steps[idx - 1].1 };
        // A byte inside a multi-byte char: count that char as starting here.
        let inside = match self.steps.get(idx) {
            Some(&(end, extra)) => {
                let width = extra - extra_before + 1;
                let start = end - width;
                byte.saturating_sub(start)
            }
            None => 0,
        };
        byte - extra_before - inside
    }

    /// The byte offset of a char offset; past the end maps to the end.
    pub fn to_byte(&self, char_offset: u32) -> u32 {
        // Find the last multi-byte char that ends at or before this char offset.
        let idx = self.steps.partition_point(|&(end, extra)| end - extra <= char_offset);
        let extra_before = if idx == 0 { 0 } else { self.steps[idx - 1].1 };
        (char_offset + extra_before).min(self.n_bytes)
    }

    /// The number of chars in the text.
    pub fn n_chars(&self) -> u32 {
        self.n_bytes - self.steps.last().map_or(0, |&(_, extra)| extra)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn check(text: &str) {
        let table = CharOffsets::new(text);
        let n_chars = text.chars().count() as u32;
        assert_eq!(table.n_chars(), n_chars);
        for (char_idx, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(table.to_char(byte as u32), char_idx as u32, "byte {byte} of {text:?}");
            assert_eq!(table.to_byte(char_idx as u32), byte as u32, "char {char_idx} of {text:?}");
        }
        assert_eq!(table.to_char(text.len() as u32), n_chars);
        assert_eq!(table.to_byte(n_chars), text.len() as u32);
    }

    #[test]
    fn converts_ascii_accents_cjk_emoji_and_combining_marks() {
        check("");
        check("plain ascii");
        check("Zelenskyy’s “terrible threat”");
        check("北京 and Kyiv");
        check("👩‍👩‍👧 family e\u{301}te\u{301}");
        check("ü");
    }

    #[test]
    fn byte_inside_a_char_maps_to_its_start() {
        let table = CharOffsets::new("a€b");
        assert_eq!(table.to_char(2), 1);
        assert_eq!(table.to_char(3), 1);
        assert_eq!(table.to_char(4), 2);
    }

    proptest! {
        #[test]
        fn offsets_round_trip_on_any_utf8(text in "\\PC{0,60}|[\\x{0}-\\x{10FFFF}]{0,40}") {
            check(&text);
        }
    }
}
