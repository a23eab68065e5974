//! MEF import: `define-fault-tree`, `define-gate` with and / or / atleast / not / xor /
//! nand / nor and nested formulas, `define-basic-event` with a `float` probability,
//! `define-house-event` with a `constant`, and `model-data`. Anything else the MEF
//! allows (parameters, expressions, CCF groups, event trees, ...) is reported as
//! unsupported with its location. Each top gate (one no other gate uses) becomes
//! one fault tree.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::{BasicEvent, FaultTree, Gate, Ref};
use crate::diagnostics::{did_you_mean, Code, Diagnostic};
use crate::syntax::Span;

/// The trees found in a file (one per top gate, sorted by name) and all diagnostics.
pub struct Imported {
    pub trees: Vec<FaultTree>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The span of an element's opening `<name`, scanned in the text itself (a namespace
/// prefix makes the name shorter than what is written), ending on a char boundary.
fn span_of(node: &roxmltree::Node) -> Span {
    let text = node.document().input_text();
    let r = node.range();
    let bytes = text.as_bytes();
    let mut end = (r.start + 1).min(text.len());
    while end < r.end.min(text.len()) && !matches!(bytes[end], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') {
        end += 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(r.start, end)
}

fn text_offset(text: &str, row: u32, col: u32) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(row.saturating_sub(1) as usize).map(str::len).sum();
    let line = &text[line_start.min(text.len())..];
    let col_bytes: usize = line.chars().take(col.saturating_sub(1) as usize).map(char::len_utf8).sum();
    (line_start + col_bytes).min(text.len())
}

#[derive(Clone, Debug)]
enum Formula {
    Arg(String, Span, ArgKind),
    Const(bool),
    Op(&'static str, Option<u32>, Vec<Formula>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum ArgKind {
    Gate,
    BasicEvent,
    HouseEvent,
    Any,
}

struct Importer {
    diagnostics: Vec<Diagnostic>,
    gates: BTreeMap<String, (Formula, Span)>,
    basic: BTreeMap<String, (f64, Span)>,
    house: BTreeMap<String, (bool, Span)>,
    /// Events whose definition had errors: references to them stay silent.
    broken: std::collections::BTreeSet<String>,
}

impl Importer {
    fn error(&mut self, span: Span, code: Code, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(code, span, message).with_help(help));
    }

    fn unsupported(&mut self, node: &roxmltree::Node, what: &str) {
        let tag = node.tag_name().name();
        self.error(
            span_of(node),
            Code::Unsupported,
            format!("MEF element <{tag}> is not supported{what}"),
            "spofsim imports fault trees with and/or/atleast/not/xor/nand/nor gates, basic events with <float> probabilities and house events; rewrite this part with those",
        );
    }

    fn name_attr(&mut self, node: &roxmltree::Node) -> Option<String> {
        match node.attribute("name") {
            Some(n) if !n.is_empty() => Some(n.to_string()),
            _ => {
                self.error(
                    span_of(node),
                    Code::MissingField,
                    format!("<{}> needs a name attribute", node.tag_name().name()),
                    "add name=\"...\"",
                );
                None
            }
        }
    }

    fn container(&mut self, node: roxmltree::Node) {
        for child in node.children().filter(roxmltree::Node::is_element) {
            match child.tag_name().name() {
                "define-fault-tree" | "model-data" => self.container(child),
                "define-gate" => self.define_gate(child),
                "define-basic-event" => self.define_basic(child),
                "define-house-event" => self.define_house(child),
                "label" | "attributes" => {}
                _ => self.unsupported(&child, ""),
            }
        }
    }

    fn elements<'a, 'i>(node: roxmltree::Node<'a, 'i>) -> Vec<roxmltree::Node<'a, 'i>> {
        node.children().filter(|c| c.is_element() && !matches!(c.tag_name().name(), "label" | "attributes")).collect()
    }

    fn define_gate(&mut self, node: roxmltree::Node) {
        let Some(name) = self.name_attr(&node) else {
            return;
        };
        let body = Self::elements(node);
        if body.len() != 1 {
            self.error(
                span_of(&node),
                Code::WrongType,
                format!("gate \"{name}\" must hold exactly one formula, found {}", body.len()),
                "write one <and>, <or>, <atleast>, ... inside <define-gate>",
            );
            return;
        }
        let Some(f) = self.formula(body[0]) else {
            return;
        };
        if let Some((_, first)) = self.gates.get(&name) {
            let first = *first;
            self.diagnostics.push(
                Diagnostic::error(Code::DuplicateId, span_of(&node), format!("gate \"{name}\" is defined twice"))
                    .with_related(first, "first defined here")
                    .with_help("give each gate one definition"),
            );
            return;
        }
        self.gates.insert(name, (f, span_of(&node)));
    }

    fn formula(&mut self, node: roxmltree::Node) -> Option<Formula> {
        let tag = node.tag_name().name();
        let span = span_of(&node);
        let arg = |kind| node.attribute("name").map(|n| Formula::Arg(n.to_string(), span, kind));
        match tag {
            "gate" => arg(ArgKind::Gate).or_else(|| self.name_attr(&node).map(|_| Formula::Const(false))),
            "basic-event" => arg(ArgKind::BasicEvent).or_else(|| self.name_attr(&node).map(|_| Formula::Const(false))),
            "house-event" => arg(ArgKind::HouseEvent).or_else(|| self.name_attr(&node).map(|_| Formula::Const(false))),
            "event" => arg(ArgKind::Any).or_else(|| self.name_attr(&node).map(|_| Formula::Const(false))),
            "constant" => match node.attribute("value") {
                Some("true") => Some(Formula::Const(true)),
                Some("false") => Some(Formula::Const(false)),
                _ => {
                    self.error(
                        span,
                        Code::ImpossibleValue,
                        "<constant> needs value=\"true\" or \"false\"",
                        "write <constant value=\"true\"/>",
                    );
                    None
                }
            },
            "and" | "or" | "not" | "xor" | "nand" | "nor" | "atleast" => {
                let op: &'static str = match tag {
                    "and" => "and",
                    "or" => "or",
                    "not" => "not",
                    "xor" => "xor",
                    "nand" => "nand",
                    "nor" => "nor",
                    _ => "atleast",
                };
                let min = if op == "atleast" {
                    match node.attribute("min").map(str::parse::<u32>) {
                        Some(Ok(k)) if k >= 1 => Some(k),
                        _ => {
                            self.error(
                                span,
                                Code::ImpossibleValue,
                                "<atleast> needs min=\"k\" with k ≥ 1",
                                "write <atleast min=\"2\">",
                            );
                            return None;
                        }
                    }
                } else {
                    None
                };
                let args: Vec<Formula> = Self::elements(node).into_iter().filter_map(|c| self.formula(c)).collect();
                let n = args.len();
                let ok = match op {
                    "not" => n == 1,
                    "atleast" => min.is_some_and(|k| (k as usize) <= n),
                    _ => n >= 1,
                };
                if !ok {
                    let help = if op == "atleast" {
                        "min must not exceed the number of arguments"
                    } else {
                        "check the number of arguments"
                    };
                    self.error(span, Code::ImpossibleValue, format!("<{tag}> has {n} argument(s)"), help);
                    return None;
                }
                Some(Formula::Op(op, min, args))
            }
            _ => {
                self.unsupported(&node, " in a formula");
                None
            }
        }
    }

    fn define_basic(&mut self, node: roxmltree::Node) {
        let Some(name) = self.name_attr(&node) else {
            return;
        };
        let span = span_of(&node);
        let body = Self::elements(node);
        let value = match body.as_slice() {
            [v] if v.tag_name().name() == "float" => v.attribute("value").and_then(|s| s.trim().parse::<f64>().ok()),
            [v] => {
                self.unsupported(v, " as a probability (only <float value=\"...\"/>)");
                self.broken.insert(name);
                return;
            }
            _ => None,
        };
        match value {
            Some(p) if (0.0..=1.0).contains(&p) => {
                self.basic.insert(name, (p, span));
            }
            Some(p) => {
                let message = format!("probability {p} of \"{name}\" is outside [0, 1]");
                self.error(span, Code::ImpossibleValue, message, "a probability lies between 0 and 1");
                self.broken.insert(name);
            }
            None => {
                let message = format!("basic event \"{name}\" has no probability");
                self.error(span, Code::MissingField, message, "add <float value=\"1e-3\"/>");
                self.broken.insert(name);
            }
        }
    }

    fn define_house(&mut self, node: roxmltree::Node) {
        let Some(name) = self.name_attr(&node) else {
            return;
        };
        let value =
            Self::elements(node).first().and_then(|c| c.attribute("value")).map(|v| v == "true").unwrap_or(false);
        self.house.insert(name, (value, span_of(&node)));
    }
}

/// Imports MEF text. Never panics.
pub fn import(text: &str) -> Imported {
    let mut imp = Importer {
        diagnostics: Vec::new(),
        gates: BTreeMap::new(),
        basic: BTreeMap::new(),
        house: BTreeMap::new(),
        broken: Default::default(),
    };
    let doc = match roxmltree::Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let pos = e.pos();
            let at = text_offset(text, pos.row, pos.col);
            let end = (at + text[at..].chars().next().map_or(0, char::len_utf8)).min(text.len());
            imp.error(
                Span::new(at, end),
                Code::Syntax,
                format!("invalid XML: {e}"),
                "fix the XML syntax (an MEF file is an <opsa-mef> XML document)",
            );
            return Imported { trees: Vec::new(), diagnostics: imp.diagnostics };
        }
    };
    let root = doc.root_element();
    if root.tag_name().name() != "opsa-mef" {
        imp.error(
            span_of(&root),
            Code::WrongType,
            format!("expected <opsa-mef>, found <{}>", root.tag_name().name()),
            "an Open-PSA MEF file has <opsa-mef> as its root element",
        );
        return Imported { trees: Vec::new(), diagnostics: imp.diagnostics };
    }
    imp.container(root);
    let trees = imp.build();
    crate::diagnostics::sort(&mut imp.diagnostics);
    Imported {
        trees: if imp.diagnostics.iter().any(Diagnostic::is_error) { Vec::new() } else { trees },
        diagnostics: imp.diagnostics,
    }
}

impl Importer {
    fn build(&mut self) -> Vec<FaultTree> {
        // Gates used by other gates; the rest are tops.
        let mut used = BTreeSet::new();
        fn visit(f: &Formula, used: &mut BTreeSet<String>) {
            match f {
                Formula::Arg(n, _, ArgKind::Gate | ArgKind::Any) => {
                    used.insert(n.clone());
                }
                Formula::Op(_, _, args) => args.iter().for_each(|a| visit(a, used)),
                _ => {}
            }
        }
        for (f, _) in self.gates.values() {
            visit(f, &mut used);
        }
        let tops: Vec<String> = self.gates.keys().filter(|g| !used.contains(*g)).cloned().collect();
        if tops.is_empty() && !self.gates.is_empty() {
            let (name, (_, span)) = self.gates.iter().next().map(|(n, v)| (n.clone(), v.clone())).unwrap_or_default();
            self.error(
                span,
                Code::DependencyCycle,
                format!("every gate is used by another: the gates form a cycle (through \"{name}\")"),
                "a fault tree needs a top gate that no other gate uses",
            );
        }
        let mut trees = Vec::new();
        for top in tops {
            let mut b = TreeBuilder {
                imp: self,
                tree: FaultTree { name: top.clone(), order_from_last_argument: true, ..FaultTree::default() },
                gate_ids: BTreeMap::new(),
                event_ids: BTreeMap::new(),
                in_progress: BTreeSet::new(),
            };
            let r = b.gate(&top, Span::default());
            b.tree.top = r;
            let tree = b.tree;
            trees.push(tree);
        }
        trees
    }
}

impl Default for Formula {
    fn default() -> Self {
        Formula::Const(false)
    }
}

struct TreeBuilder<'a> {
    imp: &'a mut Importer,
    tree: FaultTree,
    gate_ids: BTreeMap<String, Ref>,
    event_ids: BTreeMap<String, Ref>,
    in_progress: BTreeSet<String>,
}

impl TreeBuilder<'_> {
    fn gate(&mut self, name: &str, at: Span) -> Option<Ref> {
        if let Some(&r) = self.gate_ids.get(name) {
            return Some(r);
        }
        if !self.in_progress.insert(name.to_string()) {
            self.imp.error(
                at,
                Code::DependencyCycle,
                format!("gate \"{name}\" depends on itself"),
                "fault trees are acyclic; break the loop",
            );
            return None;
        }
        let (f, _) = self.imp.gates.get(name)?.clone();
        let r = self.formula(&f, Some(name));
        self.in_progress.remove(name);
        let r = r?;
        self.gate_ids.insert(name.to_string(), r);
        Some(r)
    }

    fn event(&mut self, name: &str, span: Span, kind: ArgKind) -> Option<Ref> {
        if let Some(&r) = self.event_ids.get(name) {
            return Some(r);
        }
        let gate_ok = matches!(kind, ArgKind::Gate | ArgKind::Any) && self.imp.gates.contains_key(name);
        if gate_ok {
            return self.gate(name, span);
        }
        if matches!(kind, ArgKind::BasicEvent | ArgKind::Any) {
            if let Some(&(p, _)) = self.imp.basic.get(name) {
                self.tree.events.push(BasicEvent { name: name.to_string(), probability: p, element: None });
                let r = Ref::Event(self.tree.events.len() as u32 - 1);
                self.event_ids.insert(name.to_string(), r);
                return Some(r);
            }
        }
        if matches!(kind, ArgKind::HouseEvent | ArgKind::Any) {
            if let Some(&(v, _)) = self.imp.house.get(name) {
                return Some(Ref::Const(v));
            }
        }
        if self.imp.broken.contains(name) {
            return None;
        }
        let what = match kind {
            ArgKind::Gate => "gate",
            ArgKind::BasicEvent => "basic event",
            ArgKind::HouseEvent => "house event",
            ArgKind::Any => "event",
        };
        let candidates: Vec<&str> = match kind {
            ArgKind::Gate => self.imp.gates.keys().map(String::as_str).collect(),
            ArgKind::BasicEvent => self.imp.basic.keys().map(String::as_str).collect(),
            ArgKind::HouseEvent => self.imp.house.keys().map(String::as_str).collect(),
            ArgKind::Any => self
                .imp
                .gates
                .keys()
                .chain(self.imp.basic.keys())
                .chain(self.imp.house.keys())
                .map(String::as_str)
                .collect(),
        };
        let help = did_you_mean(name, candidates).unwrap_or_else(|| format!("define the {what} \"{name}\""));
        self.imp.error(span, Code::UnknownId, format!("undefined {what} \"{name}\""), help);
        None
    }

    fn formula(&mut self, f: &Formula, name: Option<&str>) -> Option<Ref> {
        match f {
            Formula::Const(b) => Some(Ref::Const(*b)),
            Formula::Arg(n, span, kind) => self.event(n, *span, *kind),
            Formula::Op(op, min, args) => {
                let refs: Vec<Ref> = args.iter().map(|a| self.formula(a, None)).collect::<Option<Vec<_>>>()?;
                let gate_name = name.map_or_else(|| format!("{}#{}", op, self.tree.gates.len()), str::to_string);
                let gate = match *op {
                    "and" => Gate::And(refs),
                    "or" => Gate::Or(refs),
                    "xor" => Gate::Xor(refs),
                    "not" => Gate::Not(refs[0]),
                    "atleast" => Gate::AtLeast(min.unwrap_or(1), refs),
                    "nand" => {
                        let inner = self.tree.add_gate(format!("{gate_name}/and"), Gate::And(refs));
                        Gate::Not(inner)
                    }
                    _ => {
                        let inner = self.tree.add_gate(format!("{gate_name}/or"), Gate::Or(refs));
                        Gate::Not(inner)
                    }
                };
                Some(self.tree.add_gate(gate_name, gate))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn spans_never_split_characters() {
        // Found by fuzzing: an empty namespace prefix before a non-ASCII tag name.
        let text = "<opsa-mef><define-fault-tree name=\"t\"><define-gate name=\"g\"><and><:gat\u{e9} name=\"x\"/></and></define-gate></define-fault-tree></opsa-mef>";
        let imported = super::import(text);
        assert!(!imported.diagnostics.is_empty());
        for d in &imported.diagnostics {
            let r = d.span.unwrap().range();
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{r:?}");
        }
    }
}
