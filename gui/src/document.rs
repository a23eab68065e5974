//! The open scenario: its text, where it came from, whether it has unsaved edits, and
//! what the engine says about it (diagnostics, model, findings). Re-analysis happens
//! when the text changes and the new text is valid; invalid text keeps the last good
//! analysis on screen, marked stale.

use sim_core::check::ScenarioCheck;
use std::sync::Arc;

use sim_core::scenario::LayerFile;
use sim_core::syntax::{LineIndex, Span};
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
    /// The base file it points into (`extends`), or `None` for the open text.
    pub file: Option<String>,
}

/// Where a span of the model lies: in the open text, or in a base it `extends`.
#[derive(Clone, Debug, PartialEq)]
pub enum Place<'a> {
    /// In the open text (of the last analysis), at this span.
    Here(Span),
    /// In a base file, at this 1-based line and column.
    Base { file: &'a str, line: usize, column: usize },
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
    /// The files the open text `extends`, base first (empty for a plain scenario).
    pub bases: Vec<LayerFile>,
    /// The bases of the last valid analysis, and where each layer's spans start in it.
    analysed_bases: Vec<LayerFile>,
    analysed_offsets: Vec<u32>,
    pub exact: Option<Exact>,
    exact_job: Option<Job<(u64, Exact)>>,
    /// The newest analysis wanted while a job was running.
    exact_wanted: Option<(u64, Arc<sim_core::model::Model>)>,
    /// The scenario's `expect` verdicts, computed after the exact analysis: they
    /// simulate (models_agree runs 10,000 years), which on the page's one thread would
    /// hold the first figures back by seconds.
    pub check: Option<ScenarioCheck>,
    check_job: Option<Job<(u64, ScenarioCheck)>>,
    check_wanted: Option<(u64, Arc<sim_core::model::Model>)>,
    /// Replications of the verdicts' simulation done so far, where it runs in slices
    /// (the page); stays 0 on native, where it runs on a worker thread.
    pub check_progress: Arc<std::sync::atomic::AtomicU64>,
    /// The frame in which the figures arrived: the verdicts wait two frames more.
    figures_frame: Option<u64>,
    /// Bumped on every reload; exact results of older generations are dropped.
    pub generation: u64,
}

/// A finished job's result, when it belongs to `generation` (older ones are dropped);
/// `block` waits for it. The job is cleared once it has answered.
fn collect<T: Send + 'static>(job: &mut Option<Job<(u64, T)>>, generation: u64, block: bool) -> Option<T> {
    let running = job.as_mut()?;
    let (of, value) = if block { running.wait() } else { running.poll() }?;
    *job = None;
    (of == generation).then_some(value)
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
            bases: Vec::new(),
            analysed_bases: Vec::new(),
            analysed_offsets: vec![0],
            exact: None,
            exact_job: None,
            exact_wanted: None,
            check: None,
            check_job: None,
            check_wanted: None,
            check_progress: Arc::default(),
            figures_frame: None,
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
        let (loaded, offsets) = match crate::bases::load(&self.source, &self.text) {
            Ok(layered) => {
                self.bases = layered.bases;
                (layered.loaded, layered.offsets)
            }
            Err(chain) => {
                self.bases.clear();
                self.problems = vec![chain_problem(&chain, &self.text)];
                return false;
            }
        };
        self.problems = loaded.diagnostics.iter().map(|d| self.problem(d, &offsets)).collect();
        let Some(model) = loaded.model else { return false };
        let model = Arc::new(model);
        self.generation += 1;
        self.facts = Some(Facts::of(model.clone()));
        self.analysed_text = self.text.clone();
        self.analysed_bases = self.bases.clone();
        self.analysed_offsets = offsets;
        self.exact = None;
        self.check = None;
        self.figures_frame = None;
        self.check_wanted = Some((self.generation, model.clone()));
        self.exact_wanted = Some((self.generation, model));
        true
    }

    /// A diagnostic of the layered load as a problem of the open text or of a base.
    fn problem(&self, d: &sim_core::Diagnostic, offsets: &[u32]) -> Problem {
        let span = d.span.unwrap_or(Span { start: offsets[offsets.len() - 1], end: offsets[offsets.len() - 1] });
        let (layer, local) = sim_core::scenario::locate(offsets, span);
        let base = self.bases.get(layer);
        let text = base.map_or(self.text.as_str(), |b| b.text.as_str());
        let (line, column) = LineIndex::new(text).line_col(text, local.start as usize);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str(&format!(" (help: {help})"));
        }
        Problem {
            line,
            column,
            // A problem in a base has nothing to jump to in this editor.
            offset: if base.is_some() { 0 } else { local.start as usize },
            error: d.severity == Severity::Error,
            code: d.code.as_str().to_string(),
            message,
            file: base.map(|b| b.name.clone()),
        }
    }

    /// Where `span` (of the last analysed model) lies: in the open text or in a base.
    pub fn place(&self, span: Span) -> Place<'_> {
        let (layer, local) = sim_core::scenario::locate(&self.analysed_offsets, span);
        match self.analysed_bases.get(layer) {
            None => Place::Here(local),
            Some(base) => {
                let (line, column) = LineIndex::new(&base.text).line_col(&base.text, local.start as usize);
                Place::Base { file: &base.name, line, column }
            }
        }
    }

    /// `span` (of the last analysed model) in the open text, or `None` when it lies in a
    /// base the open file `extends`.
    pub fn local_span(&self, span: Span) -> Option<Span> {
        match self.place(span) {
            Place::Here(local) => Some(local),
            Place::Base { .. } => None,
        }
    }

    /// Starts the wanted exact analysis when none is running, and collects finished
    /// ones. Call once per frame; `wake` requests a repaint when a job finishes.
    /// `frame` counts finished frames (egui's `cumulative_frame_nr`; a frame can run
    /// the UI twice).
    pub fn poll_exact(&mut self, frame: u64, wake: impl Fn() + Send + Clone + 'static) {
        if let Some(exact) = collect(&mut self.exact_job, self.generation, false) {
            self.exact = Some(exact);
            // Tests and headless callers pass u64::MAX: nothing is drawn.
            self.figures_frame = (frame != u64::MAX).then_some(frame);
        }
        if self.exact_job.is_none() {
            if let Some((generation, model)) = self.exact_wanted.take() {
                self.exact_job = Some(Job::spawn(move || (generation, Exact::of(&model)), wake.clone()));
            }
        }
        if let Some(check) = collect(&mut self.check_job, self.generation, false) {
            self.check = Some(check);
        }
        // The verdicts start once the figures are in and drawn: on the page, the
        // check's first slice (its static half, SPOF drills included) runs whole.
        if self.check_wanted.is_some() && self.figures_frame.is_some_and(|f| frame < f.saturating_add(2)) {
            wake();
            return;
        }
        if self.check_job.is_none() && !self.exact_pending() {
            if let Some((generation, model)) = self.check_wanted.take() {
                let mut steps = crate::check_run::CheckSteps::new(model.clone(), self.check_progress.clone());
                self.check_job = Some(Job::stepped(
                    move |budget_secs| steps.step(budget_secs).map(|check| (generation, check)),
                    move || (generation, sim_core::check::check(&model)),
                    wake,
                ));
            }
        }
    }

    /// Blocks until the exact analysis of the current text is done (tests, export).
    pub fn wait_exact(&mut self) {
        loop {
            self.poll_exact(u64::MAX, || {});
            if self.exact_job.is_none() {
                break;
            }
            if let Some(exact) = collect(&mut self.exact_job, self.generation, true) {
                self.exact = Some(exact);
            }
        }
    }

    /// Blocks until the exact analysis and then the `expect` verdicts are done (tests).
    pub fn wait_check(&mut self) {
        self.wait_exact();
        loop {
            self.poll_exact(u64::MAX, || {});
            if self.check_job.is_none() {
                break;
            }
            if let Some(check) = collect(&mut self.check_job, self.generation, true) {
                self.check = Some(check);
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

/// An `extends` that cannot be followed, as a problem of the file it points into.
fn chain_problem(chain: &sim_core::scenario::ChainError, open_text: &str) -> Problem {
    let here = chain.text == open_text;
    let offset = chain.diagnostic.span.map_or(0, |s| s.start as usize);
    let (line, column) = LineIndex::new(&chain.text).line_col(&chain.text, offset);
    let mut message = chain.diagnostic.message.clone();
    if let Some(help) = &chain.diagnostic.help {
        message.push_str(&format!(" (help: {help})"));
    }
    Problem {
        line,
        column,
        offset: if here { offset } else { 0 },
        error: true,
        code: chain.diagnostic.code.as_str().to_string(),
        message,
        file: (!here).then(|| chain.file.clone()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_expect_verdicts_follow_the_figures() {
        let text = crate::examples::find("anti-patterns/single-load-balancer.jsonc").unwrap().text;
        let mut doc = Document::new(Source::Example("single-load-balancer.jsonc".into()), text.into());
        doc.wait_exact();
        assert!(doc.exact.is_some());
        // The verdicts are not part of the figures: they come after.
        assert!(doc.check.is_none());
        doc.wait_check();
        let check = doc.check.as_ref().expect("verdicts");
        let model = sim_core::load(text).model.unwrap();
        assert_eq!(check.verdicts.len(), sim_core::check::check(&model).verdicts.len());
        assert!(!check.verdicts.is_empty());
    }

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

    /// The NetBox audit opens with its imported base: the campus's findings, imported
    /// components placed in the base, the architect's own in the open text, and a
    /// mistake in the open text pointed at there.
    #[test]
    fn a_file_that_extends_an_import_opens_with_its_base() {
        let campus = crate::examples::find("netbox/campus.jsonc").unwrap();
        let mut doc = Document::new(Source::Example(campus.file.into()), campus.text.into());
        assert!(!doc.has_errors(), "{:?}", doc.problems);
        assert_eq!(doc.bases.len(), 1);
        let facts = doc.facts.as_ref().unwrap();
        let model = &facts.model;
        let core = model.elements.iter().find(|e| e.name == "ncsu-coreswitch1").unwrap();
        assert!(
            matches!(doc.place(core.span), Place::Base { file: "netbox/netbox-demo.jsonc", .. }),
            "{:?}",
            doc.place(core.span)
        );
        let users = model.elements.iter().find(|e| e.name == "users-128").unwrap();
        let local = doc.local_span(users.span).unwrap();
        assert_eq!(&doc.text[local.start as usize..local.end as usize], "\"users-128\"");
        let broken = doc.text.replacen("\"kind\": \"entry\"", "\"kind\": \"entri\"", 1);
        assert!(!doc.set_text(broken));
        let error = doc.problems.iter().find(|p| p.error).unwrap();
        assert!(error.file.is_none() && error.message.contains("entri"), "{error:?}");
        assert_eq!(&doc.text[error.offset..error.offset + 7], "\"entri\"");
    }
}
