//! `newsgraph bench`: the pipeline's throughput on a corpus, stage by stage, on one core.
//!
//! Words are the tokens that are not punctuation. The inputs are read into memory first
//! so that reading is not measured; each stage is timed over all articles. Times are the
//! thread's CPU time where Linux reports it (`/proc/thread-self/schedstat`), so that
//! other work on the machine does not count against a stage; else wall-clock time.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use clap::Args;
use newsgraph_extract::pipeline::STAGES;
use newsgraph_extract::syntax::parser::{ParseScratch, ParserWord};
use newsgraph_extract::syntax::tagger::{Tagger, WordHashes, pad};
use newsgraph_extract::syntax::{SyntaxModel, model};
use newsgraph_ingest::{expand_inputs, read_input};
use newsgraph_model::{Document, TokenKind};

use crate::extract::{InputFormatArg, load_lexicon};

/// Options of `newsgraph bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Files or directories of articles (as `extract` reads them).
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto, value_name = "FORMAT")]
    pub input_format: InputFormatArg,

    /// How many times to run the whole corpus; the best run counts.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub repeat: usize,

    /// A directory of lexicon files that extend the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub lexicon: Option<PathBuf>,

    /// Time the tagger and parser of this `syntax.bin` in the breakdown instead of the
    /// built-in model (the pipeline rows still use the built-in one).
    #[arg(long, value_name = "FILE")]
    pub syntax_model: Option<PathBuf>,
}

/// Runs the benchmark and prints a table.
pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let lexicon = load_lexicon(args.lexicon.as_ref())?;
    let mut articles = Vec::new();
    for input in expand_inputs(&args.inputs) {
        let input = input?;
        for article in read_input(&input, args.input_format.into()) {
            match article {
                Ok(article) => articles.push(article),
                Err(err) => eprintln!("newsgraph: {err} (skipped)"),
            }
        }
    }
    if articles.is_empty() {
        bail!("no article to measure");
    }
    let n_bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let start = Instant::now();
    let builtin = SyntaxModel::builtin().ok();
    let load = start.elapsed();
    let mut best: Option<(Duration, Vec<Duration>, usize)> = None;
    for _ in 0..args.repeat.max(1) {
        let mut docs: Vec<Document> = articles.iter().cloned().map(Document::new).collect();
        let mut per_stage = vec![Duration::ZERO; STAGES.len()];
        for (stage, elapsed) in STAGES.iter().zip(per_stage.iter_mut()) {
            let start = Clock::now();
            for doc in &mut docs {
                (stage.run)(doc, &lexicon);
            }
            *elapsed = start.elapsed();
        }
        let total: Duration = per_stage.iter().sum();
        let n_words =
            docs.iter().flat_map(|d| &d.tokens).filter(|t| t.kind != TokenKind::Punct).count();
        if best.as_ref().is_none_or(|(best_total, _, _)| total < *best_total) {
            best = Some((total, per_stage, n_words));
        }
    }
    let Some((total, per_stage, n_words)) = best else { bail!("no run") };
    println!(
        "{} articles, {} words, {:.1} MB of text, best of {} runs, one core ({})",
        articles.len(),
        n_words,
        n_bytes as f64 / 1e6,
        args.repeat.max(1),
        if Clock::cpu_time().is_some() { "thread CPU time" } else { "wall-clock time" }
    );
    println!("{:<10} {:>10} {:>16}", "stage", "ms", "words/s");
    for (stage, elapsed) in STAGES.iter().zip(&per_stage) {
        println!(
            "{:<10} {:>10.1} {:>16}",
            stage.name,
            elapsed.as_secs_f64() * 1e3,
            rate(n_words, *elapsed)
        );
    }
    println!("{:<10} {:>10.1} {:>16}", "total", total.as_secs_f64() * 1e3, rate(n_words, total));
    // The stages one article at a time: slower than the sum above, where each stage runs
    // over the whole corpus with its tables warm in the cache.
    let mut per_article: Option<Duration> = None;
    for _ in 0..args.repeat.max(1) {
        let start = Clock::now();
        for article in articles.iter().cloned() {
            std::hint::black_box(newsgraph_extract::extract(article, &lexicon));
        }
        let elapsed = start.elapsed();
        per_article = Some(per_article.map_or(elapsed, |best| best.min(elapsed)));
    }
    if let Some(elapsed) = per_article {
        println!(
            "{:<10} {:>10.1} {:>16}  (article by article)",
            "pipeline",
            elapsed.as_secs_f64() * 1e3,
            rate(n_words, elapsed)
        );
    }
    // In batches, as `extract` and `ingest` run them: each stage over a batch of
    // articles before the next stage.
    let mut batched: Option<Duration> = None;
    for _ in 0..args.repeat.max(1) {
        let start = Clock::now();
        for chunk in articles.chunks(newsgraph_extract::BATCH) {
            std::hint::black_box(newsgraph_extract::extract_many(chunk.iter().cloned(), &lexicon));
        }
        let elapsed = start.elapsed();
        batched = Some(batched.map_or(elapsed, |best| best.min(elapsed)));
    }
    if let Some(elapsed) = batched {
        println!(
            "{:<10} {:>10.1} {:>16}  (batches of {}, as extract and ingest run)",
            "batched",
            elapsed.as_secs_f64() * 1e3,
            rate(n_words, elapsed),
            newsgraph_extract::BATCH
        );
    }
    println!("syntax model load {:.1} ms", load.as_secs_f64() * 1e3);
    let file_model = match &args.syntax_model {
        Some(path) => Some(model::decode(&std::fs::read(path)?)?),
        None => None,
    };
    if let Some(model) = file_model.as_ref().or(builtin) {
        let mut docs: Vec<Document> = articles.iter().cloned().map(Document::new).collect();
        for stage in STAGES.iter().take_while(|s| s.name != "syntax") {
            for doc in &mut docs {
                (stage.run)(doc, &lexicon);
            }
        }
        let (tagging, parsing, n_tokens) = syntax_breakdown(&docs, model, args.repeat.max(1));
        println!(
            "tagger     {:>10.1} {:>16}  ({n_tokens} tokens with punctuation: {} tokens/s)",
            tagging.as_secs_f64() * 1e3,
            rate(n_words, tagging),
            rate(n_tokens, tagging)
        );
        println!(
            "parser     {:>10.1} {:>16}  ({} tokens/s)",
            parsing.as_secs_f64() * 1e3,
            rate(n_words, parsing),
            rate(n_tokens, parsing)
        );
    }
    if let Some(peak) = peak_memory_kib() {
        println!("peak memory {:.1} MB", peak as f64 / 1024.0);
    }
    Ok(ExitCode::SUCCESS)
}

/// The best times over `repeat` runs of the tagger alone (word hashes, ambiguity classes
/// and tags) and of the parser alone (on the tagger's output), and the number of tokens.
fn syntax_breakdown(
    docs: &[Document],
    model: &SyntaxModel,
    repeat: usize,
) -> (Duration, Duration, usize) {
    let sentences: Vec<Vec<&str>> = docs
        .iter()
        .flat_map(|doc| {
            doc.sentences.iter().map(move |sentence| {
                doc.sentence_tokens(sentence)
                    .iter()
                    .map(|t| &doc.text[t.span.range()])
                    .collect::<Vec<&str>>()
            })
        })
        .filter(|forms| !forms.is_empty())
        .collect();
    let n_tokens = sentences.iter().map(Vec::len).sum();
    let mut padded: Vec<Vec<WordHashes>> = vec![Vec::new(); sentences.len()];
    let mut tags: Vec<Vec<u8>> = vec![Vec::new(); sentences.len()];
    let (mut lower, mut scores) = (String::new(), Vec::new());
    let mut tagging = Duration::MAX;
    for _ in 0..repeat {
        let start = Clock::now();
        for ((forms, padded), tags) in sentences.iter().zip(&mut padded).zip(&mut tags) {
            pad(forms, padded, &mut lower);
            Tagger::fill_ambiguity(&model.tagger.ambiguity, padded);
            model.tagger.tag(padded, tags, &mut scores);
        }
        tagging = tagging.min(start.elapsed());
    }
    let words: Vec<Vec<ParserWord>> = padded
        .iter()
        .zip(&tags)
        .map(|(padded, tags)| {
            tags.iter().enumerate().map(|(i, &t)| ParserWord::new(&padded[i + 2], t)).collect()
        })
        .collect();
    let mut scratch = ParseScratch::default();
    let mut parsing = Duration::MAX;
    for _ in 0..repeat {
        let start = Clock::now();
        for words in &words {
            model.parser.parse(words, &mut scratch);
        }
        parsing = parsing.min(start.elapsed());
    }
    (tagging, parsing, n_tokens)
}

/// A point in time on the thread's CPU clock, or on the wall clock where there is none.
enum Clock {
    Cpu(Duration),
    Wall(Instant),
}

impl Clock {
    fn now() -> Clock {
        match Clock::cpu_time() {
            Some(time) => Clock::Cpu(time),
            None => Clock::Wall(Instant::now()),
        }
    }

    fn elapsed(&self) -> Duration {
        match self {
            Clock::Cpu(start) => Clock::cpu_time().map_or(Duration::ZERO, |now| now - *start),
            Clock::Wall(start) => start.elapsed(),
        }
    }

    /// The calling thread's time on a CPU, in nanoseconds from the kernel's scheduler.
    fn cpu_time() -> Option<Duration> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        stat.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
    }
}

fn rate(n_words: usize, elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    if seconds <= 0.0 { "-".to_string() } else { format!("{:.0}", n_words as f64 / seconds) }
}

/// The process's peak resident memory, on Linux.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
