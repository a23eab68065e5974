//! A JSONC parser (JSON plus `//` and `/* */` comments and trailing commas) that keeps
//! spans. It never panics: every malformed input yields a diagnostic, and nesting is
//! bounded by [`MAX_DEPTH`] so hostile input cannot overflow the stack.
//! Complexity: O(n) in the input length.

use super::Span;
use crate::diagnostics::{Code, Diagnostic};

/// Deepest nesting accepted; real scenarios use fewer than 10 levels.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    /// Members in source order. Duplicate keys are reported and the later one dropped.
    Object(Vec<(Key, Node)>),
}

impl Value {
    /// How the value is described in "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(Number::Int(_)) => "an integer",
            Value::Number(Number::Float(_)) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }
}

impl Node {
    pub fn get(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Object(members) => members.iter().find(|(k, _)| k.name == key).map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The plain JSON value (comments gone, spans dropped).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(Number::Int(i)) => J::from(*i),
            Value::Number(Number::Float(f)) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::Array(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Object(members) => J::Object(members.iter().map(|(k, v)| (k.name.clone(), v.to_json())).collect()),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses one document. Returns the tree (if the syntax allowed one) and every
/// diagnostic found; syntax errors stop the parse, duplicate keys do not.
pub fn parse(text: &str) -> (Option<Node>, Vec<Diagnostic>) {
    let mut p = Parser { text: text.as_bytes(), src: text, pos: 0, diagnostics: Vec::new() };
    let result = p.document();
    let mut diagnostics = p.diagnostics;
    match result {
        Ok(node) => (Some(node), diagnostics),
        Err(mut d) => {
            if looks_like_yaml(text) {
                d.message = format!("spofsim reads JSON/JSONC; this looks like YAML ({})", d.message);
                d.help = Some(
                    "convert it to JSON first, e.g. `yq -o=json . file.yaml > file.jsonc`, or start from `spofsim init`"
                        .to_string(),
                );
            }
            diagnostics.push(*d);
            (None, diagnostics)
        }
    }
}

/// Whether a text that failed to parse reads like YAML: its first meaningful line is a
/// document marker (`---`) or a bare `key:` / `- item` line, which JSON never has.
fn looks_like_yaml(text: &str) -> bool {
    let Some(line) = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("//"))
    else {
        return false;
    };
    if line == "---" || line.starts_with("- ") || line.starts_with("%YAML") {
        return true;
    }
    match line.split_once(':') {
        Some((key, rest)) => {
            !key.is_empty()
                && key.chars().all(|c| c.is_alphanumeric() || "-_. $".contains(c))
                && (rest.is_empty() || rest.starts_with(' '))
        }
        None => false,
    }
}

type PResult<T> = Result<T, Box<Diagnostic>>;

struct Parser<'a> {
    text: &'a [u8],
    src: &'a str,
    pos: usize,
    diagnostics: Vec<Diagnostic>,
}

impl Parser<'_> {
    fn error<T>(&self, start: usize, end: usize, message: impl Into<String>, help: &str) -> PResult<T> {
        // Spans always end inside the text on a character boundary.
        let boundary = |mut i: usize| {
            i = i.min(self.src.len());
            while !self.src.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        let span = Span::new(boundary(start), boundary(end));
        Err(Box::new(Diagnostic::error(Code::Syntax, span, message).with_help(help)))
    }

    fn document(&mut self) -> PResult<Node> {
        // A UTF-8 byte-order mark is harmless; editors on Windows add it.
        if self.src.starts_with('\u{feff}') {
            self.pos = 3;
        }
        self.skip_trivia()?;
        if self.pos >= self.text.len() {
            return self.error(
                self.pos,
                self.pos,
                "the file is empty",
                "a scenario is a JSON object: `{ \"name\": \"...\", \"components\": { ... } }`",
            );
        }
        let node = self.value(0)?;
        self.skip_trivia()?;
        if self.pos < self.text.len() {
            let end = self.token_end(self.pos);
            return self.error(
                self.pos,
                end,
                "unexpected text after the end of the document",
                "a file holds exactly one JSON object; remove what follows it or merge it in",
            );
        }
        Ok(node)
    }

    fn skip_trivia(&mut self) -> PResult<()> {
        loop {
            match self.text.get(self.pos) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') => match self.text.get(self.pos + 1) {
                    Some(b'/') => {
                        while self.pos < self.text.len() && self.text[self.pos] != b'\n' {
                            self.pos += 1;
                        }
                    }
                    Some(b'*') => {
                        let start = self.pos;
                        match self.src[self.pos + 2..].find("*/") {
                            Some(i) => self.pos += 2 + i + 2,
                            None => {
                                return self.error(
                                    start,
                                    start + 2,
                                    "unterminated block comment",
                                    "close the comment with `*/`",
                                )
                            }
                        }
                    }
                    _ => {
                        return self.error(self.pos, self.pos + 1, "unexpected `/`", "comments start with `//` or `/*`")
                    }
                },
                _ => return Ok(()),
            }
        }
    }

    /// End of the current bad token, for a readable span (stops at a delimiter).
    fn token_end(&self, start: usize) -> usize {
        let mut end = start;
        while end < self.text.len() && !b" \t\r\n,:{}[]\"".contains(&self.text[end]) {
            end += 1;
        }
        if end == start {
            end = start + self.src[start..].chars().next().map_or(0, char::len_utf8);
        }
        // Never split a UTF-8 sequence.
        while end < self.text.len() && !self.src.is_char_boundary(end) {
            end += 1;
        }
        end
    }

    fn value(&mut self, depth: usize) -> PResult<Node> {
        if depth >= MAX_DEPTH {
            return self.error(
                self.pos,
                self.token_end(self.pos),
                format!("nesting deeper than {MAX_DEPTH} levels"),
                "flatten the structure; scenarios need only a few levels",
            );
        }
        let start = self.pos;
        match self.text.get(self.pos) {
            None => self.error(
                start,
                start,
                "unexpected end of file, expected a value",
                "the file is cut short; close every `{` and `[`",
            ),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node { span: Span::new(start, self.pos), value: Value::String(s) })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                let end = self.token_end(start);
                let word = &self.src[start..end];
                let value = match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    _ => {
                        let help = match word {
                            "True" | "TRUE" => "write booleans in lower case: `true`".to_string(),
                            "False" | "FALSE" => "write booleans in lower case: `false`".to_string(),
                            "None" | "NULL" | "nil" => "write `null`".to_string(),
                            w if w.starts_with('\'') => "strings use double quotes: \"...\"".to_string(),
                            w => format!("if this is text, quote it: \"{}\"", w.trim_matches('\'')),
                        };
                        return self.error(start, end, format!("expected a value, found `{word}`"), &help);
                    }
                };
                self.pos = end;
                Ok(Node { span: Span::new(start, end), value })
            }
        }
    }

    fn number(&mut self) -> PResult<Node> {
        let start = self.pos;
        let end = self.token_end(start);
        let word = &self.src[start..end];
        self.pos = end;
        let span = Span::new(start, end);
        let valid = {
            let digits = word.strip_prefix('-').unwrap_or(word);
            let int_part = digits.split(['.', 'e', 'E']).next().unwrap_or("");
            !int_part.is_empty()
                && int_part.bytes().all(|b| b.is_ascii_digit())
                && (int_part.len() == 1 || !int_part.starts_with('0'))
                && word.parse::<f64>().is_ok()
                && !digits.ends_with('.')
                && !digits.contains(".e")
                && !digits.contains(".E")
        };
        if !valid {
            let help = if word.chars().any(|c| c.is_ascii_alphabetic() && !"eE".contains(c)) {
                format!("values with units are strings: \"{word}\"")
            } else {
                "write a JSON number such as 3, 0.5 or 1e-3".to_string()
            };
            return Err(Box::new(
                Diagnostic::error(Code::Syntax, span, format!("invalid number `{word}`")).with_help(help),
            ));
        }
        let number = match word.parse::<i64>() {
            Ok(i) => Number::Int(i),
            Err(_) => {
                let f: f64 = word.parse().unwrap_or(f64::NAN);
                if !f.is_finite() {
                    return Err(Box::new(
                        Diagnostic::error(Code::Syntax, span, format!("number `{word}` is out of range"))
                            .with_help("use a number of reasonable size"),
                    ));
                }
                Number::Float(f)
            }
        };
        Ok(Node { span, value: Value::Number(number) })
    }

    fn string(&mut self) -> PResult<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(&b) = self.text.get(self.pos) else {
                return self.error(start, self.pos, "unterminated string", "close the string with `\"`");
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\n' => {
                    return self.error(
                        start,
                        self.pos,
                        "unterminated string",
                        "close the string with `\"` before the end of the line",
                    )
                }
                b'\\' => {
                    let esc = self.pos;
                    let Some(&c) = self.text.get(self.pos + 1) else {
                        return self.error(start, self.pos + 1, "unterminated string", "close the string with `\"`");
                    };
                    self.pos += 2;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4(esc)?;
                            let ch = if (0xD800..0xDC00).contains(&hi) {
                                if self.text.get(self.pos) == Some(&b'\\') && self.text.get(self.pos + 1) == Some(&b'u')
                                {
                                    self.pos += 2;
                                    let lo = self.hex4(esc)?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return self.error(esc, self.pos, "invalid unicode surrogate pair", "a high surrogate \\uD800-\\uDBFF must be followed by a low one \\uDC00-\\uDFFF");
                                    }
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                } else {
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            match ch {
                                Some(ch) => out.push(ch),
                                None => {
                                    return self.error(
                                        esc,
                                        self.pos,
                                        "invalid unicode escape",
                                        "escape a character as \\uXXXX (a surrogate pair for characters above U+FFFF)",
                                    )
                                }
                            }
                        }
                        _ => {
                            let end = esc + 1 + self.src[esc + 1..].chars().next().map_or(0, char::len_utf8);
                            return self.error(
                                esc,
                                end,
                                "invalid escape in string",
                                "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                            );
                        }
                    }
                }
                0..=0x1f => {
                    return self.error(
                        self.pos,
                        self.pos + 1,
                        "control character in string",
                        "escape it, e.g. write a tab as \\t",
                    )
                }
                _ => {
                    let ch_len = self.src[self.pos..].chars().next().map_or(1, char::len_utf8);
                    out.push_str(&self.src[self.pos..self.pos + ch_len]);
                    self.pos += ch_len;
                }
            }
        }
    }

    fn hex4(&mut self, esc: usize) -> PResult<u32> {
        let digits = self.src.get(self.pos..self.pos + 4).filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits {
            Some(d) => {
                self.pos += 4;
                Ok(u32::from_str_radix(d, 16).unwrap_or(0xFFFD))
            }
            None => self.error(
                esc,
                (self.pos).min(self.text.len()),
                "invalid unicode escape",
                "write exactly four hex digits: \\u00e9",
            ),
        }
    }

    fn array(&mut self, depth: usize) -> PResult<Node> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_trivia()?;
            match self.text.get(self.pos) {
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node { span: Span::new(start, self.pos), value: Value::Array(items) });
                }
                None => return self.error(start, start + 1, "unclosed `[`", "add the matching `]`"),
                _ => {}
            }
            items.push(self.value(depth + 1)?);
            self.skip_trivia()?;
            match self.text.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                None => return self.error(start, start + 1, "unclosed `[`", "add the matching `]`"),
                Some(_) => {
                    let end = self.token_end(self.pos);
                    return self.error(self.pos, end, "expected `,` or `]` in list", "separate list items with commas");
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> PResult<Node> {
        let start = self.pos;
        self.pos += 1;
        let mut members: Vec<(Key, Node)> = Vec::new();
        // Key → index, built once an object is large, so duplicate checks stay O(1).
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        loop {
            self.skip_trivia()?;
            let key_start = self.pos;
            match self.text.get(self.pos) {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node { span: Span::new(start, self.pos), value: Value::Object(members) });
                }
                Some(b'"') => {}
                None => return self.error(start, start + 1, "unclosed `{`", "add the matching `}`"),
                Some(_) => {
                    let end = self.token_end(self.pos);
                    let word = &self.src[self.pos..end];
                    let help = if word.starts_with('\'') {
                        "keys use double quotes: \"key\"".to_string()
                    } else {
                        format!("keys are quoted: \"{word}\"")
                    };
                    return self.error(self.pos, end, "expected a quoted key", &help);
                }
            }
            let name = self.string()?;
            let key = Key { name, span: Span::new(key_start, self.pos) };
            self.skip_trivia()?;
            if self.text.get(self.pos) != Some(&b':') {
                let end = self.token_end(self.pos);
                return self.error(
                    self.pos,
                    end,
                    format!("expected `:` after key \"{}\"", key.name),
                    "write \"key\": value",
                );
            }
            self.pos += 1;
            self.skip_trivia()?;
            let value = self.value(depth + 1)?;
            let existing = if members.len() < 16 {
                members.iter().position(|(k, _)| k.name == key.name)
            } else {
                if index.is_empty() {
                    index = members.iter().enumerate().map(|(i, (k, _))| (k.name.clone(), i)).collect();
                }
                index.get(&key.name).copied()
            };
            if let Some(first) = existing.map(|i| &members[i].0) {
                self.diagnostics.push(
                    Diagnostic::error(Code::DuplicateId, key.span, format!("duplicate key \"{}\"", key.name))
                        .with_related(first.span, "first defined here")
                        .with_help("each key may appear once in an object; rename or remove one"),
                );
            } else {
                if !index.is_empty() {
                    index.insert(key.name.clone(), members.len());
                }
                members.push((key, value));
            }
            self.skip_trivia()?;
            match self.text.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                None => return self.error(start, start + 1, "unclosed `{`", "add the matching `}`"),
                Some(_) => {
                    let end = self.token_end(self.pos);
                    return self.error(self.pos, end, "expected `,` or `}` in object", "separate members with commas");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Value {
        let (node, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:?}");
        node.unwrap().value
    }

    fn err(text: &str) -> String {
        let (_, diags) = parse(text);
        diags.first().map(|d| d.message.clone()).unwrap_or_default()
    }

    #[test]
    fn yaml_is_named_as_yaml() {
        assert!(err("# design\ncomponents:\n  a:\n    kind: server\n").contains("this looks like YAML"));
        assert!(err("---\nname: x\n").contains("this looks like YAML"));
        assert!(err("- a\n- b\n").contains("this looks like YAML"));
        // A JSON typo is not called YAML.
        assert!(!err("{ \"a\": }").contains("YAML"));
        assert!(!err("{ a: 1 }").contains("YAML"));
    }

    #[test]
    fn comments_and_trailing_commas() {
        let v = ok("// c\n{ /* x */ \"a\": [1, 2,], \"b\": -1.5e2, }");
        let Value::Object(m) = v else { panic!() };
        assert_eq!(
            m[0].1.value,
            Value::Array(vec![
                Node { span: Span::new(21, 22), value: Value::Number(Number::Int(1)) },
                Node { span: Span::new(24, 25), value: Value::Number(Number::Int(2)) },
            ])
        );
        assert_eq!(m[1].1.value, Value::Number(Number::Float(-150.0)));
    }

    #[test]
    fn escapes() {
        assert_eq!(ok(r#""a\n\u00e9\ud83d\ude00""#), Value::String("a\né😀".into()));
    }

    #[test]
    fn errors() {
        assert_eq!(err("{\"a\": 01}"), "invalid number `01`");
        assert_eq!(err("{\"a\": 1."), "invalid number `1.`");
        assert_eq!(err("{a: 1}"), "expected a quoted key");
        assert_eq!(err("[1 2]"), "expected `,` or `]` in list");
        assert_eq!(err("\"\\ud800\""), "invalid unicode escape");
        assert_eq!(err(&"[".repeat(100)), "nesting deeper than 64 levels");
        assert_eq!(err("{\"a\": 1, \"a\": 2}"), "duplicate key \"a\"");
        assert_eq!(err("\"\\u12"), "invalid unicode escape");
        assert_eq!(err("é"), "expected a value, found `é`");
        // Found by fuzzing: the depth limit hit on a multi-byte character.
        let deep = format!("{}é{}", "[".repeat(64), "]".repeat(64));
        let (_, diags) = parse(&deep);
        let span = diags[0].span.unwrap();
        assert_eq!(&deep[span.range()], "é");
    }
}
