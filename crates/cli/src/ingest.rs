//! `newsgraph ingest`: read inputs, extract them in parallel, and store them.
//!
//! The work flows through threads joined by bounded channels. This thread reads the
//! articles, skips those the store already has (by [`article_key`], before spending time
//! on extraction) and numbers the others in reading order; one extraction worker per
//! core (`--jobs`) takes them one at a time; a writer thread puts the documents back in
//! reading order and stores them in batches, one transaction each. Reading goes on while
//! articles are extracted, and no worker waits for the slowest article of a batch. At
//! most [`Window`] articles are between reading and storing at any time, whatever the
//! size of the corpus, and a store fills in the same order however many workers there
//! are. A run that is killed loses only the batches not yet committed, and a second run
//! skips everything that was.
//!
//! When stderr is a terminal, a progress bar there shows the articles done, the rate
//! and the errors so far; error lines are printed above it. Otherwise it is hidden.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::io::IsTerminal;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsgraph_extract::{BATCH, extract, extract_many};
use newsgraph_ingest::{expand_inputs, read_input};
use newsgraph_lexicon::Lexicon;
use newsgraph_model::{Article, Date};
use newsgraph_store::{DocumentJson, Inserted, Store, article_key, check_document};

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

    /// How many articles are stored in one transaction.
    #[arg(long, value_name = "N", default_value_t = 128, value_parser = clap::value_parser!(u32).range(1..))]
    pub batch_size: u32,

    /// How many articles are extracted at once; by default one per core.
    #[arg(long, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,
}

/// An article read and not yet extracted, with the input it came from.
struct Pending {
    input: String,
    key: String,
    article: Article,
}

/// What a worker made of an article: its document under its key, or why there is none.
type Extracted = std::result::Result<(String, DocumentJson), String>;

/// The counts every thread adds to, and the progress bar (hidden when stderr is not a
/// terminal).
struct Progress {
    /// Articles skipped before extraction: already stored, or read twice in this run.
    skipped: AtomicU64,
    /// Inputs and records that could not be read or extracted.
    failed: AtomicU64,
    bar: ProgressBar,
}

impl Progress {
    fn new(bar: ProgressBar) -> Progress {
        Progress { skipped: AtomicU64::new(0), failed: AtomicU64::new(0), bar }
    }

    /// Reports a failure on stderr (above the bar) and counts it as `articles` done.
    fn fail(&self, message: impl std::fmt::Display, articles: u64) {
        self.bar.suspend(|| eprintln!("newsgraph: {message}"));
        self.failed.fetch_add(1, Ordering::Relaxed);
        self.advance(articles);
    }

    /// Counts an article skipped before extraction.
    fn skip(&self) {
        self.skipped.fetch_add(1, Ordering::Relaxed);
        self.advance(1);
    }

    /// Moves the bar by `articles` and updates its message.
    fn advance(&self, articles: u64) {
        self.bar.inc(articles);
        self.bar.set_message(format!(
            "{} skipped, {} errors",
            self.skipped.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed)
        ));
    }
}

/// Bounds the articles in flight: the reader may hand out article number `n` only once
/// the writer is done (stored or reported) with every article before `n - size`.
struct Window {
    /// Articles numbered below this are done; `u64::MAX` once the writer has stopped.
    done: Mutex<u64>,
    moved: Condvar,
    size: u64,
}

impl Window {
    fn new(size: u64) -> Window {
        Window { done: Mutex::new(0), moved: Condvar::new(), size }
    }

    /// Waits until article `n` may be handed out.
    fn wait_for(&self, n: u64) {
        let mut done = self.done.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while n >= done.saturating_add(self.size) {
            done = self.moved.wait(done).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// Records that the articles numbered below `n` are done.
    fn advance_to(&self, n: u64) {
        let mut done = self.done.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *done = (*done).max(n);
        self.moved.notify_all();
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
    let writer_store = open()?;
    // A second connection answers "is it stored?" while the writer writes (WAL lets a
    // reader and a writer work at once).
    let reader = open()?;
    let batch_size = args.batch_size as usize;
    let jobs =
        args.jobs.or_else(|| thread::available_parallelism().ok()).map_or(1, NonZeroUsize::get);
    let progress = Progress::new(progress_bar());
    // Room for a batch being filled, one more read ahead, and two extraction batches per
    // worker (one being extracted, one waiting).
    let window = Window::new(2 * batch_size as u64 + 2 * (BATCH * jobs) as u64);
    let (article_sender, article_receiver) = mpsc::sync_channel::<(u64, Pending)>(BATCH * jobs);
    // Shared by the workers and dropped with the last one, so that the reader's sends
    // fail rather than wait when every worker has stopped.
    let article_receiver = Arc::new(Mutex::new(article_receiver));
    let (doc_sender, doc_receiver) = mpsc::sync_channel::<(u64, Extracted)>(2 * jobs);
    // The lexicon is loaded when the first article needs extracting: a run that finds
    // everything already stored does not pay for it.
    let lexicon: OnceLock<std::result::Result<Cow<'static, Lexicon>, String>> = OnceLock::new();

    let inserted = thread::scope(|scope| -> Result<Inserted> {
        let (progress, window, lexicon) = (&progress, &window, &lexicon);
        let writer = scope.spawn(move || -> Result<Inserted> {
            let written = write_all(writer_store, doc_receiver, batch_size, progress, window);
            // Whatever happened, the reader must not wait for this thread any more.
            window.advance_to(u64::MAX);
            written
        });
        let mut workers = Vec::with_capacity(jobs);
        for _ in 0..jobs {
            let (receiver, sender) = (Arc::clone(&article_receiver), doc_sender.clone());
            let load = || load_lexicon(args.lexicon.as_ref()).map_err(|err| format!("{err:#}"));
            workers.push(scope.spawn(move || -> Result<()> {
                let mut taken: Vec<(u64, Pending)> = Vec::with_capacity(BATCH);
                loop {
                    // The lock is held only while waiting for the next article, then
                    // the articles already waiting are taken with it, up to a batch.
                    {
                        let receiver = receiver.lock().map_err(|_| anyhow!("a worker panicked"))?;
                        let Ok(first) = receiver.recv() else { return Ok(()) };
                        taken.push(first);
                        while taken.len() < BATCH {
                            let Ok(next) = receiver.try_recv() else { break };
                            taken.push(next);
                        }
                    }
                    let lexicon =
                        lexicon.get_or_init(load).as_ref().map_err(|err| anyhow!("{err}"))?;
                    for extracted in extract_batch(&mut taken, lexicon) {
                        if sender.send(extracted).is_err() {
                            // The writer stopped; its error is reported by the caller.
                            return Ok(());
                        }
                    }
                }
            }));
        }
        drop((doc_sender, article_receiver));
        let read = read_all(&args, &reader, &article_sender, progress, window);
        drop(article_sender);
        let mut worked: Result<()> = Ok(());
        for worker in workers {
            let result = worker.join().map_err(|_| anyhow!("an extraction worker panicked"))?;
            if worked.is_ok() {
                worked = result;
            }
        }
        let written = writer.join().map_err(|_| anyhow!("the writer thread panicked"))?;
        // The writer's or a worker's error explains a failed send, so they come first.
        let written = written?;
        worked?;
        read?;
        Ok(written)
    })?;

    progress.bar.finish_and_clear();
    let n_actors = reader.counts()?.actors;
    let skipped = progress.skipped.load(Ordering::Relaxed);
    let failed = progress.failed.load(Ordering::Relaxed);
    let duplicates = skipped + inserted.duplicates;
    let n_articles = inserted.articles + duplicates + failed;
    println!(
        "{n_articles} articles: {} new, {duplicates} duplicates, {failed} failed; added {} \
         actors, {} quotes, {} events ({n_actors} actors in the store) in {:.2} s",
        inserted.articles,
        inserted.actors,
        inserted.quotes,
        inserted.events,
        started.elapsed().as_secs_f64()
    );
    Ok(if failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Reads every input, numbering the articles to extract and handing them to the workers.
fn read_all(
    args: &IngestArgs,
    reader: &Store,
    sender: &mpsc::SyncSender<(u64, Pending)>,
    progress: &Progress,
    window: &Window,
) -> Result<()> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut n = 0u64;
    for input in expand_inputs(&args.inputs) {
        let input = match input {
            Ok(input) => input,
            Err(err) => {
                progress.fail(err, 0);
                continue;
            }
        };
        for article in read_input(&input, args.input_format.into()) {
            let mut article = match article {
                Ok(article) => article,
                Err(err) => {
                    progress.fail(err, 1);
                    continue;
                }
            };
            if let Some(date) = args.published {
                article.published = Some(date.to_string());
            }
            let key = article_key(&article);
            if seen.contains(&key) || reader.contains(&key)? {
                progress.skip();
                continue;
            }
            seen.insert(key.clone());
            window.wait_for(n);
            let pending = Pending { input: input.name.clone(), key, article };
            // The workers only hang up when they failed; their error is reported by the
            // caller.
            sender.send((n, pending)).map_err(|_| anyhow!("the extraction stopped"))?;
            n += 1;
        }
    }
    Ok(())
}

/// Takes the workers' documents, puts them back in reading order, and stores them in
/// batches of `batch_size`, one transaction each; failures are reported in order too.
fn write_all(
    mut store: Store,
    receiver: mpsc::Receiver<(u64, Extracted)>,
    batch_size: usize,
    progress: &Progress,
    window: &Window,
) -> Result<Inserted> {
    let mut total = Inserted::default();
    let mut early: BTreeMap<u64, Extracted> = BTreeMap::new();
    let mut next = 0u64;
    let mut batch: Vec<(String, DocumentJson)> = Vec::with_capacity(batch_size);
    let mut store_batch = |batch: &mut Vec<(String, DocumentJson)>| -> Result<()> {
        total += store.insert_batch(batch).context("cannot store a batch")?;
        progress.advance(batch.len() as u64);
        batch.clear();
        Ok(())
    };
    for (n, extracted) in receiver {
        early.insert(n, extracted);
        while let Some(extracted) = early.remove(&next) {
            next += 1;
            match extracted {
                Ok(doc) => batch.push(doc),
                Err(message) => progress.fail(message, 1),
            }
            if batch.len() >= batch_size {
                store_batch(&mut batch)?;
            }
        }
        window.advance_to(next - batch.len() as u64);
    }
    if !batch.is_empty() {
        store_batch(&mut batch)?;
    }
    Ok(total)
}

/// Extracts the articles `taken` (emptying it), stage by stage over all of them
/// ([`extract_many`]). If a stage panics on one of them, they are extracted again one
/// by one, so that only the article at fault is reported and left out.
fn extract_batch(taken: &mut Vec<(u64, Pending)>, lexicon: &Lexicon) -> Vec<(u64, Extracted)> {
    let articles = taken.iter().map(|(_, pending)| pending.article.clone());
    match panic::catch_unwind(AssertUnwindSafe(|| extract_many(articles, lexicon))) {
        Ok(docs) => taken
            .drain(..)
            .zip(docs)
            .map(|((n, pending), doc)| (n, checked(&pending.input, pending.key, doc)))
            .collect(),
        Err(_) => taken.drain(..).map(|(n, pending)| (n, extract_one(pending, lexicon))).collect(),
    }
}

/// Extracts one article. An article whose extraction panics, or whose document is
/// inconsistent, is reported and left out; the others go on.
fn extract_one(pending: Pending, lexicon: &Lexicon) -> Extracted {
    let Pending { input, key, article } = pending;
    // A bug in a stage must not end a long ingest: the article is reported and skipped.
    // The stages share nothing mutable, so nothing is left half-changed.
    let doc = panic::catch_unwind(AssertUnwindSafe(|| extract(article, lexicon)))
        .map_err(|panic| format!("{input}: extraction failed: {}", panic_message(&panic)))?;
    checked(&input, key, doc)
}

/// A document in the store's form under its key, once checked to be consistent.
fn checked(input: &str, key: String, doc: newsgraph_model::Document) -> Extracted {
    let doc = doc.to_json();
    check_document(&doc).map_err(|err| format!("{input}: {err}"))?;
    Ok((key, doc))
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
