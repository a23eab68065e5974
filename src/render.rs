//! Rendering diagnostics for people: file:line:column, a source snippet with the span
//! marked, and the help line. Colour follows `--color` and `NO_COLOR`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::Error as FilesError;
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

/// Lines longer than this (in bytes) are shown as a window around the span, so a
/// minified 200 KB one-line file does not flood the terminal.
const MAX_SNIPPET_LINE: usize = 160;
/// Context kept on each side of the span in a cropped line.
const CROP_CONTEXT: usize = 60;

/// Renders diagnostics of one file as text.
pub fn diagnostics_text(path: &Path, text: &str, diagnostics: &[Diagnostic], color: ColorMode) -> String {
    let name = path.display().to_string();
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
        let file = CroppedFile::around(&name, text, d.span.map(|s| s.range()));
        let mut labels = Vec::new();
        if let Some(span) = d.span {
            labels.push(Label::primary((), file.map_range(span.range())));
        }
        for r in &d.related {
            labels.push(Label::secondary((), file.map_range(r.span.range())).with_message(r.message.clone()));
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

/// Renders diagnostics of a scenario made of layers (`extends`): each in the file its span
/// points into; a related span in another file becomes a note naming that file's line.
pub fn layered_diagnostics_text(
    sources: &crate::report::Sources,
    diagnostics: &[Diagnostic],
    color: ColorMode,
) -> String {
    if let [(path, text)] = sources.layers.as_slice() {
        return diagnostics_text(Path::new(path), text, diagnostics, color);
    }
    let mut out = String::new();
    for d in diagnostics {
        let Some(span) = d.span else {
            let (path, text) = sources.layers.last().map(|(p, t)| (p.as_str(), t.as_str())).unwrap_or(("", ""));
            out.push_str(&diagnostics_text(Path::new(path), text, std::slice::from_ref(d), color));
            continue;
        };
        let (path, text, local) = sources.locate(span);
        let mut shown = d.clone();
        shown.span = Some(local);
        shown.related.clear();
        for r in &d.related {
            let (rpath, _, rlocal) = sources.locate(r.span);
            if rpath == path {
                shown.related.push(sim_core::diagnostics::Related { span: rlocal, message: r.message.clone() });
            } else {
                let (_, line, column) = sources.position(r.span);
                let note = format!("{} (at {rpath}:{line}:{column})", r.message);
                shown.help = Some(match shown.help.take() {
                    Some(h) => format!("{h}; {note}"),
                    None => note,
                });
            }
        }
        out.push_str(&diagnostics_text(Path::new(path), text, std::slice::from_ref(&shown), color));
    }
    out
}

/// The source as a diagnostic shows it: the line holding the primary span, when longer
/// than [`MAX_SNIPPET_LINE`], is cut to a window around the span (marked with `…`).
/// Line and column numbers still refer to the original text.
struct CroppedFile<'a> {
    name: &'a str,
    original: &'a str,
    shown: String,
    line_starts: Vec<usize>,
    crop: Option<Crop>,
}

/// One cropped line: `[line_start, line_end)` in the original text shows only
/// `[window_start, window_end)`, after a prefix of `prefix_len` bytes.
#[derive(Clone, Copy)]
struct Crop {
    line_index: usize,
    line_start: usize,
    line_end: usize,
    window_start: usize,
    window_end: usize,
    prefix_len: usize,
    shown_line_len: usize,
}

impl<'a> CroppedFile<'a> {
    fn around(name: &'a str, text: &'a str, primary: Option<std::ops::Range<usize>>) -> CroppedFile<'a> {
        let crop = primary.and_then(|span| {
            let at = span.start.min(text.len());
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            if line_end - line_start <= MAX_SNIPPET_LINE {
                return None;
            }
            let floor = |mut i: usize| {
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            let window_start = floor(at.saturating_sub(CROP_CONTEXT).max(line_start));
            let span_end = span.end.clamp(at, line_end).min(at + 2 * CROP_CONTEXT);
            let window_end = floor((span_end + CROP_CONTEXT).min(line_end));
            let prefix_len = if window_start > line_start { "…".len() } else { 0 };
            let suffix_len = if window_end < line_end { "…".len() } else { 0 };
            Some(Crop {
                line_index: text[..line_start].matches('\n').count(),
                line_start,
                line_end,
                window_start,
                window_end,
                prefix_len,
                shown_line_len: prefix_len + (window_end - window_start) + suffix_len,
            })
        });
        let shown = match crop {
            None => text.to_string(),
            Some(c) => format!(
                "{}{}{}{}{}",
                &text[..c.line_start],
                if c.prefix_len > 0 { "…" } else { "" },
                &text[c.window_start..c.window_end],
                if c.window_end < c.line_end { "…" } else { "" },
                &text[c.line_end..]
            ),
        };
        let line_starts = codespan_reporting::files::line_starts(&shown).collect();
        CroppedFile { name, original: text, shown, line_starts, crop }
    }

    /// An original byte offset in the shown text (clamped into the window).
    fn map(&self, pos: usize) -> usize {
        match self.crop {
            None => pos,
            Some(c) if pos < c.line_start => pos,
            Some(c) if pos > c.line_end => pos - (c.line_end - c.line_start) + c.shown_line_len,
            Some(c) => c.line_start + c.prefix_len + (pos.clamp(c.window_start, c.window_end) - c.window_start),
        }
    }

    fn map_range(&self, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.map(r.start);
        start..self.map(r.end).max(start)
    }
}

impl<'a> codespan_reporting::files::Files<'a> for CroppedFile<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.shown)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.line_starts.binary_search(&byte_index).unwrap_or_else(|next| next - 1))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<std::ops::Range<usize>, FilesError> {
        let start = *self
            .line_starts
            .get(line_index)
            .ok_or(FilesError::LineTooLarge { given: line_index, max: self.line_starts.len() - 1 })?;
        let end = self.line_starts.get(line_index + 1).copied().unwrap_or(self.shown.len());
        Ok(start..end)
    }

    /// Columns count characters of the original line, not of the cropped one.
    fn column_number(&'a self, (): (), line_index: usize, byte_index: usize) -> Result<usize, FilesError> {
        match self.crop {
            Some(c) if c.line_index == line_index => {
                let offset = byte_index.saturating_sub(c.line_start);
                let original = c.window_start + offset.saturating_sub(c.prefix_len);
                let original = original.min(c.line_end);
                Ok(self.original[c.line_start..original].chars().count() + 1)
            }
            _ => {
                let range = self.line_range((), line_index)?;
                Ok(codespan_reporting::files::column_index(&self.shown, range, byte_index) + 1)
            }
        }
    }
}

/// A one-line error about a whole file (cannot read it, not UTF-8).
pub fn file_error(path: &Path, message: &str) -> String {
    format!("error: {}: {message}\n", path.display())
}
