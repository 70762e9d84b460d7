//! `newsgraph extract`: read inputs, run the pipeline, write documents.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use newsgraph_extract::{BATCH, extract_many};
use newsgraph_ingest::{InputFormat, expand_inputs, read_input};
use newsgraph_lexicon::Lexicon;
use newsgraph_model::{Article, Date};

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
    // Articles are extracted a batch at a time (stage by stage over the batch, which is
    // faster) and written in the order they were read. Standard input may be a stream
    // that a reader follows as it comes, so its articles go out one by one.
    let mut batch: Vec<(Article, String)> = Vec::with_capacity(BATCH);
    let flush = |batch: &mut Vec<(Article, String)>, output: &mut Output| -> Result<()> {
        let (articles, names): (Vec<Article>, Vec<String>) = batch.drain(..).unzip();
        for (doc, name) in extract_many(articles, &lexicon).iter().zip(names) {
            output.write(doc).with_context(|| format!("cannot write the output of {name}"))?;
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
            batch.push((article, input.name.clone()));
            if batch.len() >= BATCH || input.path.is_none() {
                flush(&mut batch, &mut output)?;
            }
        }
    }
    flush(&mut batch, &mut output)?;
    output.finish()?;
    Ok(if n_failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
