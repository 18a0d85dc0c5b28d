//! Errors and warnings, each naming where in the scenario file it comes from.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// Exit code for bad input: the scenario file is missing, unreadable or invalid.
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code for a failure to write outputs.
pub const EXIT_OUTPUT: i32 = 1;
/// Most errors of one file reported at once.
pub const MAX_ERRORS: usize = 20;

/// Everything that can stop certplan.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}: {source}", shown(path))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{} is not UTF-8 text: invalid byte at line {line}, column {column}",
        shown(path)
    )]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("{0}")]
    Input(Box<Diagnostic>),
    /// Several problems of one file, each at its place.
    #[error("{}", several(.0))]
    Inputs(Vec<Diagnostic>),
    #[error("cannot draw {name}: {message}")]
    Render { name: String, message: String },
    #[error("cannot write {}: {source}", shown(path))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Scenarios that cannot be rolled up into one portfolio (different currencies or fiscal
    /// years); nothing was written.
    #[error("cannot roll up portfolio `{name}`: {reason}")]
    Portfolio { name: String, reason: String },
    /// The output folder is not certplan's to replace; nothing was touched.
    #[error("will not write the outputs to {}: {reason}", shown(path))]
    Refused { path: PathBuf, reason: String },
}

fn several(found: &[Diagnostic]) -> String {
    let all: Vec<String> = found.iter().map(ToString::to_string).collect();
    let file = found.first().map(|d| shown(&d.path)).unwrap_or_default();
    let limit = if found.len() >= MAX_ERRORS {
        " (the first ones; fix them and run again for more)"
    } else {
        ""
    };
    format!(
        "{}\n\n{} errors in {file}{limit}",
        all.join("\n\nerror: "),
        found.len()
    )
}

/// A path as a message shows it: escaped and shortened, since a file name may hold anything.
pub fn shown(path: &std::path::Path) -> String {
    crate::vocabulary::text::for_terminal(&path.display().to_string(), 200)
}

impl Error {
    /// Bad input at `span` of `source` (the file `path`), about `key`.
    pub fn input_at(
        path: &std::path::Path,
        source: &str,
        span: Range<usize>,
        key: &str,
        message: String,
    ) -> Error {
        Error::from(Diagnostic::at(
            path,
            source,
            Some(span),
            Some(key.to_string()),
            message,
        ))
    }

    /// The documented exit code for this failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Read { .. }
            | Error::NotUtf8 { .. }
            | Error::Input(_)
            | Error::Inputs(_)
            | Error::Portfolio { .. } => EXIT_BAD_INPUT,
            Error::Write { .. } | Error::Render { .. } | Error::Refused { .. } => EXIT_OUTPUT,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(Box::new(d))
    }
}

/// A problem at a place in the scenario file: the file, line and column, the line itself with
/// a caret, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The dotted key the problem is about, when known (`plan[2].frameworks`).
    pub key: Option<String>,
    pub message: String,
    snippet: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at byte range `span` of `source`.
    pub fn at(
        path: &std::path::Path,
        source: &str,
        span: Option<Range<usize>>,
        key: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column, snippet) = match span {
            Some(span) => {
                let (line, column) = line_column(source, span.start);
                let text = source.lines().nth(line - 1).unwrap_or("");
                // A long line is shown around the column, escaped, so that a message stays short
                // and a terminal never obeys what the file holds.
                let (text, caret_column) =
                    crate::vocabulary::text::window(text, column, SNIPPET_WIDTH);
                let width = source[span.start.min(source.len())..span.end.min(source.len())]
                    .lines()
                    .next()
                    .map_or(1, |s| s.chars().count().max(1))
                    .min(
                        (text.chars().count() + 1)
                            .saturating_sub(caret_column)
                            .max(1),
                    );
                let gutter = line.to_string().len();
                let snippet = format!(
                    "{:gutter$} |\n{line} | {text}\n{:gutter$} | {}{}",
                    "",
                    "",
                    " ".repeat(caret_column - 1),
                    "^".repeat(width)
                );
                (Some(line), Some(column), Some(snippet))
            }
            None => (None, None, None),
        };
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column,
            key,
            message: message.into(),
            snippet,
        }
    }
}

/// Characters of a source line shown under a message.
const SNIPPET_WIDTH: usize = 100;
/// Characters of a message shown (the parser may quote a whole value in it).
const MESSAGE_CHARS: usize = 600;

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", shown(&self.path))?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(key) = &self.key {
            write!(
                f,
                ": key `{}`",
                crate::vocabulary::text::for_terminal(key, 120)
            )?;
        }
        write!(
            f,
            ": {}",
            crate::vocabulary::text::lines_for_terminal(&self.message, MESSAGE_CHARS, 8)
        )?;
        if let Some(snippet) = &self.snippet {
            write!(f, "\n{snippet}")?;
        }
        Ok(())
    }
}

/// A value that is legal but unusual: reported, never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub key: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            crate::vocabulary::text::for_terminal(&self.key, 120),
            crate::vocabulary::text::for_terminal(&self.message, MESSAGE_CHARS)
        )
    }
}

/// 1-based line and column (in characters) of byte `offset` in `source`.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 6), (2, 1));
        assert_eq!(line_column(src, 11), (2, 6));
    }

    #[test]
    fn diagnostic_shows_file_line_column_and_caret() {
        let src = "x = 1\nhorizon_months = 0\n";
        let d = Diagnostic::at(
            std::path::Path::new("s.toml"),
            src,
            Some(23..24),
            None,
            "out of range",
        );
        let text = d.to_string();
        assert!(text.starts_with("s.toml:2:18: out of range"), "{text}");
        assert!(text.contains("2 | horizon_months = 0"));
        assert!(text.ends_with("                 ^"), "{text}");
    }
}
