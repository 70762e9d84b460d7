//! `newsgraph export`: the whole store as JSON Lines, the network of events between
//! actors as GraphML or GEXF, or events as GDELT-style TSV.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use newsgraph_store::export::{write_gdelt, write_gexf, write_graphml};
use newsgraph_store::{EventFilter, Store};

use crate::query::{NetworkScope, days};
use crate::table::QueryArgs;

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Every article as one `newsgraph.document/1` object per line.
    Jsonl,
    /// The network of events between actors, as GraphML.
    Graphml,
    /// The network of events between actors, as GEXF 1.3 (Gephi).
    Gexf,
    /// Events as GDELT-style tab-separated rows with a header.
    Gdelt,
}

/// Options of `newsgraph export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The database to read.
    #[arg(long, value_name = "PATH", default_value = "newsgraph.db")]
    pub db: PathBuf,

    /// What to write.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: ExportFormat,

    /// Write to this file instead of standard output; it is written whole or not at all.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Which events: dates apply to graphml, gexf and gdelt, types and modalities to
    /// graphml and gexf.
    #[command(flatten)]
    pub scope: NetworkScope,
}

/// Runs `newsgraph export`.
pub fn run(args: ExportArgs) -> Result<ExitCode> {
    let query = QueryArgs { db: args.db.clone(), format: crate::table::TableFormat::Table };
    let store = query.open()?;
    match &args.output {
        Some(path) => {
            // Write next to the target and rename at the end, so that the file is whole
            // or untouched.
            let temporary = partial_path(path);
            let result = File::create(&temporary)
                .with_context(|| format!("cannot create the output file {}", path.display()))
                .and_then(|file| {
                    let mut out = BufWriter::new(file);
                    write_export(&store, &args, &mut out)?;
                    out.flush()?;
                    Ok(())
                })
                .and_then(|()| {
                    std::fs::rename(&temporary, path)
                        .with_context(|| format!("cannot write the output file {}", path.display()))
                });
            if result.is_err() {
                let _ = std::fs::remove_file(&temporary);
            }
            result?;
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write_export(&store, &args, &mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

fn write_export(store: &Store, args: &ExportArgs, out: &mut dyn Write) -> Result<()> {
    match args.format {
        ExportFormat::Jsonl => {
            for key in store.article_keys()? {
                if let Some((doc, _)) = store.document(&key)? {
                    serde_json::to_writer(&mut *out, &doc)?;
                    writeln!(out)?;
                }
            }
        }
        ExportFormat::Graphml | ExportFormat::Gexf => {
            let network = store.network(&args.scope.filter())?;
            if args.format == ExportFormat::Graphml {
                write_graphml(&network, out)?;
            } else {
                write_gexf(&network, out)?;
            }
        }
        ExportFormat::Gdelt => {
            let events = store.events(&EventFilter {
                days: days(args.scope.since, args.scope.until),
                ..EventFilter::default()
            })?;
            write_gdelt(&events, out)?;
        }
    }
    Ok(())
}
