//! The imported scenario as JSONC text: sorted, one entry per line, each after a comment
//! that names the NetBox object and its URL. Byte-identical for the same responses.

use std::collections::BTreeMap;

use serde_json::Value;

/// One entry: comment lines, then fields in the order they were set.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub comments: Vec<String>,
    pub fields: Vec<(String, Value)>,
}

impl Entry {
    /// An entry with `"kind"` first (no kind for sites and links: pass "").
    pub fn new(kind: &str) -> Entry {
        let mut e = Entry::default();
        if !kind.is_empty() {
            e.field("kind", Value::String(kind.into()));
        }
        e
    }

    pub fn comment(&mut self, text: String) {
        self.comments.push(text);
    }

    /// Sets `key` (replacing an earlier value).
    pub fn field(&mut self, key: &str, value: Value) {
        match self.fields.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((key.into(), value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn body(&self) -> String {
        let fields: Vec<String> =
            self.fields.iter().map(|(k, v)| format!("{}: {}", Value::String(k.clone()), inline(v))).collect();
        format!("{{ {} }}", fields.join(", "))
    }
}

/// One-line JSON with a space after each comma and colon, and whole numbers without
/// a fraction (`3520`, not `3520.0`).
fn inline(v: &Value) -> String {
    match v {
        Value::Array(items) => format!("[{}]", items.iter().map(inline).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            let fields: Vec<String> =
                map.iter().map(|(k, v)| format!("{}: {}", Value::String(k.clone()), inline(v))).collect();
            format!("{{ {} }}", fields.join(", "))
        }
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// The scenario being built: sections keyed by id (links keep a sort key).
#[derive(Debug, Default)]
pub struct Scenario {
    pub sites: BTreeMap<String, Entry>,
    pub components: BTreeMap<String, Entry>,
    /// Sort key → link entry (the entry carries its `id`).
    pub links: BTreeMap<String, Entry>,
    pub groups: BTreeMap<String, Entry>,
    /// NetBox object ("feed#9", "circuit#3") → the component made for it.
    pub netbox_ids: BTreeMap<String, String>,
}

/// Renders the scenario with `header` comment lines on top.
pub fn render(s: &Scenario, header: &[String], name: &str, description: &str) -> String {
    let mut out = String::new();
    for line in header {
        out.push_str(&format!("// {line}\n"));
    }
    out.push_str("{\n");
    out.push_str(&format!("  \"name\": {},\n", Value::String(name.into())));
    out.push_str(&format!("  \"description\": {},\n", Value::String(description.into())));
    keyed(&mut out, "sites", &s.sites);
    keyed(&mut out, "components", &s.components);
    if !s.links.is_empty() {
        out.push_str("\n  \"links\": [\n");
        for entry in s.links.values() {
            comments(&mut out, entry);
            out.push_str(&format!("    {},\n", entry.body()));
        }
        out.push_str("  ],\n");
    }
    keyed(&mut out, "groups", &s.groups);
    out.push_str("}\n");
    out
}

fn keyed(out: &mut String, section: &str, entries: &BTreeMap<String, Entry>) {
    if entries.is_empty() {
        return;
    }
    out.push_str(&format!("\n  \"{section}\": {{\n"));
    for (id, entry) in entries {
        comments(out, entry);
        out.push_str(&format!("    {}: {},\n", Value::String(id.clone()), entry.body()));
    }
    out.push_str("  },\n");
}

fn comments(out: &mut String, entry: &Entry) {
    for c in &entry.comments {
        // A comment never spans lines, whatever NetBox's text holds.
        out.push_str(&format!("    // {}\n", c.replace(['\n', '\r'], " ")));
    }
}
