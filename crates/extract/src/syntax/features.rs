//! Hashed features and averaged-perceptron weights, shared by the tagger and the parser.
//!
//! A feature is a `u64`: a template number mixed with the hashes of the values it reads
//! (word forms, tags, labels, distances). Features are never stored as strings.
//! Training keeps a sparse row per feature ([`Perceptron`]); the committed model keeps
//! the averaged weights quantized to `i16` in an open-addressing table ([`WeightTable`]),
//! so scoring a class set is one probe per feature and a few integer additions.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mixes two 64-bit values into one (a multiply-xorshift step, as in FxHash/wyhash).
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    let x = (a ^ b.rotate_left(29)).wrapping_mul(K);
    let x = x ^ (x >> 32);
    x.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ (x >> 29)
}

/// Hashes a string's bytes.
#[inline]
pub fn hash_str(text: &str) -> u64 {
    let mut hash = 0xCBF2_9CE4_8422_2325u64 ^ text.len() as u64;
    let bytes = text.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    mix(hash, 0x51_7CC1_B727_220A)
}

/// A feature from a template number and up to three values.
///
/// Three chained mixing steps, one per value. A single step over all of them would cost a
/// third of the instructions but combines its inputs by exclusive or first, so that small
/// values (tags) and bit sets (the labels of a word's children) collide: retrained that
/// way, the parser lost 21k of its 1.27M features and 0.04 LAS points.
#[inline]
pub fn feature(template: u64, a: u64, b: u64, c: u64) -> u64 {
    mix(mix(mix(template.wrapping_mul(K), a), b), c)
}

/// The feature that every token has (the tagger's bias). It is the one feature whose
/// hash is zero (`feature(0, 0, 0, 0)`); the models store it under key 1, as the table
/// once kept zero for empty slots.
pub const BIAS: u64 = 1;

/// A hasher for keys that are already well-mixed hashes.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8 | u64::from(byte)).wrapping_mul(K);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// A hash map keyed by feature hashes.
pub type FeatureMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

#[derive(Clone, Copy, Debug)]
struct Entry {
    class: u16,
    weight: f32,
    total: f64,
    stamp: u32,
}

/// An averaged perceptron under training: sparse rows of (class, weight) per feature,
/// with lazy averaging (each weight remembers when it last changed).
#[derive(Debug)]
pub struct Perceptron {
    n_classes: usize,
    rows: FeatureMap<Vec<Entry>>,
    time: u32,
}

impl Perceptron {
    /// An empty model over `n_classes` classes.
    pub fn new(n_classes: usize) -> Perceptron {
        Perceptron { n_classes, rows: FeatureMap::default(), time: 0 }
    }

    /// Adds the current weights of the features to `scores` (one per class).
    pub fn score(&self, features: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for feature in features {
            if let Some(row) = self.rows.get(feature) {
                for entry in row {
                    scores[entry.class as usize] += entry.weight;
                }
            }
        }
    }

    /// Counts one training instance (for averaging).
    pub fn tick(&mut self) {
        self.time += 1;
    }

    /// Moves the weights toward `truth` and away from `guess`.
    pub fn update(&mut self, features: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        let time = self.time;
        for &feature in features {
            let row = self.rows.entry(feature).or_default();
            for (class, delta) in [(truth, 1.0f32), (guess, -1.0f32)] {
                let entry = match row.iter().position(|e| e.class as usize == class) {
                    Some(i) => &mut row[i],
                    None => {
                        row.push(Entry {
                            class: class as u16,
                            weight: 0.0,
                            total: 0.0,
                            stamp: time,
                        });
                        row.last_mut().expect("just pushed")
                    }
                };
                entry.total += f64::from(time - entry.stamp) * f64::from(entry.weight);
                entry.stamp = time;
                entry.weight += delta;
            }
        }
    }

    /// The averaged weights, without those whose magnitude is below `min_weight`, as a
    /// table ready for scoring.
    pub fn averaged(&self, min_weight: f32) -> WeightTable {
        let time = f64::from(self.time.max(1));
        let mut rows: Vec<(u64, Vec<(u8, f32)>)> = Vec::with_capacity(self.rows.len());
        let mut max_abs = 0f32;
        for (&feature, row) in &self.rows {
            let mut kept: Vec<(u8, f32)> = row
                .iter()
                .map(|e| {
                    let total = e.total + f64::from(self.time - e.stamp) * f64::from(e.weight);
                    (e.class as u8, (total / time) as f32)
                })
                .filter(|(_, w)| w.abs() >= min_weight && *w != 0.0)
                .collect();
            if kept.is_empty() {
                continue;
            }
            kept.sort_by_key(|(class, _)| *class);
            for (_, w) in &kept {
                max_abs = max_abs.max(w.abs());
            }
            rows.push((feature, kept));
        }
        rows.sort_by_key(|(feature, _)| *feature);
        let scale = if max_abs > 0.0 { max_abs / 32767.0 } else { 1.0 };
        let mut keys = Vec::with_capacity(rows.len());
        let mut offsets = Vec::with_capacity(rows.len() + 1);
        let mut classes = Vec::new();
        let mut weights = Vec::new();
        offsets.push(0u32);
        for (feature, row) in rows {
            keys.push(feature);
            for (class, w) in row {
                let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
                if q != 0 {
                    classes.push(class);
                    weights.push(q);
                }
            }
            offsets.push(classes.len() as u32);
        }
        WeightTable::from_parts(self.n_classes, scale, keys, offsets, classes, weights)
    }
}

/// Averaged, quantized weights: `weight = i16 * scale`, looked up by feature hash.
///
/// The table is large (millions of features) and most lookups miss the cache, so its
/// layout is about memory traffic: an open-addressing slot is 8 bytes (the key's high
/// 32 bits and where its row starts), a row is a head word and the key's low 32 bits
/// (checked once the row is loaded anyway) followed by its (class, weight) pairs packed
/// into `u32`s, and [`WeightTable::score`] first finds every feature's row, prefetching,
/// then adds them, so the misses overlap instead of queueing. Both arrays ask for huge
/// pages, which measured 1.25x faster parsing than 4 KiB pages (fewer TLB misses).
///
/// A row with weights for at least a quarter of the classes is *dense*: its slot points
/// into a separate array of `i16` weights, one per class (padded to a multiple of 8),
/// which the compiler adds with vector instructions. Such rows are few (the parser has
/// 6.6k of 1.3M: mostly tag features, which fire on every decision) but they hold most
/// of the additions made at run time, and they stay in the cache. Dense rows made the
/// parser 1.5x and the tagger 1.7x faster, with the same outputs.
#[derive(Clone, Debug)]
pub struct WeightTable {
    n_classes: usize,
    scale: f32,
    n_features: usize,
    n_weights: usize,
    slots: Vec<Slot>,
    /// Sparse rows: a length, the key's low 32 bits, then that many entries
    /// `class << 16 | weight as u16`.
    rows: Vec<u32>,
    /// The weights of the dense rows, `padded` per row; the slot of dense row `i` has
    /// `start = DENSE | i`.
    dense: Vec<i16>,
    /// The low 32 bits of each dense row's key.
    dense_keys: Vec<u32>,
    /// The number of classes rounded up to a multiple of 8.
    padded: usize,
    mask: usize,
}

const EMPTY: u32 = u32::MAX;
const DENSE: u32 = 1 << 31;
/// The most classes a table can have (classes are stored as `u8`).
pub const MAX_CLASSES: usize = 256;
/// A row with this many weights is dense even when they are under a quarter of the
/// classes: adding a sparse entry costs about 6 instructions and a dense row of 104
/// classes about 26, so from 12 weights on the dense row is cheaper (the parser's dense
/// rows then take 7 MB instead of 1.3 MB, for 2 MB less of sparse rows, and it runs 8%
/// fewer instructions, with the same sums).
const DENSE_MIN_WEIGHTS: usize = 12;

/// Running scores, one per class, wide enough for any table.
pub type Sums = [i32; MAX_CLASSES];

#[derive(Clone, Copy, Debug)]
struct Slot {
    fingerprint: u32,
    start: u32,
}

impl WeightTable {
    /// A table from its rows: row `i` has key `keys[i]` and entries
    /// `offsets[i]..offsets[i + 1]` of `classes` and `weights`.
    pub fn from_parts(
        n_classes: usize,
        scale: f32,
        keys: Vec<u64>,
        offsets: Vec<u32>,
        classes: Vec<u8>,
        weights: Vec<i16>,
    ) -> WeightTable {
        WeightTable::from_rows(
            n_classes,
            scale,
            keys.len(),
            |row| keys[row],
            |row| (offsets[row + 1] - offsets[row]) as usize,
            |entry| classes[entry],
            |entry| weights[entry],
        )
    }

    /// A table from `n_rows` rows given by accessors: row `i` has key `key(i)` and
    /// `len(i)` entries, which follow those of the rows before it in `class(j)` and
    /// `weight(j)`. Decoding reads the model's bytes through these, so that loading
    /// allocates nothing but the table itself. `n_classes` is at most 256.
    pub fn from_rows(
        n_classes: usize,
        scale: f32,
        n_rows: usize,
        key: impl Fn(usize) -> u64,
        len: impl Fn(usize) -> usize,
        class: impl Fn(usize) -> u8,
        weight: impl Fn(usize) -> i16,
    ) -> WeightTable {
        // A load factor between 0.25 and 0.5 keeps probe sequences short (a smaller table
        // measured slower).
        let capacity = (n_rows * 2).next_power_of_two().max(16);
        let mask = capacity - 1;
        let mut slots = huge_vec(capacity);
        slots.resize(capacity, Slot { fingerprint: 0, start: EMPTY });
        assert!(n_classes <= MAX_CLASSES, "classes are stored as u8");
        let padded = n_classes.next_multiple_of(8);
        let n_weights: usize = (0..n_rows).map(&len).sum();
        let mut rows = huge_vec(n_rows * 2 + n_weights);
        let mut dense = Vec::new();
        let mut dense_keys = Vec::new();
        let mut end = 0;
        for row in 0..n_rows {
            let key = key(row);
            let start = end;
            end += len(row);
            let mut slot = key as usize & mask;
            while slots[slot].start != EMPTY {
                slot = (slot + 1) & mask;
            }
            let fingerprint = (key >> 32) as u32;
            if (end - start) * 4 >= n_classes || end - start >= DENSE_MIN_WEIGHTS {
                slots[slot] = Slot { fingerprint, start: DENSE | dense_keys.len() as u32 };
                dense_keys.push(key as u32);
                let at = dense.len();
                dense.resize(at + padded, 0);
                for entry in start..end {
                    dense[at + class(entry) as usize] = weight(entry);
                }
            } else {
                slots[slot] = Slot { fingerprint, start: rows.len() as u32 };
                rows.push((end - start) as u32);
                rows.push(key as u32);
                rows.extend(
                    (start..end).map(|j| u32::from(class(j)) << 16 | u32::from(weight(j) as u16)),
                );
            }
        }
        WeightTable {
            n_classes,
            scale,
            n_features: n_rows,
            n_weights,
            slots,
            rows,
            dense,
            dense_keys,
            padded,
            mask,
        }
    }

    /// The number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// The number of features with weights.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The number of stored weights.
    pub fn n_weights(&self) -> usize {
        self.n_weights
    }

    /// The factor from stored integers to weights.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// The rows in slot order, for serialization: keys, offsets, classes, weights.
    pub fn parts(&self) -> (Vec<u64>, Vec<u32>, Vec<u8>, Vec<i16>) {
        let found: Vec<(u64, u32)> = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, slot)| slot.start != EMPTY)
            .map(|(_, slot)| {
                let low = if slot.start & DENSE != 0 {
                    self.dense_keys[(slot.start & !DENSE) as usize]
                } else {
                    self.rows[slot.start as usize + 1]
                };
                ((u64::from(slot.fingerprint) << 32) | u64::from(low), slot.start)
            })
            .collect();
        // Slot order, not key order: decoding then inserts the rows in nearly sequential
        // slots, which makes loading several times faster than random inserts.
        let mut keys = Vec::with_capacity(found.len());
        let mut offsets = vec![0u32];
        let mut classes = Vec::with_capacity(self.n_weights);
        let mut weights = Vec::with_capacity(self.n_weights);
        for (key, start) in found {
            keys.push(key);
            if start & DENSE != 0 {
                let at = (start & !DENSE) as usize * self.padded;
                for (class, &weight) in self.dense[at..at + self.n_classes].iter().enumerate() {
                    // Stored rows hold no zero weights, so the zeros are the gaps.
                    if weight != 0 {
                        classes.push(class as u8);
                        weights.push(weight);
                    }
                }
            } else {
                let start = start as usize;
                let len = self.rows[start] as usize;
                for &entry in &self.rows[start + 2..start + 2 + len] {
                    classes.push((entry >> 16) as u8);
                    weights.push(entry as u16 as i16);
                }
            }
            offsets.push(classes.len() as u32);
        }
        (keys, offsets, classes, weights)
    }

    /// The table without the weights smaller than `min_weight` (in weight units) and
    /// without the features left with none.
    pub fn pruned(&self, min_weight: f32) -> WeightTable {
        let (keys, offsets, classes, weights) = self.parts();
        let threshold = (min_weight / self.scale).ceil() as i32;
        let (mut new_keys, mut new_offsets, mut new_classes, mut new_weights) =
            (Vec::new(), vec![0u32], Vec::new(), Vec::new());
        for (row, &key) in keys.iter().enumerate() {
            let before = new_classes.len();
            for i in offsets[row] as usize..offsets[row + 1] as usize {
                if i32::from(weights[i]).abs() >= threshold {
                    new_classes.push(classes[i]);
                    new_weights.push(weights[i]);
                }
            }
            if new_classes.len() > before {
                new_keys.push(key);
                new_offsets.push(new_classes.len() as u32);
            }
        }
        WeightTable::from_parts(
            self.n_classes,
            self.scale,
            new_keys,
            new_offsets,
            new_classes,
            new_weights,
        )
    }

    /// The table without the features whose row is weak: the sum of its weights'
    /// magnitudes (in weight units) is below `min_l1`. Such a feature rarely changes a
    /// decision, and dropping it shrinks the table that every lookup has to miss in.
    pub fn pruned_rows(&self, min_l1: f32) -> WeightTable {
        let (keys, offsets, classes, weights) = self.parts();
        let threshold = f64::from(min_l1) / f64::from(self.scale);
        let (mut new_keys, mut new_offsets, mut new_classes, mut new_weights) =
            (Vec::new(), vec![0u32], Vec::new(), Vec::new());
        for (row, &key) in keys.iter().enumerate() {
            let range = offsets[row] as usize..offsets[row + 1] as usize;
            let l1: f64 = weights[range.clone()].iter().map(|&w| f64::from(w).abs()).sum();
            if l1 < threshold || range.is_empty() {
                continue;
            }
            new_classes.extend_from_slice(&classes[range.clone()]);
            new_weights.extend_from_slice(&weights[range]);
            new_keys.push(key);
            new_offsets.push(new_classes.len() as u32);
        }
        WeightTable::from_parts(
            self.n_classes,
            self.scale,
            new_keys,
            new_offsets,
            new_classes,
            new_weights,
        )
    }

    /// Sets `scores` (one per class) to the sum of the features' weights, in units of
    /// [`WeightTable::scale`].
    #[inline]
    pub fn score(&self, features: &[u64], scores: &mut [i32]) {
        let mut sums = [0i32; MAX_CLASSES];
        self.accumulate(features, &mut sums);
        let n = scores.len().min(self.n_classes);
        scores[..n].copy_from_slice(&sums[..n]);
    }

    /// Adds the sum of the features' weights to `sums` (one per class, in units of
    /// [`WeightTable::scale`]; the entries past the last class stay as they are). The sums
    /// are exact integers, so scoring features in groups and adding the groups' sums gives
    /// the same scores as scoring them all at once.
    #[inline]
    #[allow(unsafe_code)] // A call that needs AVX2, made only once AVX2 is detected.
    pub fn accumulate(&self, features: &[u64], sums: &mut Sums) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            unsafe { self.accumulate_avx2(features, sums) };
            return;
        }
        self.accumulate_with(features, sums);
    }

    /// [`WeightTable::accumulate`] compiled for AVX2, which adds a dense row 8 classes at
    /// a time (measured 1.25x faster parsing than the SSE2 build).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn accumulate_avx2(&self, features: &[u64], sums: &mut Sums) {
        self.accumulate_with(features, sums);
    }

    #[inline(always)]
    fn accumulate_with(&self, features: &[u64], sums: &mut Sums) {
        // Ask for every feature's first slot before looking at any, so the cache misses
        // overlap instead of queueing.
        for feature in features {
            prefetch(self.slots.as_ptr().wrapping_add(*feature as usize & self.mask));
        }
        // Then find each feature's row, and ask for the row's lines at once.
        let mut starts = [EMPTY; 128];
        for (feature, found) in features.iter().zip(starts.iter_mut()) {
            let fingerprint = (feature >> 32) as u32;
            let mut index = *feature as usize & self.mask;
            let start = loop {
                let slot = self.slots[index];
                if slot.start == EMPTY || slot.fingerprint == fingerprint {
                    break slot.start;
                }
                index = (index + 1) & self.mask;
            };
            *found = start;
            if start == EMPTY {
            } else if start & DENSE != 0 {
                // A dense row: all its lines, unrolled (a loop costs more instructions
                // than the prefetches).
                let row = self.dense.as_ptr().wrapping_add((start & !DENSE) as usize * self.padded);
                prefetch(row);
                prefetch(row.wrapping_add(32));
                prefetch(row.wrapping_add(64));
                if self.padded > 96 {
                    prefetch(row.wrapping_add(96));
                }
                if self.padded > 128 {
                    for line in (128..self.padded).step_by(32) {
                        prefetch(row.wrapping_add(line));
                    }
                }
            } else {
                // A sparse row of n entries spans (n + 2) * 4 bytes: the lines most reach.
                let row = self.rows.as_ptr().wrapping_add(start as usize);
                prefetch(row);
                prefetch(row.wrapping_add(16));
            }
        }
        // Every class index of a sparse entry is below 256, so adding into a 256-wide
        // array needs no bounds check.
        let mut dense_rows = [0u32; 128];
        let mut n_dense = 0;
        for (&start, &feature) in starts.iter().zip(features) {
            if start == EMPTY {
                continue;
            }
            if start & DENSE != 0 {
                let row = start & !DENSE;
                if self.dense_keys[row as usize] == feature as u32 {
                    dense_rows[n_dense] = row;
                    n_dense += 1;
                }
            } else {
                let start = start as usize;
                let len = self.rows[start] as usize;
                if self.rows[start + 1] != feature as u32 {
                    continue;
                }
                for &entry in &self.rows[start + 2..start + 2 + len] {
                    sums[(entry >> 16) as u8 as usize] += i32::from(entry as u16 as i16);
                }
            }
        }
        self.add_dense(&dense_rows[..n_dense], sums);
    }

    /// Adds dense rows to the sums. For the usual class counts the row length is a
    /// constant, so that the compiler keeps the running sums in vector registers
    /// from row to row, instead of loading and storing them for each row: this halved
    /// the instructions spent on dense rows.
    #[inline(always)]
    fn add_dense(&self, rows: &[u32], sums: &mut Sums) {
        match self.padded {
            88 => add_dense_rows::<88>(&self.dense, rows, sums),
            96 => add_dense_rows::<96>(&self.dense, rows, sums),
            104 => add_dense_rows::<104>(&self.dense, rows, sums),
            112 => add_dense_rows::<112>(&self.dense, rows, sums),
            120 => add_dense_rows::<120>(&self.dense, rows, sums),
            _ => {
                for &row in rows {
                    let at = row as usize * self.padded;
                    let weights = &self.dense[at..at + self.padded];
                    for (sum, &weight) in sums.iter_mut().zip(weights) {
                        *sum += i32::from(weight);
                    }
                }
            }
        }
    }
}

/// Adds dense rows of `N` weights to the first `N` sums.
#[inline(always)]
fn add_dense_rows<const N: usize>(dense: &[i16], rows: &[u32], sums: &mut Sums) {
    let mut running = [0i32; N];
    for &row in rows {
        let at = row as usize * N;
        let Some(weights) = dense.get(at..at + N) else { continue };
        for (sum, &weight) in running.iter_mut().zip(weights) {
            *sum += i32::from(weight);
        }
    }
    for (sum, running) in sums.iter_mut().zip(running) {
        *sum += running;
    }
}

/// Asks the processor to bring the cache line at `pointer` closer; a hint, never a
/// memory access, so the pointer may point anywhere.
#[inline(always)]
#[allow(unsafe_code)]
fn prefetch<T>(pointer: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch does not access memory and cannot fault, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(pointer.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = pointer;
}

/// An empty vector with room for `capacity` items, whose memory the kernel is asked to
/// back with huge pages: the weight tables are tens of megabytes read at random, and with
/// 4 KiB pages nearly every lookup would also miss the TLB.
#[allow(unsafe_code)] // The one system call below; the crate has no other unsafe code.
fn huge_vec<T>(capacity: usize) -> Vec<T> {
    let vec: Vec<T> = Vec::with_capacity(capacity);
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let start = vec.as_ptr() as usize;
        let end = start + capacity * size_of::<T>();
        // Only whole huge pages inside the allocation; the memory is not touched yet,
        // so the first writes fault huge pages in.
        let aligned = start.next_multiple_of(HUGE);
        if end > aligned + HUGE {
            let len = (end - aligned) / HUGE * HUGE;
            // SAFETY: the range lies inside the vector's own allocation, and
            // MADV_HUGEPAGE only changes how the kernel backs it, not its contents.
            // The call may fail (no transparent huge pages); that is only slower.
            unsafe {
                libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
            }
        }
    }
    vec
}

/// A tiny deterministic random number generator (splitmix64), for shuffling.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(K);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Shuffles a slice (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averaged_table_scores_like_the_perceptron() {
        let mut model = Perceptron::new(3);
        for _ in 0..5 {
            model.tick();
            model.update(&[10, 20], 1, 0);
            model.tick();
            model.update(&[20, 30], 2, 1);
        }
        let table = model.averaged(0.0);
        let mut scores = [0i32; 3];
        table.score(&[10], &mut scores);
        assert!(scores[1] > 0 && scores[0] < 0);
        table.score(&[30, 999], &mut scores);
        assert!(scores[2] > 0 && scores[1] < 0);
    }

    #[test]
    fn dense_and_sparse_rows_score_and_round_trip_alike() {
        // 20 classes: a row with 5 or more weights is dense, one with fewer is sparse.
        let keys = vec![7, 8, 9];
        let offsets = vec![0, 6, 7, 9];
        let classes = vec![0, 3, 9, 11, 17, 19, 19, 2, 3];
        let weights = vec![5, -3, 2, 1, -8, 4, 10, -6, 7];
        let table = WeightTable::from_parts(20, 0.5, keys, offsets, classes, weights);
        assert_eq!(table.dense_keys.len(), 1);
        let mut scores = [0i32; 20];
        table.score(&[7, 8, 9, 12345], &mut scores);
        let mut expected = [0i32; 20];
        for (class, weight) in [(0, 5), (3, -3), (9, 2), (11, 1), (17, -8), (19, 4)] {
            expected[class] += weight;
        }
        for (class, weight) in [(19, 10), (2, -6), (3, 7)] {
            expected[class] += weight;
        }
        assert_eq!(scores, expected);
        // Back to parts and in again: the same table.
        let (keys, offsets, classes, weights) = table.parts();
        let again = WeightTable::from_parts(20, 0.5, keys, offsets, classes, weights);
        let mut rescored = [0i32; 20];
        again.score(&[9, 8, 7], &mut rescored);
        assert_eq!(rescored, expected);
        assert_eq!(again.parts(), table.parts());
    }

    #[test]
    fn only_the_empty_feature_hashes_to_zero() {
        // The models keep the bias under BIAS, not under its hash: see `BIAS`.
        assert_eq!(feature(0, 0, 0, 0), 0);
        assert_ne!(BIAS, 0);
        for template in 1..100 {
            assert_ne!(feature(template, 0, 0, 0), 0);
            assert_ne!(feature(template, 0, 0, 0), BIAS);
        }
    }

    #[test]
    fn rows_of_twelve_weights_or_more_are_dense() {
        // 104 classes: a quarter would be 26, but 12 weights already make a dense row.
        let keys = vec![1, 2];
        let offsets = vec![0, 12, 23];
        let classes: Vec<u8> = (0..12).chain(50..61).collect();
        let weights: Vec<i16> = (1..=23).collect();
        let table = WeightTable::from_parts(104, 1.0, keys, offsets, classes, weights);
        assert_eq!(table.dense_keys.len(), 1);
        let mut scores = [0i32; 104];
        table.score(&[1, 2], &mut scores);
        assert_eq!(scores[11], 12);
        assert_eq!(scores[60], 23);
        assert_eq!(scores.iter().sum::<i32>(), (1..=23).sum::<i32>());
    }

    #[test]
    fn splitmix_is_deterministic() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        assert_eq!(a.next_u64(), b.next_u64());
        let mut items: Vec<u32> = (0..10).collect();
        a.shuffle(&mut items);
        let mut sorted = items.clone();
        sorted.sort();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
    }
}
