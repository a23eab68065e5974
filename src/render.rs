//! Rendering diagnostics for people: file:line:column, a source snippet with the span
//! marked, and the help line. Colour follows `--color` and `NO_COLOR`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};
use sim_core::{Diagnostic, Severity};

/// `--color`: when to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorMode {
    Plain,
    Ansi,
}

impl ColorMode {
    /// Colour for stderr (diagnostics, summaries).
    pub fn resolve(choice: ColorChoice) -> ColorMode {
        Self::resolve_for(choice, std::io::stderr().is_terminal())
    }

    /// Colour for a stream that is (or is not) a terminal: `auto` colours terminals
    /// only, and never when NO_COLOR is set.
    pub fn resolve_for(choice: ColorChoice, terminal: bool) -> ColorMode {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        match choice {
            ColorChoice::Always => ColorMode::Ansi,
            ColorChoice::Never => ColorMode::Plain,
            ColorChoice::Auto if !no_color && terminal => ColorMode::Ansi,
            ColorChoice::Auto => ColorMode::Plain,
        }
    }

    /// A lint severity: yellow warnings, bold red errors, when colouring.
    pub fn severity(self, text: &str, error: bool) -> String {
        match self {
            ColorMode::Plain => text.to_string(),
            ColorMode::Ansi if error => format!("\x1b[1;31m{text}\x1b[0m"),
            ColorMode::Ansi => format!("\x1b[33m{text}\x1b[0m"),
        }
    }

    /// `text` in bold green (good) or bold red (bad) when colouring.
    pub fn verdict(self, text: &str, good: bool) -> String {
        match self {
            ColorMode::Plain => text.to_string(),
            ColorMode::Ansi if good => format!("\x1b[1;32m{text}\x1b[0m"),
            ColorMode::Ansi => format!("\x1b[1;31m{text}\x1b[0m"),
        }
    }
}

/// Renders diagnostics of one file as text.
pub fn diagnostics_text(path: &Path, text: &str, diagnostics: &[Diagnostic], color: ColorMode) -> String {
    let file = SimpleFile::new(path.display().to_string(), text);
    let config = term::Config::default();
    let mut buffer = match color {
        ColorMode::Ansi => termcolor::Buffer::ansi(),
        ColorMode::Plain => termcolor::Buffer::no_color(),
    };
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => ReportSeverity::Error,
            Severity::Warning => ReportSeverity::Warning,
        };
        let mut labels = Vec::new();
        if let Some(span) = d.span {
            labels.push(Label::primary((), span.range()));
        }
        for r in &d.related {
            labels.push(Label::secondary((), r.span.range()).with_message(r.message.clone()));
        }
        let mut notes = Vec::new();
        if let Some(h) = &d.help {
            notes.push(format!("help: {h}"));
        }
        let report = Report::new(severity)
            .with_code(d.code.as_str())
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(notes);
        if term::emit_to_write_style(&mut buffer, &config, &file, &report).is_err() {
            // A span past the end (never expected) still gets reported, without a snippet.
            let _ = writeln!(
                buffer,
                "{}[{}]: {} ({})",
                if d.is_error() { "error" } else { "warning" },
                d.code.as_str(),
                d.message,
                path.display()
            );
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// A one-line error about a whole file (cannot read it, not UTF-8).
pub fn file_error(path: &Path, message: &str) -> String {
    format!("error: {}: {message}\n", path.display())
}
