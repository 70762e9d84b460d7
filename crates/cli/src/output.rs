//! Writing extracted documents: the formats and the destination.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::ValueEnum;
use newsgraph_model::Document;

use crate::render;

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A readable summary for a person.
    Text,
    /// Pretty-printed JSON: an object, or an array of objects for several articles.
    Json,
    /// One compact JSON object per line.
    Jsonl,
}

/// Where documents go, in the chosen format.
pub struct Output {
    format: OutputFormat,
    writer: Box<dyn Write>,
    /// For `--output FILE`: the temporary file being written and the final path.
    file: Option<(PathBuf, PathBuf)>,
    /// With `json`, the first document waits until we know whether a second follows.
    held: Option<String>,
    n_written: usize,
}

impl Output {
    /// An output to `path`, or to stdout when `None`.
    pub fn create(format: OutputFormat, path: Option<&Path>) -> Result<Output> {
        let (writer, file): (Box<dyn Write>, _) = match path {
            Some(path) => {
                // Write next to the target and rename at the end, so that the file is
                // whole or untouched.
                let file_name =
                    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let temporary =
                    path.with_file_name(format!(".{file_name}.{}.partial", std::process::id()));
                let handle = File::create(&temporary)
                    .with_context(|| format!("cannot create the output file {}", path.display()))?;
                (Box::new(BufWriter::new(handle)), Some((temporary, path.to_path_buf())))
            }
            None => (Box::new(BufWriter::new(io::stdout().lock())), None),
        };
        Ok(Output { format, writer, file, held: None, n_written: 0 })
    }

    /// Writes one document.
    pub fn write(&mut self, doc: &Document) -> Result<()> {
        match self.format {
            OutputFormat::Text => {
                if self.n_written > 0 {
                    writeln!(self.writer)?;
                }
                self.writer.write_all(render::summary(doc).as_bytes())?;
            }
            OutputFormat::Jsonl => {
                serde_json::to_writer(&mut self.writer, &doc.to_json())?;
                writeln!(self.writer)?;
            }
            OutputFormat::Json => {
                let pretty = serde_json::to_string_pretty(&doc.to_json())?;
                match (self.n_written, self.held.take()) {
                    (0, _) => self.held = Some(pretty),
                    (1, Some(first)) => {
                        write!(self.writer, "[\n{}", indent(&first))?;
                        write!(self.writer, ",\n{}", indent(&pretty))?;
                    }
                    _ => write!(self.writer, ",\n{}", indent(&pretty))?,
                }
            }
        }
        self.n_written += 1;
        Ok(())
    }

    /// Ends the output: closes a JSON array, flushes, and moves a file into place.
    pub fn finish(mut self) -> Result<()> {
        if self.format == OutputFormat::Json {
            match self.held.take() {
                Some(only) => writeln!(self.writer, "{only}")?,
                None if self.n_written > 1 => writeln!(self.writer, "\n]")?,
                None => {}
            }
        }
        self.writer.flush()?;
        // Close the file before moving it into place.
        self.writer = Box::new(io::sink());
        if let Some((temporary, path)) = self.file.take() {
            std::fs::rename(&temporary, &path)
                .with_context(|| format!("cannot write the output file {}", path.display()))?;
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // A run that failed midway leaves no partial file behind.
        if let Some((temporary, _)) = self.file.take() {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

fn indent(json: &str) -> String {
    json.lines().map(|line| format!("  {line}")).collect::<Vec<_>>().join("\n")
}
