//! The inspector's editable properties, read from and written back into the scenario
//! text: every scalar (or list) inside a component's or group's declaration, by dotted
//! path ("bond.monitor.arp.interval"). Writing replaces just that value's bytes, so
//! comments and formatting elsewhere survive; `mtbf` and `mttr` are inserted when the
//! declaration relies on the kind's default.

use sim_core::syntax::{self, Key, Node, Span, Value};

/// One editable value.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub path: String,
    /// The value as shown: a string without its quotes, anything else as written.
    pub shown: String,
    pub is_string: bool,
    pub span: Span,
}

/// Finds the object declared at `span`: a member whose key or value has that span.
fn find<'a>(node: &'a Node, span: Span) -> Option<&'a Node> {
    let check = |k: &Key, v: &'a Node| (k.span == span || v.span == span || v.span.head() == span).then_some(v);
    match &node.value {
        Value::Object(members) => members.iter().find_map(|(k, v)| check(k, v).or_else(|| find(v, span))),
        Value::Array(items) => items.iter().find_map(|v| find(v, span)),
        _ => None,
    }
}

/// The declaration object at `span` in `text`, if the text parses.
pub fn declaration(text: &str, span: Span) -> Option<Node> {
    let (root, _) = syntax::parse(text);
    let node = find(&root?, span)?.clone();
    matches!(node.value, Value::Object(_)).then_some(node)
}

/// The editable fields of the declaration at `span`, in source order.
pub fn fields(text: &str, span: Span) -> Vec<Field> {
    let mut out = Vec::new();
    if let Some(node) = declaration(text, span) {
        collect(text, &node, "", &mut out);
    }
    out
}

fn collect(text: &str, node: &Node, prefix: &str, out: &mut Vec<Field>) {
    let Value::Object(members) = &node.value else { return };
    for (k, v) in members {
        let path = if prefix.is_empty() { k.name.clone() } else { format!("{prefix}.{}", k.name) };
        match &v.value {
            Value::Object(_) => collect(text, v, &path, out),
            Value::String(s) => out.push(Field { path, shown: s.clone(), is_string: true, span: v.span }),
            _ => out.push(Field {
                path,
                shown: text.get(v.span.range()).unwrap_or("").to_string(),
                is_string: false,
                span: v.span,
            }),
        }
    }
}

/// `text` with the field at `path` of the declaration at `span` set to `shown`
/// (quoted when the field is a string). A missing top-level field is inserted as a
/// string. Errors when the declaration cannot be found.
pub fn set_field(text: &str, span: Span, path: &str, shown: &str) -> Result<String, String> {
    let node = declaration(text, span).ok_or("the declaration is not in the text (fix the syntax errors first)")?;
    let mut fields = Vec::new();
    collect(text, &node, "", &mut fields);
    let mut out = text.to_string();
    match fields.iter().find(|f| f.path == path) {
        Some(f) => {
            let raw = if f.is_string { quote(shown) } else { shown.trim().to_string() };
            out.replace_range(f.span.range(), &raw);
        }
        None if !path.contains('.') => {
            let at = node.span.start as usize + 1;
            out.insert_str(at, &format!(" {}: {},", quote(path), quote(shown)));
        }
        None => return Err(format!("no field {path} here")),
    }
    Ok(out)
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{
  // a comment that must survive
  "components": {
    "web-1": { "kind": "server", "mtbf": "5y", "bond": { "to": ["sw-1", "sw-2"], "mode": "active-backup" } },
    "sw-1": { "kind": "switch" },
  },
}"#;

    fn span_of(key: &str) -> Span {
        let start = TEXT.find(&format!("\"{key}\": {{")).unwrap();
        Span::new(start, start + key.len() + 2)
    }

    #[test]
    fn lists_nested_fields_by_path() {
        let fields = fields(TEXT, span_of("web-1"));
        let paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["kind", "mtbf", "bond.to", "bond.mode"]);
        assert_eq!(fields[1].shown, "5y");
        assert_eq!(fields[2].shown, r#"["sw-1", "sw-2"]"#);
    }

    #[test]
    fn edits_replace_only_the_value_and_keep_comments() {
        let edited = set_field(TEXT, span_of("web-1"), "mtbf", "20y").unwrap();
        assert_eq!(edited, TEXT.replace(r#""mtbf": "5y""#, r#""mtbf": "20y""#));
        let edited = set_field(TEXT, span_of("web-1"), "bond.mode", "lacp").unwrap();
        assert!(edited.contains(r#""mode": "lacp""#) && edited.contains("// a comment"));
        let inserted = set_field(TEXT, span_of("sw-1"), "mttr", "4h").unwrap();
        assert!(inserted.contains(r#""sw-1": { "mttr": "4h", "kind": "switch" }"#), "{inserted}");
        assert!(sim_core::syntax::parse(&inserted).1.is_empty());
        assert!(set_field(TEXT, span_of("sw-1"), "bond.mode", "x").is_err());
        assert!(set_field("{ broken", span_of("sw-1"), "mtbf", "x").is_err());
    }
}
