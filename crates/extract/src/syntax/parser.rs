//! The dependency parser: greedy arc-hybrid transitions scored by an averaged perceptron
//! over hashed Zhang & Nivre (2011) style features, trained with the dynamic oracle of
//! Goldberg & Nivre (2013).
//!
//! The configuration is a stack and a buffer; the artificial root sits at the *end* of
//! the buffer (Ballesteros & Nivre 2013), so the root of the sentence is decided last.
//! Transitions, with labels from the treebank's relations:
//!
//! - `SHIFT` moves the front of the buffer `b0` onto the stack;
//! - `LEFT(l)` pops the top of the stack `s0` and makes it a dependent of `b0`;
//! - `RIGHT(l)` pops `s0` and makes it a dependent of the next item on the stack `s1`.
//!
//! `LEFT` onto the root is allowed only when the stack holds one word, with the label
//! `root`, so every parse is a tree with exactly one root. The transition system builds
//! projective trees only; non-projective training sentences are skipped (see
//! `train.rs`), which loses about 1% of the arcs at test time on English.

use newsgraph_model::DepRel;

use super::features::{MAX_CLASSES, Perceptron, Sums, WeightTable, feature, mix};
use super::tagger::{WordHashes, argmax_i32};

const NONE: u32 = u32::MAX;
const NO_WORD: u64 = 0x0;
const ROOT_WORD: u64 = 0x1;
const NO_TAG: u64 = 300;
const ROOT_TAG: u64 = 301;
const NO_LABEL: u64 = 400;

/// The transition classes: 0 is `SHIFT`, `1 + l` is `LEFT(l)`, `1 + n_labels + l` is
/// `RIGHT(l)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// Move `b0` onto the stack.
    Shift,
    /// `s0` becomes a dependent of `b0`.
    Left,
    /// `s0` becomes a dependent of `s1`.
    Right,
}

/// Splits a class into its move and label.
#[inline]
pub fn decode(class: usize, n_labels: usize) -> (Move, usize) {
    if class == 0 {
        (Move::Shift, 0)
    } else if class <= n_labels {
        (Move::Left, class - 1)
    } else {
        (Move::Right, class - 1 - n_labels)
    }
}

/// A parser configuration over one sentence of `n` words (the root is word `n`).
#[derive(Clone, Debug, Default)]
pub struct State {
    n: usize,
    /// Word indices on the stack, top last.
    pub stack: Vec<u32>,
    /// The front of the buffer (`n` when only the root is left).
    pub buffer: usize,
    /// The head of each word, `u32::MAX` while it has none; `n` for the root.
    pub heads: Vec<u32>,
    /// The label index of each word's arc.
    pub labels: Vec<u8>,
    left1: Vec<u32>,
    left2: Vec<u32>,
    right1: Vec<u32>,
    right2: Vec<u32>,
    n_left: Vec<u8>,
    n_right: Vec<u8>,
    left_labels: Vec<u64>,
    right_labels: Vec<u64>,
}

impl State {
    /// Resets the state for a sentence of `n` words, keeping the allocations.
    pub fn reset(&mut self, n: usize) {
        self.n = n;
        self.stack.clear();
        self.buffer = 0;
        for v in
            [&mut self.heads, &mut self.left1, &mut self.left2, &mut self.right1, &mut self.right2]
        {
            v.clear();
            v.resize(n + 1, NONE);
        }
        self.labels.clear();
        self.labels.resize(n + 1, 0);
        for v in [&mut self.n_left, &mut self.n_right] {
            v.clear();
            v.resize(n + 1, 0);
        }
        for v in [&mut self.left_labels, &mut self.right_labels] {
            v.clear();
            v.resize(n + 1, 0);
        }
    }

    /// True when the parse is complete.
    pub fn is_final(&self) -> bool {
        self.buffer == self.n && self.stack.is_empty()
    }

    /// Whether a move is allowed; `root_label` is the index of `root`.
    #[inline]
    pub fn is_valid(&self, mv: Move, label: usize, root_label: usize) -> bool {
        match mv {
            Move::Shift => self.buffer < self.n,
            Move::Left => {
                if self.stack.is_empty() {
                    false
                } else if self.buffer == self.n {
                    self.stack.len() == 1 && label == root_label
                } else {
                    label != root_label
                }
            }
            Move::Right => self.stack.len() >= 2 && label != root_label,
        }
    }

    /// Sets the score of every move that [`State::is_valid`] forbids to `i32::MIN`, so
    /// that the best-scoring class is the best valid move (the scores of valid moves are
    /// sums of a few hundred `i16` weights, far above `i32::MIN`).
    pub fn mask_invalid(&self, scores: &mut [i32], n_labels: usize, root_label: usize) {
        let (shift, rest) = scores.split_at_mut(1);
        let (left, right) = rest.split_at_mut(n_labels);
        if self.buffer >= self.n {
            shift[0] = i32::MIN;
        }
        if self.stack.is_empty() {
            left.fill(i32::MIN);
        } else if self.buffer == self.n {
            let keep = if self.stack.len() == 1 { left[root_label] } else { i32::MIN };
            left.fill(i32::MIN);
            left[root_label] = keep;
        } else {
            left[root_label] = i32::MIN;
        }
        if self.stack.len() < 2 {
            right.fill(i32::MIN);
        } else {
            right[root_label] = i32::MIN;
        }
    }

    /// Applies a valid move.
    pub fn apply(&mut self, mv: Move, label: usize) {
        match mv {
            Move::Shift => {
                self.stack.push(self.buffer as u32);
                self.buffer += 1;
            }
            Move::Left => {
                let dependent = self.stack.pop().expect("LEFT is valid only on a non-empty stack");
                self.add_arc(self.buffer as u32, dependent, label);
            }
            Move::Right => {
                let dependent =
                    self.stack.pop().expect("RIGHT is valid only with two on the stack");
                let head = *self.stack.last().expect("RIGHT is valid only with two on the stack");
                self.add_arc(head, dependent, label);
            }
        }
    }

    fn add_arc(&mut self, head: u32, dependent: u32, label: usize) {
        let (h, d) = (head as usize, dependent as usize);
        self.heads[d] = head;
        self.labels[d] = label as u8;
        let bit = 1u64 << (label % 64);
        if d < h {
            if self.left1[h] == NONE || dependent < self.left1[h] {
                self.left2[h] = self.left1[h];
                self.left1[h] = dependent;
            } else if self.left2[h] == NONE || dependent < self.left2[h] {
                self.left2[h] = dependent;
            }
            self.n_left[h] = self.n_left[h].saturating_add(1);
            self.left_labels[h] |= bit;
        } else {
            if self.right1[h] == NONE || dependent > self.right1[h] {
                self.right2[h] = self.right1[h];
                self.right1[h] = dependent;
            } else if self.right2[h] == NONE || dependent > self.right2[h] {
                self.right2[h] = dependent;
            }
            self.n_right[h] = self.n_right[h].saturating_add(1);
            self.right_labels[h] |= bit;
        }
    }

    /// The cost of each move under the gold tree (the number of gold arcs it makes
    /// unreachable, plus one for a wrong label on a right arc): `[shift, left, right]`
    /// for unlabelled moves; add [`State::label_cost`] for the label.
    pub fn costs(&self, gold_heads: &[u32]) -> [u32; 3] {
        let b = self.buffer;
        let n = self.n;
        let len = self.stack.len();
        let mut shift = u32::MAX;
        let mut left = u32::MAX;
        let mut right = u32::MAX;
        if b < n {
            // b0's head among the stack below s0, and b0's dependents on the stack.
            let mut cost = 0;
            for (i, &k) in self.stack.iter().enumerate() {
                if gold_heads[k as usize] == b as u32 {
                    cost += 1;
                }
                if i + 1 < len && gold_heads[b] == k {
                    cost += 1;
                }
            }
            shift = cost;
        }
        if let Some(&s0) = self.stack.last() {
            let s0 = s0 as usize;
            // Dependents of s0 still in the buffer are lost either way.
            let dependents_in_buffer =
                gold_heads[b..n].iter().filter(|&&head| head == s0 as u32).count() as u32;
            let head = gold_heads[s0] as usize;
            let s1 = if len >= 2 { self.stack[len - 2] as usize } else { usize::MAX };
            // LEFT: s0's head is s1 or further in the buffer.
            let root_ok = b < n || len == 1;
            if root_ok {
                let lost_head = usize::from(head == s1 || head > b);
                left = dependents_in_buffer + lost_head as u32;
            }
            if len >= 2 {
                let lost_head = usize::from(head >= b);
                right = dependents_in_buffer + lost_head as u32;
            }
        }
        [shift, left, right]
    }

    /// One when a move would make the gold arc of `s0` with the wrong label.
    #[inline]
    pub fn label_cost(
        &self,
        mv: Move,
        label: usize,
        gold_heads: &[u32],
        gold_labels: &[u8],
    ) -> u32 {
        let Some(&s0) = self.stack.last() else { return 0 };
        let s0 = s0 as usize;
        let head = match mv {
            Move::Shift => return 0,
            Move::Left => self.buffer,
            Move::Right => self.stack[self.stack.len() - 2] as usize,
        };
        u32::from(gold_heads[s0] as usize == head && gold_labels[s0] as usize != label)
    }
}

/// The number of parser features.
pub const N_FEATURES: usize = 83;
/// The features that read only the first three words of the buffer, `b0`-`b2`: they stay
/// the same until the next `SHIFT`.
const N_BUFFER: usize = 14;
/// The features that read `b0` with its left children: they stay the same until the next
/// `SHIFT` or `LEFT`.
const N_BUFFER_CHILDREN: usize = 11;
/// The features that read `s0` with its children, `s1` and `s2`: they stay the same
/// while `s0` keeps its rightmost child.
const N_TOP: usize = 39;
/// The features that read `s0` with `s1`, `s2` or the buffer, which change with every move.
const N_STACK: usize = N_FEATURES - N_BUFFER - N_BUFFER_CHILDREN - N_TOP;

/// What the features read about each word of the sentence: its lower-case form and tag.
#[derive(Clone, Copy, Debug, Default)]
pub struct ParserWord {
    /// The lower-case form's hash.
    pub word: u64,
    /// The tagger's class.
    pub tag: u64,
}

impl ParserWord {
    /// From the tagger's hashes and class.
    pub fn new(hashes: &WordHashes, tag: u8) -> ParserWord {
        ParserWord { word: hashes.lower, tag: u64::from(tag) }
    }
}

#[inline]
fn wt(word: u64, tag: u64) -> u64 {
    mix(word, tag)
}

/// The words of a configuration that the features read, as indices (`NONE` when absent).
struct View<'a> {
    state: &'a State,
    words: &'a [ParserWord],
}

impl View<'_> {
    /// The word and tag hash of word `i`.
    #[inline]
    fn at(&self, i: u32) -> (u64, u64) {
        if i == NONE {
            (NO_WORD, NO_TAG)
        } else if i as usize == self.state.n {
            (ROOT_WORD, ROOT_TAG)
        } else {
            let w = self.words[i as usize];
            (w.word, w.tag)
        }
    }

    #[inline]
    fn label(&self, i: u32) -> u64 {
        if i == NONE { NO_LABEL } else { u64::from(self.state.labels[i as usize]) }
    }

    #[inline]
    fn child(v: &[u32], i: u32) -> u32 {
        if i == NONE { NONE } else { v[i as usize] }
    }

    /// The `k`-th word from the top of the stack (0 is the top).
    #[inline]
    fn stack(&self, k: usize) -> u32 {
        let len = self.state.stack.len();
        if len > k { self.state.stack[len - 1 - k] } else { NONE }
    }

    /// The `k`-th word of the buffer (0 is the front), the root included.
    #[inline]
    fn buffer(&self, k: usize) -> u32 {
        let i = self.state.buffer + k;
        if i <= self.state.n { i as u32 } else { NONE }
    }
}

/// The features of a configuration: those of `buffer_features`,
/// `buffer_children_features`, `top_features` and `stack_features`, which
/// [`Parser::parse`] scores in groups.
pub fn features(state: &State, words: &[ParserWord], out: &mut [u64; N_FEATURES]) {
    let (buffer, rest) = out.split_at_mut(N_BUFFER);
    let (children, rest) = rest.split_at_mut(N_BUFFER_CHILDREN);
    let (top, stack) = rest.split_at_mut(N_TOP);
    buffer_features(state, words, buffer.try_into().expect("N_BUFFER features"));
    buffer_children_features(state, words, children.try_into().expect("N_BUFFER_CHILDREN"));
    top_features(state, words, top.try_into().expect("N_TOP features"));
    stack_features(state, words, stack.try_into().expect("N_STACK features"));
}

/// The features of `b0`, `b1` and `b2`: they depend only on the front of the buffer.
fn buffer_features(state: &State, words: &[ParserWord], out: &mut [u64; N_BUFFER]) {
    let view = View { state, words };
    let b0i = view.buffer(0);
    let b1i = view.buffer(1);
    let b2i = view.buffer(2);
    let (b0w, b0t) = view.at(b0i);
    let (b1w, b1t) = view.at(b1i);
    let (b2w, b2t) = view.at(b2i);
    *out = [
        feature(4, b0w, 0, 0),
        feature(5, b0t, 0, 0),
        feature(6, wt(b0w, b0t), 0, 0),
        feature(7, b1w, 0, 0),
        feature(8, b1t, 0, 0),
        feature(9, b1w, b1t, 0),
        feature(10, b2w, 0, 0),
        feature(11, b2t, 0, 0),
        feature(12, b2w, b2t, 0),
        feature(25, b0t, b1t, 0),
        feature(26, b0t, b1t, b2t),
        feature(75, b0w, b1w, 0),
        feature(81, b0w, b1t, 0),
        feature(82, b0t, b1w, 0),
    ];
}

/// The features of `b0` with its left children: they change with `b0` and with each
/// `LEFT`, which gives `b0` a new leftmost child.
fn buffer_children_features(
    state: &State,
    words: &[ParserWord],
    out: &mut [u64; N_BUFFER_CHILDREN],
) {
    let view = View { state, words };
    let b0i = view.buffer(0);
    let b0l1 = View::child(&state.left1, b0i);
    let b0l2 = View::child(&state.left2, b0i);
    let (b0w, b0t) = view.at(b0i);
    let (b0l1w, b0l1t) = view.at(b0l1);
    let (b0l2w, b0l2t) = view.at(b0l2);
    let b0vl = u64::from(state.n_left[b0i as usize]);
    let b0ll = state.left_labels[b0i as usize];
    *out = [
        feature(44, b0w, b0vl, 0),
        feature(45, b0t, b0vl, 0),
        feature(52, b0l1w, 0, 0),
        feature(53, b0l1t, 0, 0),
        feature(54, view.label(b0l1), 0, 0),
        feature(61, b0l2w, b0l2t, 0),
        feature(62, view.label(b0l2), 0, 0),
        feature(65, b0t, b0l1t, b0l2t),
        feature(70, b0w, b0ll, 0),
        feature(71, b0t, b0ll, 0),
        feature(79, b0t, view.label(b0l1), view.label(b0l2)),
    ];
}

/// The features of `s0` with its children and of the words under it on the stack: they
/// stay the same while `s0` is the same word with the same rightmost child (its left
/// children were all attached while it was `b0`, each `RIGHT` gives it a new rightmost
/// child, and the words under it, with their children, cannot change while it is on the
/// stack).
fn top_features(state: &State, words: &[ParserWord], out: &mut [u64; N_TOP]) {
    let view = View { state, words };
    let s0i = view.stack(0);
    let s1i = view.stack(1);
    let s2i = view.stack(2);
    let s1r1 = View::child(&state.right1, s1i);
    let (s1w, s1t) = view.at(s1i);
    let (s2w, s2t) = view.at(s2i);
    let (_, s1r1t) = view.at(s1r1);
    let stack_distance = if s1i == NONE || s0i == NONE { 0 } else { (s0i - s1i).min(5) as u64 };
    let s0l1 = View::child(&state.left1, s0i);
    let s0l2 = View::child(&state.left2, s0i);
    let s0r1 = View::child(&state.right1, s0i);
    let s0r2 = View::child(&state.right2, s0i);
    let (s0w, s0t) = view.at(s0i);
    let (s0l1w, s0l1t) = view.at(s0l1);
    let (s0l2w, s0l2t) = view.at(s0l2);
    let (s0r1w, s0r1t) = view.at(s0r1);
    let (s0r2w, s0r2t) = view.at(s0r2);
    let small =
        |i: u32, v: &Vec<u8>| -> u64 { if i == NONE { 99 } else { u64::from(v[i as usize]) } };
    let s0vl = small(s0i, &state.n_left);
    let s0vr = small(s0i, &state.n_right);
    let set = |i: u32, v: &Vec<u64>| -> u64 { if i == NONE { 7 } else { v[i as usize] } };
    let s0ll = set(s0i, &state.left_labels);
    let s0rl = set(s0i, &state.right_labels);
    let label = |i: u32| view.label(i);
    *out = [
        feature(1, s0w, 0, 0),
        feature(2, s0t, 0, 0),
        feature(3, wt(s0w, s0t), 0, 0),
        feature(40, s0w, s0vr, 0),
        feature(41, s0t, s0vr, 0),
        feature(42, s0w, s0vl, 0),
        feature(43, s0t, s0vl, 0),
        feature(46, s0l1w, 0, 0),
        feature(47, s0l1t, 0, 0),
        feature(48, label(s0l1), 0, 0),
        feature(49, s0r1w, 0, 0),
        feature(50, s0r1t, 0, 0),
        feature(51, label(s0r1), 0, 0),
        feature(55, s0l2w, 0, 0),
        feature(56, s0l2t, 0, 0),
        feature(57, label(s0l2), 0, 0),
        feature(58, s0r2w, 0, 0),
        feature(59, s0r2t, 0, 0),
        feature(60, label(s0r2), 0, 0),
        feature(63, s0t, s0l1t, s0l2t),
        feature(64, s0t, s0r1t, s0r2t),
        feature(66, s0w, s0rl, 0),
        feature(67, s0t, s0rl, 0),
        feature(68, s0w, s0ll, 0),
        feature(69, s0t, s0ll, 0),
        feature(72, s0t, label(s0l1), label(s0r1)),
        feature(80, s0t, label(s0r1), label(s0r2)),
        feature(13, s1w, 0, 0),
        feature(14, s1t, 0, 0),
        feature(15, s1w, s1t, 0),
        feature(16, s2w, 0, 0),
        feature(17, s2t, 0, 0),
        feature(33, s1t, s1r1t, s0t),
        feature(73, s0w, s1w, 0),
        feature(74, s0t, s1t, 0),
        feature(76, s1t, s0w, 0),
        feature(77, s1w, s0t, 0),
        feature(78, s1t, s0t, stack_distance),
        feature(83, s2t, s1t, s0t),
    ];
}

/// The features that read the stack together with the buffer.
fn stack_features(state: &State, words: &[ParserWord], out: &mut [u64; N_STACK]) {
    let view = View { state, words };
    let n = state.n;
    let s0i = view.stack(0);
    let (_, s1t) = view.at(view.stack(1));
    let b0i = view.buffer(0);
    let b1i = view.buffer(1);
    let s0l1 = View::child(&state.left1, s0i);
    let s0r1 = View::child(&state.right1, s0i);
    let b0l1 = View::child(&state.left1, b0i);
    let (s0w, s0t) = view.at(s0i);
    let (b0w, b0t) = view.at(b0i);
    let (_, b1t) = view.at(b1i);
    let (_, s0l1t) = view.at(s0l1);
    let (_, s0r1t) = view.at(s0r1);
    let (_, b0l1t) = view.at(b0l1);
    let s0wt = wt(s0w, s0t);
    let b0wt = wt(b0w, b0t);
    let distance = if s0i == NONE {
        0
    } else if b0i as usize == n {
        9
    } else {
        (b0i - s0i).min(5) as u64
    };
    *out = [
        feature(18, s0wt, b0wt, 0),
        feature(19, s0wt, b0w, 0),
        feature(20, s0w, b0wt, 0),
        feature(21, s0wt, b0t, 0),
        feature(22, s0t, b0wt, 0),
        feature(23, s0w, b0w, 0),
        feature(24, s0t, b0t, 0),
        feature(27, s0t, b0t, b1t),
        feature(28, s1t, s0t, b0t),
        feature(29, s1t, s0t, b1t),
        feature(30, s0t, s0l1t, b0t),
        feature(31, s0t, s0r1t, b0t),
        feature(32, s0t, b0t, b0l1t),
        feature(34, s0w, distance, 0),
        feature(35, s0t, distance, 0),
        feature(36, b0w, distance, 0),
        feature(37, b0t, distance, 0),
        feature(38, s0w, b0w, distance),
        feature(39, s0t, b0t, distance),
    ];
}

/// A trained parser.
#[derive(Clone, Debug)]
pub struct Parser {
    /// Label index -> relation.
    pub labels: Vec<DepRel>,
    /// The index of `root` in [`Parser::labels`].
    pub root_label: usize,
    /// The weights.
    pub weights: WeightTable,
}

/// Buffers reused from sentence to sentence.
#[derive(Clone, Debug, Default)]
pub struct ParseScratch {
    /// The configuration.
    pub state: State,
    /// Per word, the sums of its `top_features` and what they were computed for: `1 << 32
    /// | right1`, or 0 before the word was first on top of the stack.
    top_sums: Vec<i32>,
    top_keys: Vec<u64>,
}

impl Parser {
    /// Parses a sentence; afterwards `scratch.state.heads` (with `n` for the root) and
    /// `scratch.state.labels` hold the tree.
    ///
    /// Scores are kept while the words they read stay the same: those of the features of
    /// `b0`-`b2` until the next `SHIFT` (reused on 45% of the decisions), and those of
    /// `s0` with its children and the words under it, per word, until it gets a new
    /// rightmost child (reused on 28%). Weights are integers, so the sums are exactly
    /// those of scoring every feature each time. (`b0`'s left children change with each `LEFT`: their scores would be
    /// reused on only 18% of the decisions, which measured no faster.)
    pub fn parse(&self, words: &[ParserWord], scratch: &mut ParseScratch) {
        let n = words.len();
        let n_labels = self.labels.len();
        let n_classes = self.weights.n_classes();
        let state = &mut scratch.state;
        state.reset(n);

        let mut buffer_feats = [0u64; N_BUFFER];
        let mut other_feats = [0u64; N_BUFFER_CHILDREN + N_STACK];
        let mut top_feats = [0u64; N_TOP];
        let mut buffer_sums: Sums = [0; MAX_CLASSES];
        let mut sums: Sums = [0; MAX_CLASSES];
        // The `b0` the cached sums were computed for.
        let mut buffer_key = usize::MAX;
        scratch.top_keys.clear();
        scratch.top_keys.resize(n, 0);
        scratch.top_sums.resize(n * n_classes, 0);
        let mut top_scratch: Sums = [0; MAX_CLASSES];
        while !state.is_final() {
            // With an empty stack SHIFT is the only move, and with only the root left in
            // the buffer and one word on the stack, LEFT(root): no need to score them.
            let Some(&s0) = state.stack.last() else {
                state.apply(Move::Shift, 0);
                continue;
            };
            if state.buffer == n && state.stack.len() == 1 {
                state.apply(Move::Left, self.root_label);
                continue;
            }
            if buffer_key != state.buffer {
                buffer_key = state.buffer;
                buffer_features(state, words, &mut buffer_feats);
                buffer_sums[..n_classes].fill(0);
                self.weights.accumulate(&buffer_feats, &mut buffer_sums);
            }
            let s0 = s0 as usize;
            let top_key = 1 << 32 | u64::from(state.right1[s0]);
            let top_sums = &mut scratch.top_sums[s0 * n_classes..(s0 + 1) * n_classes];
            if scratch.top_keys[s0] != top_key {
                scratch.top_keys[s0] = top_key;
                top_features(state, words, &mut top_feats);
                top_scratch[..n_classes].fill(0);
                self.weights.accumulate(&top_feats, &mut top_scratch);
                top_sums.copy_from_slice(&top_scratch[..n_classes]);
            }
            let (children, stack) = other_feats.split_at_mut(N_BUFFER_CHILDREN);
            buffer_children_features(state, words, children.try_into().expect("children"));
            stack_features(state, words, stack.try_into().expect("stack"));
            for ((sum, a), b) in sums[..n_classes].iter_mut().zip(&buffer_sums).zip(&*top_sums) {
                *sum = a + b;
            }
            self.weights.accumulate(&other_feats, &mut sums);
            let scores = &mut sums[..n_classes];
            state.mask_invalid(scores, n_labels, self.root_label);
            let (mv, label) = decode(argmax_i32(scores), n_labels);
            state.apply(mv, label);
        }
    }
}

/// Trains a parser with the dynamic oracle.
#[derive(Debug)]
pub struct ParserTrainer {
    /// The weights under training.
    pub perceptron: Perceptron,
    n_labels: usize,
    root_label: usize,
    state: State,
    scores: Vec<f32>,
}

impl ParserTrainer {
    /// A trainer over `n_labels` labels, `root_label` being `root`.
    pub fn new(n_labels: usize, root_label: usize) -> ParserTrainer {
        let n_classes = 1 + 2 * n_labels;
        ParserTrainer {
            perceptron: Perceptron::new(n_classes),
            n_labels,
            root_label,
            state: State::default(),
            scores: vec![0.0; n_classes],
        }
    }

    /// Learns from one projective sentence; `gold_heads` use `n` for the root. With
    /// `explore`, the parser follows its own prediction when that is a mistake, with
    /// probability `follow` (from `random`, a number in `[0, 1)` per step).
    /// Returns (correct steps, steps).
    pub fn learn(
        &mut self,
        words: &[ParserWord],
        gold_heads: &[u32],
        gold_labels: &[u8],
        explore: bool,
        random: &mut dyn FnMut() -> f64,
    ) -> (usize, usize) {
        let n = words.len();
        let n_classes = self.scores.len();
        self.state.reset(n);
        let mut feats = [0u64; N_FEATURES];
        let (mut correct, mut steps) = (0, 0);
        while !self.state.is_final() {
            features(&self.state, words, &mut feats);
            self.perceptron.score(&feats, &mut self.scores);
            let costs = self.state.costs(gold_heads);
            let mut guess = usize::MAX;
            let mut best_gold = usize::MAX;
            for class in 0..n_classes {
                let (mv, label) = decode(class, self.n_labels);
                if !self.state.is_valid(mv, label, self.root_label) {
                    continue;
                }
                if guess == usize::MAX || self.scores[class] > self.scores[guess] {
                    guess = class;
                }
                let cost = costs[mv as usize].saturating_add(self.state.label_cost(
                    mv,
                    label,
                    gold_heads,
                    gold_labels,
                ));
                if cost == 0
                    && (best_gold == usize::MAX || self.scores[class] > self.scores[best_gold])
                {
                    best_gold = class;
                }
            }
            if best_gold == usize::MAX {
                // Only on non-projective trees; the caller skips those.
                best_gold = guess;
            }
            self.perceptron.tick();
            self.perceptron.update(&feats, best_gold, guess);
            steps += 1;
            correct += usize::from(guess == best_gold);
            let next =
                if guess != best_gold && explore && random() < 0.9 { guess } else { best_gold };
            let (mv, label) = decode(next, self.n_labels);
            self.state.apply(mv, label);
        }
        (correct, steps)
    }
}

/// True when no arc of the tree crosses another or covers the root (`heads[i]` is `n`
/// for the root, which sits after the last word).
pub fn is_projective(heads: &[u32]) -> bool {
    for (d, &h) in heads.iter().enumerate() {
        let h = h as usize;
        let (lo, hi) = if d < h { (d, h) } else { (h, d) };
        if heads[lo + 1..hi.min(heads.len())]
            .iter()
            .any(|&k| (k as usize) < lo || (k as usize) > hi)
        {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the static path of the dynamic oracle (always a zero-cost move).
    fn oracle_parse(gold_heads: &[u32], gold_labels: &[u8], n_labels: usize, root: usize) -> State {
        let mut state = State::default();
        state.reset(gold_heads.len());
        while !state.is_final() {
            let costs = state.costs(gold_heads);
            let class = (0..1 + 2 * n_labels)
                .find(|&class| {
                    let (mv, label) = decode(class, n_labels);
                    state.is_valid(mv, label, root)
                        && costs[mv as usize] == 0
                        && state.label_cost(mv, label, gold_heads, gold_labels) == 0
                })
                .expect("a zero-cost move exists for a projective tree");
            let (mv, label) = decode(class, n_labels);
            state.apply(mv, label);
        }
        state
    }

    #[test]
    fn oracle_reproduces_projective_gold_trees() {
        // Lindmark receives money from Ostravia .
        // 0        1        2     3    4        5
        let heads = [1, 6, 1, 4, 1, 1];
        let labels = [1, 0, 2, 3, 4, 5];
        let state = oracle_parse(&heads, &labels, 6, 0);
        assert_eq!(&state.heads[..6], &heads);
        assert_eq!(&state.labels[..6], &labels);
        // A chain to the left and a long right arc.
        let heads = [2, 2, 7, 6, 6, 6, 2];
        let labels = [1, 1, 0, 1, 1, 1, 2];
        let state = oracle_parse(&heads, &labels, 3, 0);
        assert_eq!(&state.heads[..7], &heads);
    }

    #[test]
    fn non_projective_trees_are_detected() {
        // 0 -> 2, 1 -> 3 cross.
        assert!(!is_projective(&[2, 3, 4, 2]));
        assert!(is_projective(&[1, 4, 1, 1]));
    }

    /// The greedy parse with every feature scored at every decision, as in training.
    fn parse_scoring_everything(parser: &Parser, words: &[ParserWord]) -> State {
        let n_labels = parser.labels.len();
        let mut state = State::default();
        state.reset(words.len());
        let mut feats = [0u64; N_FEATURES];
        let mut scores = vec![0i32; parser.weights.n_classes()];
        while !state.is_final() {
            features(&state, words, &mut feats);
            parser.weights.score(&feats, &mut scores);
            state.mask_invalid(&mut scores, n_labels, parser.root_label);
            let (mv, label) = decode(argmax_i32(&scores), n_labels);
            state.apply(mv, label);
        }
        state
    }

    #[test]
    fn kept_scores_give_the_trees_of_scoring_everything() {
        let model = crate::syntax::SyntaxModel::builtin().expect("the committed model decodes");
        let text = "The minister of Veldra said on Tuesday that the talks , which had \
            stalled for months over the border dispute , would resume in the capital next \
            week unless the rebels attacked again . \
            Officials who asked not to be named told reporters the convoy was turned back \
            at the checkpoint , and the aid it carried , mostly flour and medicine , was \
            sent from the port to camps in the north by truck . \
            “ We will not accept this , ” she said , adding that the council , the army \
            and the courts had all been warned .";
        let mut analysis = crate::syntax::Analysis::default();
        let mut scratch = ParseScratch::default();
        let mut compared = 0;
        for sentence in text.split(" . ") {
            let forms: Vec<&str> = sentence.split_whitespace().collect();
            model.tag(&forms, &mut analysis);
            let words: Vec<ParserWord> = analysis
                .tags
                .iter()
                .enumerate()
                .map(|(i, &tag)| ParserWord::new(&analysis.padded[i + 2], tag))
                .collect();
            model.parser.parse(&words, &mut scratch);
            let reference = parse_scoring_everything(&model.parser, &words);
            assert_eq!(scratch.state.heads, reference.heads, "{sentence}");
            assert_eq!(scratch.state.labels, reference.labels, "{sentence}");
            compared += words.len();
        }
        assert!(compared > 80, "{compared} words");
    }

    #[test]
    fn masking_keeps_exactly_the_valid_moves() {
        // Every configuration met while shifting and reducing a 4-word sentence, with
        // 3 labels of which label 1 is the root.
        let (n_labels, root) = (3, 1);
        let mut state = State::default();
        state.reset(4);
        let mut seen = 0;
        while !state.is_final() {
            let mut scores = vec![7; 1 + 2 * n_labels];
            state.mask_invalid(&mut scores, n_labels, root);
            for (class, &score) in scores.iter().enumerate() {
                let (mv, label) = decode(class, n_labels);
                assert_eq!(score != i32::MIN, state.is_valid(mv, label, root), "{mv:?} {label}");
            }
            // The best class is the first valid one when all valid scores tie.
            let (mv, label) = decode(argmax_i32(&scores), n_labels);
            assert!(state.is_valid(mv, label, root));
            // Shift two words at first, then take the first valid move.
            let next = if state.stack.len() < 2 && state.buffer < state.n {
                (Move::Shift, 0)
            } else {
                (mv, label)
            };
            state.apply(next.0, next.1);
            seen += 1;
        }
        assert!(seen >= 8, "{seen} configurations");
    }

    #[test]
    fn every_parse_has_one_root() {
        let mut state = State::default();
        state.reset(3);
        // Shift everything, then the only valid moves reduce to a single root.
        while !state.is_final() {
            let mv = if state.is_valid(Move::Shift, 1, 0) {
                Move::Shift
            } else if state.is_valid(Move::Right, 1, 0) {
                Move::Right
            } else {
                Move::Left
            };
            let label = if mv == Move::Left { 0 } else { 1 };
            assert!(state.is_valid(mv, label, 0));
            state.apply(mv, label);
        }
        assert_eq!(state.heads[..3].iter().filter(|&&h| h == 3).count(), 1);
    }
}
