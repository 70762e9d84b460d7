//! `newsgraph extract`: read inputs, run the pipeline, write documents.

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::thread;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use newsgraph_extract::{BATCH, extract_many};
use newsgraph_ingest::{InputFormat, expand_inputs, read_input};
use newsgraph_lexicon::Lexicon;
use newsgraph_model::{Article, Date, Document};

use crate::output::{Output, OutputFormat};

/// Options of `newsgraph extract`.
#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Files or directories to read (directories recursively: .txt, .text, .html, .htm,
    /// .xhtml, .jsonl, .ndjson, .rss, .atom, .xml feeds, .warc, .warc.gz); `-` reads
    /// standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    /// How to read the inputs: `auto` decides by extension, then by content.
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto, value_name = "FORMAT")]
    pub input_format: InputFormatArg,

    /// Publication date (YYYY-MM-DD) of every article, overriding what the sources say;
    /// relative times ("Tuesday", "last week") are resolved against it.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub published: Option<Date>,

    /// Output: `text` is a readable summary; `json` is one pretty-printed
    /// `newsgraph.document/1` object (an array of them for several articles); `jsonl` is
    /// one compact object per line.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text, value_name = "FORMAT")]
    pub format: OutputFormat,

    /// Write the output to this file instead of standard output. It is written whole or
    /// not at all: a run that stops midway leaves any earlier file untouched.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// A directory of lexicon files (boilerplate.toml, segment.toml, ...) that extend the
    /// built-in ones.
    #[arg(long, value_name = "DIR")]
    pub lexicon: Option<PathBuf>,

    /// How many articles are extracted at once; by default one per core. The output is
    /// the same, in reading order, whatever the number.
    #[arg(long, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,
}

/// The input formats, as the command line names them.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum InputFormatArg {
    /// By extension, then by content.
    Auto,
    /// Plain text (UTF-8 or a detected legacy encoding).
    Text,
    /// An HTML page; main content and metadata are extracted.
    Html,
    /// JSON Lines: one {"id", "text" | "html", "title", "url", "published"} per line.
    Jsonl,
    /// An RSS or Atom feed: one article per entry (its content, else its summary).
    Feed,
    /// A WARC file, plain or gzipped: one article per HTML response record.
    Warc,
}

impl From<InputFormatArg> for InputFormat {
    fn from(arg: InputFormatArg) -> InputFormat {
        match arg {
            InputFormatArg::Auto => InputFormat::Auto,
            InputFormatArg::Text => InputFormat::Text,
            InputFormatArg::Html => InputFormat::Html,
            InputFormatArg::Jsonl => InputFormat::Jsonl,
            InputFormatArg::Feed => InputFormat::Feed,
            InputFormatArg::Warc => InputFormat::Warc,
        }
    }
}

pub fn parse_date(value: &str) -> std::result::Result<Date, String> {
    Date::parse(value).map_err(|err| err.to_string())
}

/// Extracts the articles of a window, each with the name of its input, in `jobs`
/// threads that each take an equal run of it, and returns the documents in order.
fn extract_window(
    window: Vec<(Article, String)>,
    jobs: usize,
    lexicon: &Lexicon,
) -> Vec<(Document, String)> {
    let extract_run = |run: Vec<(Article, String)>| -> Vec<(Document, String)> {
        let mut done = Vec::with_capacity(run.len());
        let mut run = run.into_iter().peekable();
        while run.peek().is_some() {
            let (articles, names): (Vec<Article>, Vec<String>) = run.by_ref().take(BATCH).unzip();
            done.extend(extract_many(articles, lexicon).into_iter().zip(names));
        }
        done
    };
    if jobs <= 1 || window.len() <= 1 {
        return extract_run(window);
    }
    let per_job = window.len().div_ceil(jobs);
    let mut runs = Vec::with_capacity(jobs);
    let mut rest = window.into_iter().peekable();
    while rest.peek().is_some() {
        runs.push(rest.by_ref().take(per_job).collect::<Vec<_>>());
    }
    thread::scope(|scope| {
        let handles: Vec<_> =
            runs.into_iter().map(|run| scope.spawn(|| extract_run(run))).collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Loads the lexicon: the built-in one, extended by `dir` when given.
pub fn load_lexicon(dir: Option<&PathBuf>) -> Result<std::borrow::Cow<'static, Lexicon>> {
    Ok(match dir {
        Some(dir) => std::borrow::Cow::Owned(Lexicon::load_dir(dir)?),
        None => std::borrow::Cow::Borrowed(Lexicon::builtin()),
    })
}

/// Runs `newsgraph extract`. Bad inputs are reported one line each on stderr and the
/// others still go through; the exit status is 1 when any input failed.
pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let lexicon = load_lexicon(args.lexicon.as_ref())?;
    let mut output = Output::create(args.format, args.output.as_deref())?;
    let mut n_failed = 0usize;
    let jobs =
        args.jobs.or_else(|| thread::available_parallelism().ok()).map_or(1, NonZeroUsize::get);
    // Articles are extracted a window at a time, shared among the jobs, each running the
    // stages over its part in batches (which is faster), and written in reading order.
    // Standard input may be a stream that a reader follows as it comes, so its articles
    // go out one by one.
    let mut window: Vec<(Article, String)> = Vec::with_capacity(jobs * BATCH);
    let flush = |window: &mut Vec<(Article, String)>, output: &mut Output| -> Result<()> {
        for (doc, name) in extract_window(std::mem::take(window), jobs, &lexicon) {
            output.write(&doc).with_context(|| format!("cannot write the output of {name}"))?;
        }
        Ok(())
    };
    for input in expand_inputs(&args.inputs) {
        let input = match input {
            Ok(input) => input,
            Err(err) => {
                eprintln!("newsgraph: {err}");
                n_failed += 1;
                continue;
            }
        };
        for article in read_input(&input, args.input_format.into()) {
            let mut article = match article {
                Ok(article) => article,
                Err(err) => {
                    eprintln!("newsgraph: {err}");
                    n_failed += 1;
                    continue;
                }
            };
            if let Some(date) = args.published {
                article.published = Some(date.to_string());
            }
            window.push((article, input.name.clone()));
            if window.len() >= jobs * BATCH || input.path.is_none() {
                flush(&mut window, &mut output)?;
            }
        }
    }
    flush(&mut window, &mut output)?;
    output.finish()?;
    Ok(if n_failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
