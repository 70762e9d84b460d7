//! The output of the query commands: an aligned table for a person, JSON, or CSV.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use newsgraph_store::Store;
use serde::Serialize;

/// How a query command writes its rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Aligned columns, long cells cut short, for a person.
    Table,
    /// Pretty-printed JSON: an array of rows (an object for `actor`, `show` and
    /// `timeline`).
    Json,
    /// CSV with a header line, cells whole.
    Csv,
}

/// The options every query command shares.
#[derive(Args, Debug)]
pub struct QueryArgs {
    /// The database to read.
    #[arg(long, value_name = "PATH", default_value = "newsgraph.db")]
    pub db: PathBuf,

    /// Output: an aligned `table`, `json` or `csv`.
    #[arg(long, value_enum, default_value_t = TableFormat::Table, value_name = "FORMAT")]
    pub format: TableFormat,
}

impl QueryArgs {
    /// Opens the database, which must exist: a query never creates an empty one.
    pub fn open(&self) -> Result<Store> {
        if !self.db.is_file() {
            bail!("no database at {}: run `newsgraph ingest` first", self.db.display());
        }
        Store::open(&self.db)
            .with_context(|| format!("cannot open the database {}", self.db.display()))
    }
}

/// Rows of text cells under a header.
pub struct Table {
    /// The column names.
    pub header: Vec<&'static str>,
    /// The rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
}

/// The longest a cell gets in `table` output, in chars.
const MAX_CELL_CHARS: usize = 60;

impl Table {
    /// An empty table with these columns.
    pub fn new(header: &[&'static str]) -> Table {
        Table { header: header.to_vec(), rows: Vec::new() }
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.header.len());
        self.rows.push(row);
    }

    /// Writes the table as aligned columns.
    pub fn write_aligned(&self, out: &mut dyn Write) -> io::Result<()> {
        let cut = |cell: &str| -> String {
            let cell = cell.replace(['\n', '\t'], " ");
            if cell.chars().count() > MAX_CELL_CHARS {
                let mut short: String = cell.chars().take(MAX_CELL_CHARS - 1).collect();
                short.push('…');
                short
            } else {
                cell
            }
        };
        let rows: Vec<Vec<String>> =
            self.rows.iter().map(|row| row.iter().map(|cell| cut(cell)).collect()).collect();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: Vec<&str>| -> String {
            let last = cells.len().saturating_sub(1);
            let mut line = String::new();
            for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
                line.push_str(cell);
                if i < last {
                    let pad = width - cell.chars().count() + 2;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            line
        };
        writeln!(out, "{}", line(self.header.clone()))?;
        for row in &rows {
            writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
        }
        Ok(())
    }

    /// Writes the table as CSV.
    pub fn write_csv(&self, out: &mut dyn Write) -> Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(&self.header)?;
        for row in &self.rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
        Ok(())
    }
}

/// Writes rows in the chosen format: `table` from `table`, `json` from `rows`.
pub fn write(format: TableFormat, table: &Table, rows: &impl Serialize) -> Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match format {
        TableFormat::Table => table.write_aligned(&mut out)?,
        TableFormat::Csv => table.write_csv(&mut out)?,
        TableFormat::Json => write_json(&mut out, rows)?,
    }
    out.flush()?;
    Ok(())
}

/// Writes a value as pretty-printed JSON and a newline.
pub fn write_json(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// An optional cell.
pub fn opt(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}
