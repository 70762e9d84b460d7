//! Reads the inputs named on the command line (files, directories, `-` for stdin) and
//! prints one line per article: id, published, title and text length in characters.
//!
//! ```text
//! cargo run -p newsgraph-ingest --example ingest -- articles/ feed.jsonl
//! ```

// An example program is the place where printing is the point.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use newsgraph_ingest::{InputFormat, expand_inputs, read_input};

fn main() {
    let mut paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        paths.push(PathBuf::from("-"));
    }
    let mut n_errors = 0;
    for input in expand_inputs(&paths) {
        let input = match input {
            Ok(input) => input,
            Err(error) => {
                eprintln!("{error}");
                n_errors += 1;
                continue;
            }
        };
        for article in read_input(&input, InputFormat::Auto) {
            match article {
                Ok(article) => println!(
                    "{}\t{}\t{}\t{}",
                    article.id,
                    article.published.as_deref().unwrap_or("-"),
                    article.title.as_deref().unwrap_or("-"),
                    article.text.chars().count()
                ),
                Err(error) => {
                    eprintln!("{error}");
                    n_errors += 1;
                }
            }
        }
    }
    if n_errors > 0 {
        std::process::exit(1);
    }
}
