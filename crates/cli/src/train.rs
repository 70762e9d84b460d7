//! `newsgraph train syntax`: trains the tagger and parser on a Universal Dependencies
//! treebank and writes the weights the binary embeds.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use newsgraph_extract::syntax::SyntaxModel;
use newsgraph_extract::syntax::conllu;
use newsgraph_extract::syntax::model::{decode, encode};
use newsgraph_extract::syntax::train::{
    GoldSentence, TrainOptions, evaluate, gold_sentences, train,
};

/// Options of `newsgraph train`.
#[derive(Args, Debug)]
pub struct TrainArgs {
    #[command(subcommand)]
    command: TrainCommand,
}

#[derive(Subcommand, Debug)]
enum TrainCommand {
    /// Train the part-of-speech tagger, lemmatizer and dependency parser.
    Syntax(SyntaxArgs),
    /// Shrink a trained syntax model by dropping small weights, and score it on dev.
    Prune(PruneArgs),
}

#[derive(Args, Debug)]
struct PruneArgs {
    /// The model to shrink.
    #[arg(long, value_name = "FILE", default_value = "crates/extract/models/syntax.bin")]
    model: PathBuf,

    /// A treebank directory whose dev (and test) sets are scored.
    #[arg(long, value_name = "DIR")]
    treebank: PathBuf,

    /// Weights smaller than this (tagger) are dropped.
    #[arg(long, value_name = "W", default_value_t = 0.0)]
    tagger_min_weight: f32,

    /// Weights smaller than this (parser) are dropped.
    #[arg(long, value_name = "W", default_value_t = 0.0)]
    parser_min_weight: f32,

    /// Tagger features whose weights' magnitudes sum to less than this are dropped
    /// (applied after `--tagger-min-weight`).
    #[arg(long, value_name = "L1", default_value_t = 0.0)]
    tagger_min_l1: f32,

    /// Parser features whose weights' magnitudes sum to less than this are dropped
    /// (applied after `--parser-min-weight`).
    #[arg(long, value_name = "L1", default_value_t = 0.0)]
    parser_min_l1: f32,

    /// Where to write the shrunk `syntax.bin`.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Args, Debug)]
struct SyntaxArgs {
    /// A directory with `*-ud-train.conllu` and `*-ud-dev.conllu` (and optionally
    /// `*-ud-test.conllu`, scored at the end).
    #[arg(long, value_name = "DIR")]
    treebank: PathBuf,

    /// Where to write `syntax.bin`.
    #[arg(long, value_name = "DIR", default_value = "crates/extract/models")]
    out: PathBuf,

    /// Passes over the training set for the parser; the best on dev is kept.
    #[arg(long, value_name = "N", default_value_t = TrainOptions::default().parser_iterations)]
    iterations: usize,

    /// Passes over the training set for the tagger; the best on dev is kept.
    #[arg(long, value_name = "N", default_value_t = TrainOptions::default().tagger_iterations)]
    tagger_iterations: usize,

    /// Folds for jackknifed training tags (0: train the parser on gold tags).
    #[arg(long, value_name = "N", default_value_t = TrainOptions::default().folds)]
    folds: usize,

    /// The shuffling seed.
    #[arg(long, value_name = "N", default_value_t = TrainOptions::default().seed)]
    seed: u64,

    /// Drop averaged weights smaller than this from the saved model.
    #[arg(long, value_name = "W", default_value_t = TrainOptions::default().min_weight)]
    min_weight: f32,
}

/// Runs `newsgraph train`.
pub fn run(args: TrainArgs) -> Result<ExitCode> {
    match args.command {
        TrainCommand::Syntax(args) => train_syntax(args),
        TrainCommand::Prune(args) => prune(args),
    }
}

fn find_split(dir: &Path, split: &str) -> Result<Option<PathBuf>> {
    let suffix = format!("-ud-{split}.conllu");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read treebank directory {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(&suffix)))
        .collect();
    found.sort();
    Ok(found.into_iter().next())
}

/// Reads the gold sentences of a CoNLL-U file.
pub fn read_treebank(path: &Path) -> Result<Vec<GoldSentence>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let sentences = conllu::read(&text).with_context(|| format!("in {}", path.display()))?;
    Ok(gold_sentences(&sentences))
}

fn train_syntax(args: SyntaxArgs) -> Result<ExitCode> {
    let Some(train_path) = find_split(&args.treebank, "train")? else {
        bail!("expected a *-ud-train.conllu file in {}, found none", args.treebank.display());
    };
    let Some(dev_path) = find_split(&args.treebank, "dev")? else {
        bail!("expected a *-ud-dev.conllu file in {}, found none", args.treebank.display());
    };
    let train_set = read_treebank(&train_path)?;
    let dev_set = read_treebank(&dev_path)?;
    eprintln!(
        "training on {} ({} sentences), tuning on {} ({} sentences)",
        train_path.display(),
        train_set.len(),
        dev_path.display(),
        dev_set.len()
    );
    let options = TrainOptions {
        tagger_iterations: args.tagger_iterations,
        parser_iterations: args.iterations,
        folds: args.folds,
        seed: args.seed,
        min_weight: args.min_weight,
    };
    let start = Instant::now();
    let model = train(&train_set, &dev_set, &options, &mut |line| {
        eprintln!("[{:>6.1}s] {line}", start.elapsed().as_secs_f64())
    });
    write_model(&model, &args.out)?;
    eprintln!("trained in {:.1}s", start.elapsed().as_secs_f64());
    println!("dev:  {}", evaluate(&model, &dev_set));
    if let Some(test_path) = find_split(&args.treebank, "test")? {
        println!("test: {}", evaluate(&model, &read_treebank(&test_path)?));
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `syntax.bin` into `dir` and says what it holds.
fn write_model(model: &SyntaxModel, dir: &Path) -> Result<()> {
    let bytes = encode(model);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let out = dir.join("syntax.bin");
    std::fs::write(&out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!(
        "wrote {} ({} bytes: tagger {} features, parser {} features)",
        out.display(),
        bytes.len(),
        model.tagger.weights.n_features(),
        model.parser.weights.n_features()
    );
    Ok(())
}

fn prune(args: PruneArgs) -> Result<ExitCode> {
    let bytes = std::fs::read(&args.model)
        .with_context(|| format!("cannot read {}", args.model.display()))?;
    let mut model = decode(&bytes).with_context(|| format!("in {}", args.model.display()))?;
    model.tagger.weights = model.tagger.weights.pruned(args.tagger_min_weight);
    model.parser.weights = model.parser.weights.pruned(args.parser_min_weight);
    model.tagger.weights = model.tagger.weights.pruned_rows(args.tagger_min_l1);
    model.parser.weights = model.parser.weights.pruned_rows(args.parser_min_l1);
    write_model(&model, &args.out)?;
    if let Some(dev_path) = find_split(&args.treebank, "dev")? {
        println!("dev:  {}", evaluate(&model, &read_treebank(&dev_path)?));
    }
    if let Some(test_path) = find_split(&args.treebank, "test")? {
        println!("test: {}", evaluate(&model, &read_treebank(&test_path)?));
    }
    Ok(ExitCode::SUCCESS)
}
