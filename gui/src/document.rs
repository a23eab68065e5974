//! The open scenario: its text, where it came from, whether it has unsaved edits, and
//! what the engine says about it (diagnostics, model, findings). Re-analysis happens
//! when the text changes and the new text is valid; invalid text keeps the last good
//! analysis on screen, marked stale.

use std::sync::Arc;

use sim_core::syntax::LineIndex;
use sim_core::Severity;

use crate::analysis::{Exact, Facts};
use crate::job::Job;

/// Where the text came from, for the title bar, Save and the recent list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Source {
    /// A bundled example, by its path under `scenarios/`.
    Example(String),
    /// A file on disk (native only).
    File(std::path::PathBuf),
    /// Dropped or pasted text with this name, never saved.
    Unsaved(String),
}

impl Source {
    pub fn label(&self) -> String {
        match self {
            Source::Example(f) => format!("example: {f}"),
            Source::File(p) => p.display().to_string(),
            Source::Unsaved(n) => format!("{n} (not saved)"),
        }
    }
}

/// One diagnostic with its position, for the editor's list.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    /// Byte offset of the start, to put the cursor there.
    pub offset: usize,
    pub error: bool,
    pub code: String,
    pub message: String,
}

pub struct Document {
    pub source: Source,
    pub text: String,
    /// The text as last saved or opened, to tell unsaved edits.
    pub saved_text: String,
    /// Sorted by position.
    pub problems: Vec<Problem>,
    /// The last valid analysis (of `analysed_text`).
    pub facts: Option<Facts>,
    pub analysed_text: String,
    pub exact: Option<Exact>,
    exact_job: Option<Job<(u64, Exact)>>,
    /// The newest analysis wanted while a job was running.
    exact_wanted: Option<(u64, Arc<sim_core::model::Model>)>,
    /// Bumped on every reload; exact results of older generations are dropped.
    pub generation: u64,
}

impl Document {
    pub fn new(source: Source, text: String) -> Document {
        let mut doc = Document {
            source,
            saved_text: text.clone(),
            text,
            problems: Vec::new(),
            facts: None,
            analysed_text: String::new(),
            exact: None,
            exact_job: None,
            exact_wanted: None,
            generation: 0,
        };
        doc.reload();
        doc
    }

    pub fn dirty(&self) -> bool {
        self.text != self.saved_text
    }

    /// The analysis on screen is of older text (the current text has errors).
    pub fn stale(&self) -> bool {
        self.facts.is_some() && self.analysed_text != self.text
    }

    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.error)
    }

    /// Validates the current text; when it is valid, re-runs the fast analysis and asks
    /// for the exact one. Returns whether a new model was loaded.
    pub fn reload(&mut self) -> bool {
        let loaded = sim_core::load(&self.text);
        let index = LineIndex::new(&self.text);
        self.problems = loaded
            .diagnostics
            .iter()
            .map(|d| {
                let offset = d.span.map_or(0, |s| s.start as usize);
                let (line, column) = index.line_col(&self.text, offset);
                let mut message = d.message.clone();
                if let Some(help) = &d.help {
                    message.push_str(&format!(" (help: {help})"));
                }
                Problem {
                    line,
                    column,
                    offset,
                    error: d.severity == Severity::Error,
                    code: d.code.as_str().to_string(),
                    message,
                }
            })
            .collect();
        let Some(model) = loaded.model else { return false };
        let model = Arc::new(model);
        self.generation += 1;
        self.facts = Some(Facts::of(model.clone()));
        self.analysed_text = self.text.clone();
        self.exact = None;
        self.exact_wanted = Some((self.generation, model));
        true
    }

    /// Starts the wanted exact analysis when none is running, and collects finished
    /// ones. Call once per frame; `wake` requests a repaint when a job finishes.
    pub fn poll_exact(&mut self, wake: impl Fn() + Send + Clone + 'static) {
        if let Some(job) = &mut self.exact_job {
            if let Some((generation, exact)) = job.poll() {
                self.exact_job = None;
                if generation == self.generation {
                    self.exact = Some(exact);
                }
            }
        }
        if self.exact_job.is_none() {
            if let Some((generation, model)) = self.exact_wanted.take() {
                self.exact_job = Some(Job::spawn(move || (generation, Exact::of(&model)), wake));
            }
        }
    }

    /// Blocks until the exact analysis of the current text is done (tests, export).
    pub fn wait_exact(&mut self) {
        loop {
            self.poll_exact(|| {});
            let Some(job) = &mut self.exact_job else { break };
            if let Some((generation, exact)) = job.wait() {
                self.exact_job = None;
                if generation == self.generation {
                    self.exact = Some(exact);
                }
            }
        }
    }

    /// Whether the exact analysis is still running (or queued).
    pub fn exact_pending(&self) -> bool {
        self.exact_job.is_some() || self.exact_wanted.is_some()
    }

    /// Replaces the text (an edit) and re-validates.
    pub fn set_text(&mut self, text: String) -> bool {
        self.text = text;
        self.reload()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_edits_keep_the_last_analysis_and_list_every_problem() {
        let example = crate::examples::default_example();
        let mut doc = Document::new(Source::Example(example.file.into()), example.text.into());
        assert!(doc.facts.is_some() && !doc.dirty() && !doc.stale());
        let broken = example.text.replacen("\"battery_runtime\": \"15m\"", "\"battery_runtime\": \"15q\"", 2);
        assert!(!doc.set_text(broken));
        assert!(doc.dirty() && doc.stale());
        let errors: Vec<&Problem> = doc.problems.iter().filter(|p| p.error).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].line < errors[1].line && errors.iter().all(|e| e.message.contains("15q")), "{errors:?}");
        doc.wait_exact();
        assert!(doc.exact.is_some());
    }
}
