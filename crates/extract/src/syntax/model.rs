//! The binary format of the syntax model (`models/syntax.bin`).
//!
//! Little-endian throughout. After the magic `NGSYN` and a version byte come:
//! the tagger's classes (UPOS name, Penn tag), its tag dictionary (form hash, class),
//! its ambiguity classes (lower-case form hash, class-set hash),
//! the parser's labels, the lemma exceptions (form, Penn tag, lemma), then two weight
//! tables (tagger, parser). A table is: number of classes (`u32`), scale (`f32`),
//! number of rows (`u32`), the rows' feature hashes (`u64` each, in the order of
//! their hash-table slots, so that decoding writes the table sequentially), each row's
//! length (`u8`), then every entry's class (`u8`) and every entry's weight (`i16`).
//! Strings are a `u8` length and UTF-8 bytes. Decoding builds the hash tables in memory;
//! it checks every length and reports a truncated or foreign file as an error.

use std::collections::HashMap;

use newsgraph_model::{DepRel, Upos};

use super::SyntaxModel;
use super::features::{FeatureMap, WeightTable};
use super::lemma::Lemmatizer;
use super::parser::Parser;
use super::tagger::Tagger;

const MAGIC: &[u8] = b"NGSYN";
const VERSION: u8 = 2;

/// Encodes a model.
pub fn encode(model: &SyntaxModel) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    put_u32(&mut out, model.tagger.classes.len() as u32);
    for (upos, xpos) in &model.tagger.classes {
        put_str(&mut out, upos.as_str());
        put_str(&mut out, xpos);
    }
    let mut dictionary: Vec<(u64, u8)> =
        model.tagger.tag_dictionary.iter().map(|(&k, &v)| (k, v)).collect();
    dictionary.sort();
    put_u32(&mut out, dictionary.len() as u32);
    for (key, class) in dictionary {
        out.extend_from_slice(&key.to_le_bytes());
        out.push(class);
    }
    let mut ambiguity: Vec<(u64, u64)> =
        model.tagger.ambiguity.iter().map(|(&k, &v)| (k, v)).collect();
    ambiguity.sort();
    put_u32(&mut out, ambiguity.len() as u32);
    for (key, set) in ambiguity {
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&set.to_le_bytes());
    }
    put_u32(&mut out, model.parser.labels.len() as u32);
    for label in &model.parser.labels {
        put_str(&mut out, label.as_str());
    }
    let mut exceptions: Vec<_> = model.lemmatizer.exceptions.iter().collect();
    exceptions.sort();
    put_u32(&mut out, exceptions.len() as u32);
    for ((form, xpos), lemma) in exceptions {
        put_str(&mut out, form);
        put_str(&mut out, xpos);
        put_str(&mut out, lemma);
    }
    put_table(&mut out, &model.tagger.weights);
    put_table(&mut out, &model.parser.weights);
    out
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    // Forms longer than 255 bytes are cut on a char boundary; they never match anyway.
    let mut end = text.len().min(255);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    out.push(end as u8);
    out.extend_from_slice(&text.as_bytes()[..end]);
}

fn put_table(out: &mut Vec<u8>, table: &WeightTable) {
    let (keys, offsets, classes, weights) = table.parts();
    put_u32(out, table.n_classes() as u32);
    out.extend_from_slice(&table.scale().to_le_bytes());
    put_u32(out, keys.len() as u32);
    for key in &keys {
        out.extend_from_slice(&key.to_le_bytes());
    }
    for pair in offsets.windows(2) {
        out.push((pair[1] - pair[0]) as u8);
    }
    out.extend_from_slice(&classes);
    for weight in &weights {
        out.extend_from_slice(&weight.to_le_bytes());
    }
}

/// Why a model file could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad syntax model: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end =
            self.pos.checked_add(n).filter(|&end| end <= self.bytes.len()).ok_or_else(|| {
                DecodeError(format!(
                    "expected {n} more bytes at offset {}, found the end",
                    self.pos
                ))
            })?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }
    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, DecodeError> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(b))
    }
    fn f32(&mut self) -> Result<f32, DecodeError> {
        Ok(f32::from_bits(self.u32()?))
    }
    fn u64(&mut self) -> Result<u64, DecodeError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }
    fn string(&mut self) -> Result<String, DecodeError> {
        let n = self.u8()? as usize;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| DecodeError(format!("expected UTF-8 at offset {}", self.pos - n)))
    }
    fn table(&mut self) -> Result<WeightTable, DecodeError> {
        let n_classes = self.u32()? as usize;
        if n_classes > 256 {
            return Err(DecodeError(format!("expected at most 256 classes, found {n_classes}")));
        }
        let scale = self.f32()?;
        let n_rows = self.u32()? as usize;
        let keys =
            self.take(n_rows.checked_mul(8).ok_or_else(|| DecodeError("too many rows".into()))?)?;
        let lengths = self.take(n_rows)?;
        let total: usize = lengths.iter().map(|&len| usize::from(len)).sum();
        let classes = self.take(total)?;
        if let Some(bad) = classes.iter().find(|&&c| c as usize >= n_classes) {
            return Err(DecodeError(format!("expected classes below {n_classes}, found {bad}")));
        }
        let weights = self.take(total * 2)?;
        // The rows are read in place from the model's bytes.
        Ok(WeightTable::from_rows(
            n_classes,
            scale,
            n_rows,
            |row| u64::from_le_bytes(keys[row * 8..row * 8 + 8].try_into().expect("8 bytes")),
            |row| usize::from(lengths[row]),
            |entry| classes[entry],
            |entry| i16::from_le_bytes([weights[entry * 2], weights[entry * 2 + 1]]),
        ))
    }
}

/// Decodes a model.
pub fn decode(bytes: &[u8]) -> Result<SyntaxModel, DecodeError> {
    let mut reader = Reader { bytes, pos: 0 };
    if reader.take(MAGIC.len()).ok() != Some(MAGIC) {
        return Err(DecodeError("expected the magic bytes NGSYN at the start".into()));
    }
    let version = reader.u8()?;
    if version != VERSION {
        return Err(DecodeError(format!("expected version {VERSION}, found {version}")));
    }
    let n_classes = reader.u32()? as usize;
    let mut classes = Vec::with_capacity(n_classes);
    for _ in 0..n_classes {
        let name = reader.string()?;
        let upos = Upos::parse(&name)
            .ok_or_else(|| DecodeError(format!("expected a UPOS tag, found {name:?}")))?;
        classes.push((upos, reader.string()?));
    }
    let n_entries = reader.u32()? as usize;
    let mut tag_dictionary = FeatureMap::default();
    for _ in 0..n_entries {
        let key = reader.u64()?;
        tag_dictionary.insert(key, reader.u8()?);
    }
    let n_words = reader.u32()? as usize;
    let mut ambiguity = FeatureMap::default();
    ambiguity.reserve(n_words);
    for _ in 0..n_words {
        let key = reader.u64()?;
        ambiguity.insert(key, reader.u64()?);
    }
    let n_labels = reader.u32()? as usize;
    let mut labels = Vec::with_capacity(n_labels);
    for _ in 0..n_labels {
        labels.push(DepRel::parse(&reader.string()?));
    }
    let root_label = labels
        .iter()
        .position(|&l| l == DepRel::Root)
        .ok_or_else(|| DecodeError("expected a root label".into()))?;
    let n_exceptions = reader.u32()? as usize;
    let mut exceptions = HashMap::with_capacity(n_exceptions);
    for _ in 0..n_exceptions {
        let form = reader.string()?;
        let xpos = reader.string()?;
        exceptions.insert((form, xpos), reader.string()?);
    }
    let tagger_weights = reader.table()?;
    let parser_weights = reader.table()?;
    if tagger_weights.n_classes() != n_classes || parser_weights.n_classes() != 1 + 2 * n_labels {
        return Err(DecodeError("expected weight tables matching the classes and labels".into()));
    }
    Ok(SyntaxModel {
        tagger: Tagger { classes, tag_dictionary, ambiguity, weights: tagger_weights },
        parser: Parser { labels, root_label, weights: parser_weights },
        lemmatizer: Lemmatizer { exceptions },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_bytes(n_classes: u32, rows: &[(u64, &[(u8, i16)])]) -> Vec<u8> {
        let mut out = Vec::new();
        put_u32(&mut out, n_classes);
        out.extend_from_slice(&1.0f32.to_le_bytes());
        put_u32(&mut out, rows.len() as u32);
        for (key, _) in rows {
            out.extend_from_slice(&key.to_le_bytes());
        }
        out.extend(rows.iter().map(|(_, entries)| entries.len() as u8));
        out.extend(rows.iter().flat_map(|(_, entries)| entries.iter().map(|e| e.0)));
        for (_, entries) in rows {
            for (_, weight) in entries.iter() {
                out.extend_from_slice(&weight.to_le_bytes());
            }
        }
        out
    }

    #[test]
    fn a_table_is_read_in_place_and_checked() {
        let bytes = table_bytes(40, &[(11, &[(3, 5), (39, -2)]), (12, &[(0, 7)])]);
        let table = Reader { bytes: &bytes, pos: 0 }.table().expect("a good table");
        let mut scores = [0i32; 40];
        table.score(&[11, 12], &mut scores);
        assert_eq!((scores[0], scores[3], scores[39]), (7, 5, -2));
        // Too many classes, a class out of range, a cut-off table: errors, not panics.
        let bytes = table_bytes(300, &[]);
        assert!(Reader { bytes: &bytes, pos: 0 }.table().is_err());
        let bytes = table_bytes(4, &[(11, &[(9, 1)])]);
        let error = Reader { bytes: &bytes, pos: 0 }.table().expect_err("class 9 of 4");
        assert!(error.0.contains("classes below 4"), "{error}");
        let bytes = table_bytes(40, &[(11, &[(3, 5)])]);
        assert!(Reader { bytes: &bytes[..bytes.len() - 1], pos: 0 }.table().is_err());
    }
}
