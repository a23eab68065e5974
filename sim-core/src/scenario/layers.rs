//! `extends`: a scenario written on top of another (an imported NetBox file, a shared
//! base design), so re-importing the base never touches the architect's own file.
//!
//! The files are layers, base first. Each is parsed on its own, its spans shifted past
//! the layers before it (layer i starts at [`layer_offsets`]`[i]`), so one span still
//! names one place in one file; [`locate`] maps it back. Layers merge as trees:
//!
//! - sections (`sites`, `components`, `groups`, `monitors`, `backups`, `services`,
//!   `defaults`): entries add up; an entry whose id the base has is merged field by
//!   field, the upper layer's fields winning (`"sw-1": { "mtbf": "10y" }` overrides one
//!   field of an imported switch and keeps its kind, power and site);
//! - lists (`links`, `expect`, `suppress`, `drills`): concatenated, base first;
//! - single values (`name`, `description`, ...): the upper layer's wins.

use crate::diagnostics::{self, Code, Diagnostic};
use crate::syntax::{self, Node, Span, Value};

/// The `"extends"` value of a scenario text, with its span (None when absent or when the
/// text does not parse; `load` reports those).
pub fn extends_of(text: &str) -> Option<(String, Span)> {
    let (root, _) = syntax::parse(text);
    let Value::Object(members) = root?.value else { return None };
    members.into_iter().find(|(k, _)| k.name == "extends").and_then(|(_, v)| match v.value {
        Value::String(s) => Some((s, v.span)),
        _ => None,
    })
}

/// Most files an `extends` chain may join (a longer chain is surely a mistake).
pub const MAX_LAYERS: usize = 16;

/// One file of a layered scenario, as [`resolve_bases`] returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerFile {
    /// The name messages use (a path as the user wrote it, an example's path).
    pub name: String,
    /// What identifies the file, to find a chain that comes back to it (a canonical path).
    pub key: String,
    pub text: String,
}

/// An `extends` that cannot be followed: the diagnostic, and the file it points into.
#[derive(Clone, Debug)]
pub struct ChainError {
    pub file: String,
    pub text: String,
    pub diagnostic: Diagnostic,
}

/// The files a scenario is made of: `top` and, through `extends`, its bases, base first
/// (at most [`MAX_LAYERS`]). `read(naming, base)` reads the file that `naming` (a
/// [`LayerFile`]) names in its `"extends": base`, or says why it cannot; the edges do the
/// IO (the CLI from disk, the GUI from disk or its bundled examples). A base that cannot
/// be read is an error at the `extends` value that names it; a chain that comes back to
/// a file is an error at the top file's `extends`.
pub fn resolve_bases(
    top: LayerFile,
    mut read: impl FnMut(&LayerFile, &str) -> Result<LayerFile, String>,
) -> Result<Vec<LayerFile>, Box<ChainError>> {
    let mut layers = vec![top];
    while let Some((base, span)) = extends_of(&layers[0].text) {
        let current = layers[0].clone();
        let next = read(&current, &base).map_err(|e| {
            Box::new(ChainError {
                file: current.name.clone(),
                text: current.text.clone(),
                diagnostic: Diagnostic::error(Code::UnknownId, span, format!("cannot read the base file {e}"))
                    .with_help(
                    "\"extends\" names a scenario file relative to this one, e.g. \"extends\": \"netbox-dc1.jsonc\"",
                ),
            })
        })?;
        if layers.iter().any(|l| l.key == next.key) || layers.len() >= MAX_LAYERS {
            let chain: Vec<&str> = layers.iter().rev().map(|l| l.name.as_str()).collect();
            // Reported at the file the user named, whose chain it is.
            let top = layers.last().cloned().expect("the top layer");
            let top_span = extends_of(&top.text).map_or(span, |(_, s)| s);
            return Err(Box::new(ChainError {
                diagnostic: Diagnostic::error(
                    Code::UnknownId,
                    top_span,
                    format!("\"extends\" goes round in a circle: {} → {}", chain.join(" → "), next.name),
                )
                .with_help("a scenario can build on a base, and the base on another, but never back on itself"),
                file: top.name,
                text: top.text,
            }));
        }
        layers.insert(0, next);
    }
    Ok(layers)
}

/// Where each layer's spans start: layer i at the sum of the earlier layers' lengths
/// plus one (a gap, so no span touches two layers).
pub fn layer_offsets(texts: &[&str]) -> Vec<u32> {
    let mut offsets = Vec::with_capacity(texts.len());
    let mut at = 0u32;
    for t in texts {
        offsets.push(at);
        at = at.saturating_add(t.len() as u32 + 1);
    }
    offsets
}

/// The layer holding `span`, and the span within that layer's text.
pub fn locate(offsets: &[u32], span: Span) -> (usize, Span) {
    let layer = offsets.iter().rposition(|&o| o <= span.start).unwrap_or(0);
    let o = offsets[layer];
    (layer, Span { start: span.start - o, end: span.end.saturating_sub(o).max(span.start - o) })
}

/// Parses every layer (base first), shifts its spans and merges the trees. Syntax
/// diagnostics of every layer are kept (shifted the same way).
pub(super) fn parse_layers(texts: &[&str], diagnostics: &mut Vec<Diagnostic>) -> Option<Node> {
    let offsets = layer_offsets(texts);
    let mut merged: Option<Node> = None;
    for (text, offset) in texts.iter().zip(&offsets) {
        let (root, mut diags) = syntax::parse(text);
        for d in &mut diags {
            shift_diagnostic(d, *offset);
        }
        diagnostics.append(&mut diags);
        let Some(mut root) = root else { continue };
        shift(&mut root, *offset);
        if !matches!(root.value, Value::Object(_)) {
            diagnostics.push(
                Diagnostic::error(
                    Code::WrongType,
                    root.span.head(),
                    format!("expected an object, found {}", root.value.describe()),
                )
                .with_help("a scenario is a JSON object: { \"name\": \"...\", \"components\": { ... } }"),
            );
            continue;
        }
        merged = Some(match merged {
            None => root,
            Some(base) => merge_root(base, root),
        });
    }
    diagnostics::sort(diagnostics);
    // Every `extends` was resolved by whoever read the layers.
    if let Some(Node { value: Value::Object(members), .. }) = &mut merged {
        members.retain(|(k, _)| k.name != "extends");
    }
    merged
}

fn shift_diagnostic(d: &mut Diagnostic, by: u32) {
    if let Some(s) = &mut d.span {
        *s = Span { start: s.start + by, end: s.end + by };
    }
    for r in &mut d.related {
        r.span = Span { start: r.span.start + by, end: r.span.end + by };
    }
}

fn shift(node: &mut Node, by: u32) {
    node.span = Span { start: node.span.start + by, end: node.span.end + by };
    match &mut node.value {
        Value::Array(items) => items.iter_mut().for_each(|n| shift(n, by)),
        Value::Object(members) => {
            for (k, v) in members {
                k.span = Span { start: k.span.start + by, end: k.span.end + by };
                shift(v, by);
            }
        }
        _ => {}
    }
}

const KEYED_SECTIONS: &[&str] = &["sites", "components", "groups", "monitors", "backups", "services", "defaults"];
const LIST_SECTIONS: &[&str] = &["links", "expect", "suppress", "drills"];

fn merge_root(base: Node, top: Node) -> Node {
    let (Value::Object(mut members), Value::Object(upper)) = (base.value, top.value) else { unreachable!("checked") };
    for (key, value) in upper {
        if key.name == "extends" {
            continue;
        }
        match members.iter_mut().find(|(k, _)| k.name == key.name) {
            None => members.push((key, value)),
            Some((_, existing)) => {
                let name = key.name.as_str();
                if KEYED_SECTIONS.contains(&name) {
                    merge_entries(existing, value);
                } else if LIST_SECTIONS.contains(&name) {
                    match (&mut existing.value, value.value) {
                        (Value::Array(a), Value::Array(b)) => a.extend(b),
                        (_, other) => *existing = Node { span: value.span, value: other },
                    }
                } else {
                    *existing = value;
                }
            }
        }
    }
    Node { span: base.span, value: Value::Object(members) }
}

/// Entries of a keyed section: new ones are added, known ones merged field by field.
fn merge_entries(existing: &mut Node, upper: Node) {
    let Value::Object(upper_entries) = upper.value else {
        *existing = upper;
        return;
    };
    let Value::Object(entries) = &mut existing.value else {
        *existing = Node { span: upper.span, value: Value::Object(upper_entries) };
        return;
    };
    for (id, entry) in upper_entries {
        match entries.iter_mut().find(|(k, _)| k.name == id.name) {
            None => entries.push((id, entry)),
            Some((_, base_entry)) => match (&mut base_entry.value, entry.value) {
                (Value::Object(fields), Value::Object(new_fields)) => {
                    for (field, value) in new_fields {
                        match fields.iter_mut().find(|(k, _)| k.name == field.name) {
                            Some(slot) => *slot = (field, value),
                            None => fields.push((field, value)),
                        }
                    }
                }
                (_, other) => *base_entry = Node { span: entry.span, value: other },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"{ "name": "dc", "components": {
        "internet": {"kind": "entry"}, "sw": {"kind": "switch", "mtbf": "5y"}, "r": {"kind": "router"} },
        "links": [ {"between": ["internet", "r"]}, {"between": ["r", "sw"]} ] }"#;
    const TOP: &str = r#"{ "extends": "dc.jsonc", "name": "shop",
        "components": { "sw": {"mtbf": "10y"}, "web": {"kind": "server", "nics": ["sw"], "runs": ["web"]} },
        "services": { "s": {"from": "internet", "through": ["web/web"]} } }"#;

    #[test]
    fn layers_merge_entries_field_by_field_and_concatenate_lists() {
        let loaded = crate::scenario::load_layers(&[BASE, TOP]);
        assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
        let model = loaded.model.unwrap();
        assert_eq!(model.name, "shop");
        let sw = model.elements.iter().find(|e| e.name == "sw").unwrap();
        assert_eq!(sw.kind, "switch");
        assert_eq!(sw.failure.unwrap().mtbf_secs, 10.0 * 365.0 * 86400.0);
        assert_eq!(model.services.len(), 1);
    }

    #[test]
    fn a_diagnostic_names_the_layer_it_is_in() {
        let top = TOP.replace(r#""nics": ["sw"]"#, r#""nics": ["sw-9"]"#);
        let loaded = crate::scenario::load_layers(&[BASE, &top]);
        let error = loaded.diagnostics.iter().find(|d| d.is_error()).expect("an error");
        let (layer, span) = locate(&layer_offsets(&[BASE, &top]), error.span.unwrap());
        assert_eq!(layer, 1);
        assert_eq!(&top[span.start as usize..span.end as usize], "\"sw-9\"");
        let base = BASE.replace(r#""kind": "router""#, r#""kind": "rooter""#);
        let loaded = crate::scenario::load_layers(&[&base, TOP]);
        let error = loaded.diagnostics.iter().find(|d| d.is_error()).expect("an error");
        assert_eq!(locate(&layer_offsets(&[&base, TOP]), error.span.unwrap()).0, 0);
    }

    #[test]
    fn extends_is_read_from_the_text() {
        assert_eq!(extends_of(TOP).map(|(s, _)| s).as_deref(), Some("dc.jsonc"));
        assert_eq!(extends_of(BASE), None);
        assert_eq!(extends_of("{ broken"), None);
    }

    #[test]
    fn a_single_text_with_extends_says_the_base_is_missing() {
        let loaded = crate::load(TOP);
        assert!(
            loaded.diagnostics.iter().any(|d| d.is_error() && d.message.contains("extends")),
            "{:#?}",
            loaded.diagnostics
        );
    }
}
