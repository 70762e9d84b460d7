//! `newsgraph ingest`: read inputs, extract them in parallel, and store them.
//!
//! The work flows in bounded batches: this thread reads articles and skips those the
//! store already has (by [`article_key`], before spending time on extraction); `rayon`
//! extracts a batch on every core; a writer thread stores each extracted batch in one
//! transaction while the next one is being extracted. At most three batches are in
//! memory at once (one being extracted, one waiting, one being written), whatever the
//! size of the corpus. A run that is killed loses only the batches not yet committed,
//! and a second run skips everything that was.
//!
//! When stderr is a terminal, a progress bar there shows the articles done, the rate
//! and the errors so far; error lines are printed above it. Otherwise it is hidden.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsgraph_extract::extract;
use newsgraph_ingest::{expand_inputs, read_input};
use newsgraph_lexicon::Lexicon;
use newsgraph_model::{Article, Date};
use newsgraph_store::{DocumentJson, Inserted, Store, article_key, check_document};
use rayon::prelude::*;

use crate::extract::{InputFormatArg, load_lexicon, parse_date};

/// Options of `newsgraph ingest`.
#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Files or directories to read (directories recursively: .txt, .text, .html, .htm,
    /// .xhtml, .jsonl, .ndjson, .rss, .atom, .xml feeds, .warc, .warc.gz); `-` reads
    /// standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    /// The database to write; created when it does not exist.
    #[arg(long, value_name = "PATH", default_value = "newsgraph.db")]
    pub db: PathBuf,

    /// How to read the inputs: `auto` decides by extension, then by content.
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto, value_name = "FORMAT")]
    pub input_format: InputFormatArg,

    /// Publication date (YYYY-MM-DD) of every article, overriding what the sources say.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub published: Option<Date>,

    /// A directory of lexicon files that extend the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub lexicon: Option<PathBuf>,

    /// How many articles are extracted together and stored in one transaction.
    #[arg(long, value_name = "N", default_value_t = 128, value_parser = clap::value_parser!(u32).range(1..))]
    pub batch_size: u32,
}

/// An article read and not yet extracted, with the input it came from.
struct Pending {
    input: String,
    key: String,
    article: Article,
}

/// What this thread counted; the writer counts the rest.
struct Counts {
    /// Articles skipped before extraction: already stored, or read twice in this run.
    skipped: u64,
    /// Inputs and records that could not be read or extracted.
    failed: u64,
    /// The progress bar (hidden when stderr is not a terminal).
    bar: ProgressBar,
}

impl Counts {
    fn new(bar: ProgressBar) -> Counts {
        Counts { skipped: 0, failed: 0, bar }
    }

    /// Reports a failure on stderr (above the bar) and counts it as `articles` done.
    fn fail(&mut self, message: impl std::fmt::Display, articles: u64) {
        self.bar.suspend(|| eprintln!("newsgraph: {message}"));
        self.failed += 1;
        self.advance(articles);
    }

    /// Counts an article skipped before extraction.
    fn skip(&mut self) {
        self.skipped += 1;
        self.advance(1);
    }

    /// Moves the bar by `articles` and updates its message.
    fn advance(&self, articles: u64) {
        self.bar.inc(articles);
        self.bar.set_message(format!("{} skipped, {} errors", self.skipped, self.failed));
    }
}

/// A progress bar on stderr when it is a terminal, else a hidden one.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    // The template is a constant that parses; the fallback is never used.
    let style =
        ProgressStyle::with_template("{spinner} {elapsed} {pos} articles ({per_sec}), {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.set_message("0 skipped, 0 errors");
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Runs `newsgraph ingest`. Bad inputs are reported one line each on stderr and the
/// others still go through; the exit status is 1 when any input failed.
pub fn run(args: IngestArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let open = || {
        Store::open(&args.db)
            .with_context(|| format!("cannot open the database {}", args.db.display()))
    };
    let mut writer_store = open()?;
    // A second connection answers "is it stored?" while the writer writes (WAL lets a
    // reader and a writer work at once).
    let reader = open()?;
    let batch_size = args.batch_size as usize;
    let mut counts = Counts::new(progress_bar());
    let (sender, receiver) = mpsc::sync_channel::<Vec<(String, DocumentJson)>>(1);

    let inserted = thread::scope(|scope| -> Result<Inserted> {
        let writer = scope.spawn(move || -> Result<Inserted> {
            let mut total = Inserted::default();
            for batch in receiver {
                total += writer_store.insert_batch(&batch).context("cannot store a batch")?;
            }
            Ok(total)
        });
        let read = read_all(&args, &reader, batch_size, &sender, &mut counts);
        drop(sender);
        let written = writer.join().map_err(|_| anyhow!("the writer thread panicked"))?;
        // A writer error explains a failed send, so it comes first.
        let written = written?;
        read?;
        Ok(written)
    })?;

    counts.bar.finish_and_clear();
    let n_actors = reader.counts()?.actors;
    let duplicates = counts.skipped + inserted.duplicates;
    let n_articles = inserted.articles + duplicates + counts.failed;
    println!(
        "{n_articles} articles: {} new, {duplicates} duplicates, {} failed; added {} actors, \
         {} quotes, {} events ({n_actors} actors in the store) in {:.2} s",
        inserted.articles,
        counts.failed,
        inserted.actors,
        inserted.quotes,
        inserted.events,
        started.elapsed().as_secs_f64()
    );
    Ok(if counts.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Reads every input, sending extracted batches to the writer.
fn read_all(
    args: &IngestArgs,
    reader: &Store,
    batch_size: usize,
    sender: &mpsc::SyncSender<Vec<(String, DocumentJson)>>,
    counts: &mut Counts,
) -> Result<()> {
    // The lexicon is loaded when the first article needs extracting: a run that finds
    // everything already stored does not pay for it.
    let mut lexicon: Option<Cow<'static, Lexicon>> = None;
    let mut extract_and_send = |pending: Vec<Pending>, counts: &mut Counts| -> Result<()> {
        let lexicon = match &mut lexicon {
            Some(lexicon) => lexicon,
            None => lexicon.insert(load_lexicon(args.lexicon.as_ref())?),
        };
        send(extract_batch(pending, lexicon, counts), sender)
    };
    let mut seen: HashSet<String> = HashSet::new();
    let mut pending: Vec<Pending> = Vec::with_capacity(batch_size);
    for input in expand_inputs(&args.inputs) {
        let input = match input {
            Ok(input) => input,
            Err(err) => {
                counts.fail(err, 0);
                continue;
            }
        };
        for article in read_input(&input, args.input_format.into()) {
            let mut article = match article {
                Ok(article) => article,
                Err(err) => {
                    counts.fail(err, 1);
                    continue;
                }
            };
            if let Some(date) = args.published {
                article.published = Some(date.to_string());
            }
            let key = article_key(&article);
            if seen.contains(&key) || reader.contains(&key)? {
                counts.skip();
                continue;
            }
            seen.insert(key.clone());
            pending.push(Pending { input: input.name.clone(), key, article });
            if pending.len() >= batch_size {
                extract_and_send(std::mem::take(&mut pending), counts)?;
            }
        }
    }
    if !pending.is_empty() {
        extract_and_send(pending, counts)?;
    }
    Ok(())
}

fn send(
    batch: Vec<(String, DocumentJson)>,
    sender: &mpsc::SyncSender<Vec<(String, DocumentJson)>>,
) -> Result<()> {
    // The writer only hangs up when it failed; its error is reported by the caller.
    sender.send(batch).map_err(|_| anyhow!("the writer stopped"))
}

/// Extracts a batch on every core. An article whose extraction panics, or whose
/// document is inconsistent, is reported and left out; the others go on.
fn extract_batch(
    batch: Vec<Pending>,
    lexicon: &Lexicon,
    counts: &mut Counts,
) -> Vec<(String, DocumentJson)> {
    let results: Vec<Result<(String, DocumentJson), String>> = batch
        .into_par_iter()
        .map(|Pending { input, key, article }| {
            // A bug in a stage must not end a long ingest: the article is reported and
            // skipped. The stages share nothing mutable, so nothing is left half-changed.
            let doc = panic::catch_unwind(AssertUnwindSafe(|| extract(article, lexicon)))
                .map_err(|panic| format!("{input}: extraction failed: {}", panic_message(&panic)))?
                .to_json();
            check_document(&doc).map_err(|err| format!("{input}: {err}"))?;
            Ok((key, doc))
        })
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(doc) => docs.push(doc),
            Err(message) => counts.fail(message, 1),
        }
    }
    counts.advance(docs.len() as u64);
    docs
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(message) = panic.downcast_ref::<&str>() {
        (*message).to_string()
    } else if let Some(message) = panic.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic".to_string()
    }
}
