//! Training the tagger and the parser on a treebank, deterministically, and evaluating
//! them.
//!
//! The tagger learns first: classes are the (UPOS, Penn tag) pairs of the training set,
//! the tag dictionary holds words seen at least 20 times with one class 97% of the time
//! or more, and after each pass over the shuffled sentences the averaged weights are
//! scored on the development set; the best pass is kept. The parser then learns from
//! tags the tagger predicts (jackknifed: each fold is tagged by a tagger trained on the
//! other folds), so that it is used to the tagger's mistakes. Its first pass follows the
//! oracle; later passes follow its own mistakes nine times in ten (exploration), and
//! again the best pass on the development set is kept. Non-projective training
//! sentences are skipped, because the arc-hybrid system cannot build them and the
//! dynamic oracle's costs are only exact on projective trees.
//!
//! Shuffling uses [`SplitMix64`] with a fixed seed and every map is iterated in sorted
//! order, so the same treebank and options give the same bytes.

use std::collections::{BTreeMap, HashMap};

use newsgraph_model::{DepRel, Upos};

use super::conllu::{ConlluSentence, column};
use super::eval::Scores;
use super::features::{FeatureMap, SplitMix64, hash_str, mix};
use super::lemma::Lemmatizer;
use super::parser::{Parser, ParserTrainer, ParserWord, is_projective};
use super::tagger::{Tagger, TaggerTrainer, WordHashes, pad};
use super::{Analysis, SyntaxModel};

/// One treebank sentence with its gold analysis.
#[derive(Clone, Debug, Default)]
pub struct GoldSentence {
    /// Word forms.
    pub forms: Vec<String>,
    /// Universal tags.
    pub upos: Vec<Upos>,
    /// Penn tags.
    pub xpos: Vec<String>,
    /// Lemmas.
    pub lemmas: Vec<String>,
    /// Heads as word indices from 0, with `forms.len()` for the root.
    pub heads: Vec<u32>,
    /// Relations.
    pub deprels: Vec<DepRel>,
}

/// The gold sentences of a CoNLL-U treebank (words only; multiword tokens and empty
/// nodes are skipped). Unknown tags become `X` and missing heads the root.
pub fn gold_sentences(sentences: &[ConlluSentence]) -> Vec<GoldSentence> {
    sentences
        .iter()
        .map(|sentence| {
            let mut gold = GoldSentence::default();
            let words: Vec<&[String; 10]> = sentence.words().collect();
            let n = words.len() as u32;
            for row in words {
                gold.forms.push(row[column::FORM].clone());
                gold.upos.push(Upos::parse(&row[column::UPOS]).unwrap_or(Upos::X));
                gold.xpos.push(row[column::XPOS].clone());
                gold.lemmas.push(row[column::LEMMA].clone());
                let head = row[column::HEAD].parse::<u32>().unwrap_or(0);
                gold.heads.push(if head == 0 || head > n { n } else { head - 1 });
                gold.deprels.push(DepRel::parse(&row[column::DEPREL]));
            }
            gold
        })
        .filter(|gold| !gold.forms.is_empty())
        .collect()
}

/// How to train.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Passes over the training set for the tagger (the best on dev is kept).
    pub tagger_iterations: usize,
    /// Passes over the training set for the parser (the best on dev is kept).
    pub parser_iterations: usize,
    /// Folds for jackknifed training tags; 0 or 1 trains the parser on gold tags.
    pub folds: usize,
    /// The shuffling seed.
    pub seed: u64,
    /// Averaged weights smaller than this are dropped from the saved model.
    pub min_weight: f32,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            tagger_iterations: 10,
            parser_iterations: 12,
            folds: 4,
            seed: 42,
            min_weight: 0.0,
        }
    }
}

fn padded_hashes(sentences: &[GoldSentence]) -> Vec<Vec<WordHashes>> {
    let mut lower = String::new();
    sentences
        .iter()
        .map(|s| {
            let forms: Vec<&str> = s.forms.iter().map(String::as_str).collect();
            let mut padded = Vec::new();
            pad(&forms, &mut padded, &mut lower);
            padded
        })
        .collect()
}

/// Trains a model; `log` receives one line per pass.
pub fn train(
    train: &[GoldSentence],
    dev: &[GoldSentence],
    options: &TrainOptions,
    log: &mut dyn FnMut(String),
) -> SyntaxModel {
    let mut random = SplitMix64::new(options.seed);
    // Tagger classes, most frequent first.
    let mut class_counts: BTreeMap<(Upos, String), usize> = BTreeMap::new();
    for s in train {
        for (u, x) in s.upos.iter().zip(&s.xpos) {
            *class_counts.entry((*u, x.clone())).or_default() += 1;
        }
    }
    let mut classes: Vec<((Upos, String), usize)> = class_counts.into_iter().collect();
    classes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let classes: Vec<(Upos, String)> = classes.into_iter().map(|(c, _)| c).take(255).collect();
    let class_index: HashMap<(Upos, String), u8> =
        classes.iter().enumerate().map(|(i, c)| (c.clone(), i as u8)).collect();
    let gold_classes: Vec<Vec<u8>> = train
        .iter()
        .map(|s| {
            s.upos
                .iter()
                .zip(&s.xpos)
                .map(|(u, x)| class_index.get(&(*u, x.clone())).copied().unwrap_or(0))
                .collect()
        })
        .collect();
    // Tag dictionary.
    let mut form_counts: BTreeMap<&str, BTreeMap<u8, usize>> = BTreeMap::new();
    for (s, gold) in train.iter().zip(&gold_classes) {
        for (form, &class) in s.forms.iter().zip(gold) {
            *form_counts.entry(form).or_default().entry(class).or_default() += 1;
        }
    }
    let mut tag_dictionary = FeatureMap::default();
    for (form, counts) in &form_counts {
        let total: usize = counts.values().sum();
        let (&class, &best) = counts.iter().max_by_key(|(_, n)| **n).expect("a counted form");
        if total >= 20 && best as f64 / total as f64 >= 0.97 {
            tag_dictionary.insert(hash_str(form), class);
        }
    }
    log(format!(
        "tagger: {} classes, {} words in the tag dictionary",
        classes.len(),
        tag_dictionary.len()
    ));
    // Ambiguity classes: the classes a lower-case form has at least 10% of the time,
    // for forms seen at least 3 times (rarer ones look unseen, as at test time).
    let mut lower_counts: BTreeMap<String, BTreeMap<u8, usize>> = BTreeMap::new();
    for (s, gold) in train.iter().zip(&gold_classes) {
        for (form, &class) in s.forms.iter().zip(gold) {
            *lower_counts.entry(form.to_lowercase()).or_default().entry(class).or_default() += 1;
        }
    }
    let mut ambiguity = FeatureMap::default();
    for (lower, counts) in &lower_counts {
        let total: usize = counts.values().sum();
        if total < 3 {
            continue;
        }
        let set = counts
            .iter()
            .filter(|(_, n)| **n * 10 >= total)
            .fold(0xA3B1u64, |hash, (class, _)| mix(hash, u64::from(*class)));
        ambiguity.insert(hash_str(lower), set);
    }
    let mut train_hashes = padded_hashes(train);
    for padded in &mut train_hashes {
        Tagger::fill_ambiguity(&ambiguity, padded);
    }
    let lemmatizer = Lemmatizer::learn(train.iter().flat_map(|s| {
        s.forms
            .iter()
            .zip(&s.xpos)
            .zip(&s.lemmas)
            .map(|((f, x), l)| (f.as_str(), x.as_str(), l.as_str()))
    }));
    log(format!("lemmatizer: {} exceptions", lemmatizer.exceptions.len()));

    // Labels, in the enum's order.
    let mut labels: Vec<DepRel> = train.iter().flat_map(|s| s.deprels.iter().copied()).collect();
    labels.push(DepRel::Root);
    labels.sort();
    labels.dedup();
    let root_label = labels.iter().position(|&l| l == DepRel::Root).expect("root was added");
    let empty_parser = Parser {
        labels: labels.clone(),
        root_label,
        weights: super::features::Perceptron::new(1 + 2 * labels.len()).averaged(0.0),
    };

    // The tagger.
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut trainer = TaggerTrainer::new(classes.len(), tag_dictionary.clone());
    let mut best_tagger: Option<(f64, usize, Tagger)> = None;
    for iteration in 0..options.tagger_iterations {
        random.shuffle(&mut order);
        let mut correct = 0;
        let mut total = 0;
        for &i in &order {
            correct += trainer.learn(&train_hashes[i], &gold_classes[i]);
            total += gold_classes[i].len();
        }
        let tagger = Tagger {
            classes: classes.clone(),
            tag_dictionary: tag_dictionary.clone(),
            ambiguity: ambiguity.clone(),
            weights: trainer.perceptron.averaged(options.min_weight),
        };
        let model =
            SyntaxModel { tagger, parser: empty_parser.clone(), lemmatizer: Lemmatizer::default() };
        let scores = evaluate_tags(&model, dev);
        log(format!(
            "tagger pass {}: train {:.4}, dev UPOS {:.4}",
            iteration + 1,
            correct as f64 / total.max(1) as f64,
            scores
        ));
        if best_tagger.as_ref().is_none_or(|(best, _, _)| scores > *best) {
            best_tagger = Some((scores, iteration + 1, model.tagger));
        }
    }
    let (_, tagger_passes, tagger) = best_tagger.expect("at least one tagger pass");

    // Tags for the parser's training set.
    let train_tags: Vec<Vec<u8>> = if options.folds >= 2 {
        let mut tags = vec![Vec::new(); train.len()];
        for fold in 0..options.folds {
            let mut trainer = TaggerTrainer::new(classes.len(), tag_dictionary.clone());
            let mut fold_order: Vec<usize> =
                (0..train.len()).filter(|i| i % options.folds != fold).collect();
            for _ in 0..tagger_passes {
                random.shuffle(&mut fold_order);
                for &i in &fold_order {
                    trainer.learn(&train_hashes[i], &gold_classes[i]);
                }
            }
            let fold_tagger = Tagger {
                classes: classes.clone(),
                tag_dictionary: tag_dictionary.clone(),
                ambiguity: ambiguity.clone(),
                weights: trainer.perceptron.averaged(0.0),
            };
            let mut scores = Vec::new();
            for i in (0..train.len()).filter(|i| i % options.folds == fold) {
                fold_tagger.tag(&train_hashes[i], &mut tags[i], &mut scores);
            }
            log(format!("jackknife fold {} of {} tagged", fold + 1, options.folds));
        }
        tags
    } else {
        gold_classes.clone()
    };

    // The parser.
    let label_index: HashMap<DepRel, u8> =
        labels.iter().enumerate().map(|(i, &l)| (l, i as u8)).collect();
    let projective: Vec<usize> =
        (0..train.len()).filter(|&i| is_projective(&train[i].heads)).collect();
    log(format!(
        "parser: {} labels, {} of {} training sentences projective",
        labels.len(),
        projective.len(),
        train.len()
    ));
    let parser_words: Vec<Vec<ParserWord>> = train_hashes
        .iter()
        .zip(&train_tags)
        .map(|(hashes, tags)| {
            tags.iter().enumerate().map(|(i, &t)| ParserWord::new(&hashes[i + 2], t)).collect()
        })
        .collect();
    let gold_labels: Vec<Vec<u8>> =
        train.iter().map(|s| s.deprels.iter().map(|d| label_index[d]).collect()).collect();
    let mut parser_trainer = ParserTrainer::new(labels.len(), root_label);
    let mut order = projective;
    let mut best: Option<(f64, SyntaxModel)> = None;
    for iteration in 0..options.parser_iterations {
        random.shuffle(&mut order);
        let (mut correct, mut steps) = (0, 0);
        for &i in &order {
            let mut coin = || random.unit();
            let (c, s) = parser_trainer.learn(
                &parser_words[i],
                &train[i].heads,
                &gold_labels[i],
                iteration > 0,
                &mut coin,
            );
            correct += c;
            steps += s;
        }
        let model = SyntaxModel {
            tagger: tagger.clone(),
            parser: Parser {
                labels: labels.clone(),
                root_label,
                weights: parser_trainer.perceptron.averaged(options.min_weight),
            },
            lemmatizer: lemmatizer.clone(),
        };
        let scores = evaluate(&model, dev);
        log(format!(
            "parser pass {}: train steps {:.4}, dev {}",
            iteration + 1,
            correct as f64 / steps.max(1) as f64,
            scores
        ));
        if best.as_ref().is_none_or(|(las, _)| scores.las() > *las) {
            best = Some((scores.las(), model));
        }
    }
    match best {
        Some((_, model)) => model,
        None => SyntaxModel { tagger, parser: empty_parser, lemmatizer },
    }
}

fn evaluate_tags(model: &SyntaxModel, sentences: &[GoldSentence]) -> f64 {
    let (mut correct, mut total) = (0usize, 0usize);
    let mut lower = String::new();
    let mut padded = Vec::new();
    let (mut tags, mut scores) = (Vec::new(), Vec::new());
    for s in sentences {
        let forms: Vec<&str> = s.forms.iter().map(String::as_str).collect();
        pad(&forms, &mut padded, &mut lower);
        Tagger::fill_ambiguity(&model.tagger.ambiguity, &mut padded);
        model.tagger.tag(&padded, &mut tags, &mut scores);
        for (tag, gold) in tags.iter().zip(&s.upos) {
            correct += usize::from(model.tagger.classes[*tag as usize].0 == *gold);
            total += 1;
        }
    }
    correct as f64 / total.max(1) as f64
}

/// Tags and parses gold-tokenized sentences and scores them against their gold
/// analyses.
pub fn evaluate(model: &SyntaxModel, sentences: &[GoldSentence]) -> Scores {
    let mut scores = Scores::default();
    let mut analysis = Analysis::default();
    for s in sentences {
        let forms: Vec<&str> = s.forms.iter().map(String::as_str).collect();
        model.analyze(&forms, &mut analysis);
        let n = forms.len();
        for i in 0..n {
            scores.words += 1;
            let (upos, _) = model.tags(analysis.tags[i]);
            scores.upos_correct += usize::from(upos == s.upos[i]);
            let head = analysis.head(i).unwrap_or(n);
            if head == s.heads[i] as usize {
                scores.heads_correct += 1;
                if model.relation(analysis.label(i)).base() == s.deprels[i].base() {
                    scores.labelled_correct += 1;
                }
            }
        }
    }
    scores
}
