//! Diagnostics: what is wrong with an input, where, and how to fix it.
//!
//! sim-core only produces these values; rendering them (with source snippets and
//! colour) is the job of the edges: the CLI, the GUI and the web page.

use crate::syntax::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// Stable diagnostic codes. The text after the code is for people; the code is for
/// tools, tests and suppressions, and never changes meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// The text is not valid JSONC.
    Syntax,
    /// A value has the wrong JSON type or shape.
    WrongType,
    /// An object has a field the language does not know.
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A `kind` that no mechanism declares.
    UnknownKind,
    /// A reference names no declared id.
    UnknownId,
    /// Two declarations share one id.
    DuplicateId,
    /// A reference names an id of the wrong kind (a PSU plugged into a switch).
    WrongKind,
    /// Dependencies form a cycle.
    DependencyCycle,
    /// A value that cannot be true (negative duration, k > n, RAID5 on two disks, ...).
    ImpossibleValue,
    /// A service that cannot be reached even with everything up.
    NoPath,
    /// Valid input in a feature spofsim does not support (MEF parameters, CCF, ...).
    Unsupported,
    /// Legal but questionable.
    Questionable,
}

impl Code {
    /// Every code, in order (each has an `spofsim explain` entry).
    pub const ALL: [Code; 13] = [
        Code::Syntax,
        Code::WrongType,
        Code::UnknownField,
        Code::MissingField,
        Code::UnknownKind,
        Code::UnknownId,
        Code::DuplicateId,
        Code::WrongKind,
        Code::DependencyCycle,
        Code::ImpossibleValue,
        Code::NoPath,
        Code::Unsupported,
        Code::Questionable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "E101",
            Code::WrongType => "E201",
            Code::UnknownField => "E202",
            Code::MissingField => "E203",
            Code::UnknownKind => "E204",
            Code::UnknownId => "E301",
            Code::DuplicateId => "E302",
            Code::WrongKind => "E303",
            Code::DependencyCycle => "E304",
            Code::ImpossibleValue => "E401",
            Code::NoPath => "E402",
            Code::Unsupported => "E403",
            Code::Questionable => "W501",
        }
    }
}

/// A secondary location that helps explain the primary one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Where in the file; `None` only for whole-file problems.
    pub span: Option<Span>,
    pub help: Option<String>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: Some(span),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(Code::Questionable, span, message) }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related { span, message: message.into() });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// "did you mean `x`?" for a misspelt name, if some candidate is close enough.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    // A link's id names its ends in the order they were declared: "sw1~r1" for "r1~sw1".
    if let Some((a, b)) = name.split_once('~') {
        let swapped = format!("{b}~{a}");
        if candidates.contains(&swapped.as_str()) {
            return Some(format!(
                "did you mean `{swapped}`? (a link's id names its ends in the order its `between` lists them)"
            ));
        }
        // Both ends exist but nothing joins them: name the links each end has.
        if candidates.contains(&a) && candidates.contains(&b) {
            let at = |end: &str| {
                let mut links: Vec<&str> = candidates
                    .iter()
                    .copied()
                    .filter(|c| c.split_once('~').is_some_and(|(x, y)| x == end || y == end))
                    .collect();
                links.sort_unstable();
                links.dedup();
                if links.is_empty() {
                    return format!("`{end}` has no link");
                }
                // Up to six named; beyond that five and a count.
                let shown = if links.len() <= 6 { links.len() } else { 5 };
                let named = links[..shown].iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ");
                match links.len() - shown {
                    0 => format!("`{end}` has {named}"),
                    more => format!("`{end}` has {named} and {more} more"),
                }
            };
            return Some(format!(
                "no link joins `{a}` and `{b}`: {}; {} (a link's id is its `between` ends joined by `~`)",
                at(a),
                at(b)
            ));
        }
    }
    // A link id is suggested only for a link id, a name only for a name.
    let is_link = name.contains('~');
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates.into_iter().filter(|c| c.contains('~') == is_link) {
        let score = strsim::jaro_winkler(name, candidate);
        if score > 0.8 && best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Sorts diagnostics by position, then code, so output never depends on discovery order.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.map(|s| (s.start, s.end)), a.code, &a.message).cmp(&(
            b.span.map(|s| (s.start, s.end)),
            b.code,
            &b.message,
        ))
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn did_you_mean_suggests_a_close_name_or_a_link_named_the_other_way() {
        let names = ["r1", "sw1", "sw2", "r1~sw1", "sw1~sw2"];
        let swapped = super::did_you_mean("sw1~r1", names).expect("suggestion");
        assert!(swapped.starts_with("did you mean `r1~sw1`?"), "{swapped}");
        assert_eq!(super::did_you_mean("sw11", names).as_deref(), Some("did you mean `sw1`?"));
        assert_eq!(super::did_you_mean("database", names), None);
        // Both ends exist, no link between them: a name is no answer for a link id.
        assert_eq!(
            super::did_you_mean("r1~sw2", names).as_deref(),
            Some("no link joins `r1` and `sw2`: `r1` has `r1~sw1`; `sw2` has `sw1~sw2` (a link's id is its `between` ends joined by `~`)")
        );
        assert_eq!(super::did_you_mean("r1~sw11", names).as_deref(), Some("did you mean `r1~sw1`?"));
    }
}
