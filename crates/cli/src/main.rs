//! The `newsgraph` command: extract who did what to whom, who said what, when and
//! where from news articles.
//!
//! This is the only crate that knows about arguments and terminals; the work is done
//! by `newsgraph-ingest` (reading sources), `newsgraph-extract` (the pipeline) and
//! `newsgraph-store` (the database and its queries).

// The binary's job is to print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench;
mod export;
mod extract;
mod ingest;
mod output;
mod parse;
mod query;
mod render;
mod table;
mod train;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Turns news into an auditable record of who did what to whom, who said what, when and where.
#[derive(Parser, Debug)]
#[command(name = "newsgraph", version, about, long_about = None, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract the clean text, sentences, actors, quotes, events and times of articles.
    Extract(extract::ExtractArgs),
    /// Measure the pipeline's throughput (words per second per core) on a corpus.
    Bench(bench::BenchArgs),
    /// Train the syntax models on a Universal Dependencies treebank.
    Train(train::TrainArgs),
    /// Print the part of speech, lemma and dependency tree of a text as CoNLL-U.
    Parse(parse::ParseArgs),
    /// Extract articles and add them to a database (skipping those it already has).
    Ingest(ingest::IngestArgs),
    /// List stored events, filtered by actors, type, modality and days.
    Events(query::EventsArgs),
    /// List stored quotes, filtered by speaker and text.
    Quotes(query::QuotesArgs),
    /// Show an actor: aliases, roles, activity, partners and latest quotes.
    Actor(query::ActorArgs),
    /// List the network of events between actors: weighted, typed edges.
    Network(query::NetworkArgs),
    /// Show an actor's events and quotes in date order, or counted per week or month.
    Timeline(query::TimelineArgs),
    /// Search the text of stored articles and quotes.
    Search(query::SearchArgs),
    /// Show a stored article with its annotations.
    Show(query::ShowArgs),
    /// Export the store: documents as JSON Lines, the network as GraphML or GEXF, events
    /// as GDELT-style TSV.
    Export(export::ExportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Train(args) => train::run(args),
        Command::Parse(args) => parse::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Events(args) => query::events(args),
        Command::Quotes(args) => query::quotes(args),
        Command::Actor(args) => query::actor(args),
        Command::Network(args) => query::network(args),
        Command::Timeline(args) => query::timeline(args),
        Command::Search(args) => query::search(args),
        Command::Show(args) => query::show(args),
        Command::Export(args) => export::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                // `newsgraph extract ... | head` is fine.
                return ExitCode::SUCCESS;
            }
            eprintln!("newsgraph: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
