//! A serde `Deserializer` over the spanned value tree.
//!
//! Mechanism specs are plain `#[derive(Deserialize)]` structs; this adapter makes every
//! serde error carry the span of the value (or key) it is about, turns serde's wording
//! into messages an architect can act on, and provides [`Spanned`] so a spec can keep
//! the location of a reference for later checks.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde::Deserialize;

use crate::diagnostics::{did_you_mean, Code, Diagnostic};
use crate::syntax::{Node, Number, Span, Value};

/// A value together with the span it came from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Spanned<T> {
    pub span: Span,
    pub value: T,
}

const SPANNED: &str = "$spofsim::Spanned";
const SPANNED_FIELDS: &[&str] = &["$start", "$end", "$value"];

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Spanned<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a spanned value")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let start: Option<(String, u32)> = map.next_entry()?;
                let end: Option<(String, u32)> = map.next_entry()?;
                let value: Option<(String, T)> = map.next_entry()?;
                match (start, end, value) {
                    (Some((_, s)), Some((_, e)), Some((_, value))) => {
                        Ok(Spanned { span: Span { start: s, end: e }, value })
                    }
                    _ => Err(de::Error::custom("spanned value outside the scenario loader")),
                }
            }
        }
        d.deserialize_struct(SPANNED, SPANNED_FIELDS, V(std::marker::PhantomData))
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Spanned<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// Why deserialisation failed, with the span it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct DeError {
    pub span: Option<Span>,
    pub code: Code,
    pub message: String,
    pub help: Option<String>,
    /// For unknown fields: the field name, so the caller can drop it and go on.
    pub unknown_field: Option<String>,
    /// For unknown fields: the fields the object accepts.
    pub expected_fields: &'static [&'static str],
}

impl DeError {
    fn at(mut self, span: Span) -> DeError {
        self.span.get_or_insert(span);
        self
    }

    pub fn into_diagnostic(self, fallback: Span) -> Diagnostic {
        let help = self.help.unwrap_or_else(|| {
            "`spofsim schema` prints what each field accepts; tests/cases/mechanisms has examples".to_string()
        });
        Diagnostic::error(self.code, self.span.unwrap_or(fallback), self.message).with_help(help)
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

fn plain(code: Code, message: String, help: Option<String>) -> DeError {
    DeError { span: None, code, message, help, unknown_field: None, expected_fields: &[] }
}

/// Builds an error from inside a custom `Deserialize` impl (units, references).
pub fn value_error<E: de::Error>(message: impl fmt::Display, help: impl fmt::Display) -> E {
    // Encoded so that `custom` can split it back; `\u{1f}` never occurs in messages.
    E::custom(format_args!("{message}\u{1f}{help}"))
}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        let text = msg.to_string();
        match text.split_once('\u{1f}') {
            Some((m, h)) => plain(Code::ImpossibleValue, m.to_string(), Some(h.to_string())),
            None => plain(Code::WrongType, text, None),
        }
    }

    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        let (expected, mut help) = plain_words(&exp.to_string());
        if expected == "a string" && matches!(unexp, de::Unexpected::Map | de::Unexpected::Seq) {
            help = Some(
                "give a plain string here (an id such as \"sw-1\", or a value such as \"4h\"), not an object or a list"
                    .into(),
            );
        }
        plain(Code::WrongType, format!("expected {expected}, found {}", describe(&unexp)), help)
    }

    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        let rust_type = exp.to_string();
        let largest = match rust_type.as_str() {
            "u8" => Some(u64::from(u8::MAX)),
            "u16" => Some(u64::from(u16::MAX)),
            "u32" => Some(u64::from(u32::MAX)),
            _ => None,
        };
        if let (Some(max), de::Unexpected::Unsigned(n)) = (largest, &unexp) {
            return plain(
                Code::ImpossibleValue,
                format!("integer `{n}` is out of range: expected a whole number from 0 to {max}"),
                Some(format!("use a value between 0 and {max}")),
            );
        }
        let (expected, help) = plain_words(&rust_type);
        let help = help.map(|h| {
            if matches!(unexp, de::Unexpected::Signed(n) if n < 0) {
                "use a value of 0 or more".to_string()
            } else {
                h
            }
        });
        plain(Code::ImpossibleValue, format!("invalid value {}: expected {expected}", describe(&unexp)), help)
    }

    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        let (expected, help) = plain_words(&exp.to_string());
        plain(Code::WrongType, format!("expected {expected}, found a list of {len}"), help)
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        plain(
            Code::ImpossibleValue,
            format!("unknown value \"{variant}\""),
            // The values a variant takes are few: name them all, even beside a guess
            // (a guess alone, `ap` for "app", does not say what else is allowed).
            Some(match did_you_mean(variant, expected.iter().copied()) {
                Some(guess) => format!("{guess} ({})", one_of(expected)),
                None => one_of(expected),
            }),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError {
            span: None,
            code: Code::UnknownField,
            message: format!("unknown field \"{field}\""),
            help: Some(did_you_mean(field, expected.iter().copied()).unwrap_or_else(|| one_of(expected))),
            unknown_field: Some(field.to_string()),
            expected_fields: expected,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        plain(
            Code::MissingField,
            format!("missing field \"{field}\""),
            Some(format!("add \"{field}\": ... to this object")),
        )
    }

    fn duplicate_field(field: &'static str) -> Self {
        plain(Code::DuplicateId, format!("duplicate field \"{field}\""), None)
    }
}

/// serde names Rust types ("f64", "a sequence"); architects read JSON words.
fn plain_words(expected: &str) -> (String, Option<String>) {
    let number_help = Some("write a plain number without quotes or units, e.g. 350".to_string());
    match expected {
        "f64" | "f32" => ("a number".into(), number_help),
        "u8" | "u16" | "u32" | "u64" | "usize" => {
            ("a whole number, 0 or more".into(), Some("write a whole number without quotes, e.g. 3".into()))
        }
        "i8" | "i16" | "i32" | "i64" => ("a whole number".into(), number_help),
        "a sequence" => ("a list".into(), Some("write a list: [\"a\", \"b\"]".into())),
        "a map" => ("an object".into(), Some("write an object: { \"key\": value }".into())),
        "a boolean" => ("true or false".into(), None),
        "a string" => ("a string".into(), Some("put the value in double quotes".into())),
        other => (other.to_string(), None),
    }
}

fn one_of(expected: &[&str]) -> String {
    if expected.is_empty() {
        return "this object takes no fields".to_string();
    }
    let mut names: Vec<&str> = expected.to_vec();
    names.sort_unstable();
    format!("expected one of: {}", names.join(", "))
}

fn describe(unexp: &de::Unexpected) -> String {
    match unexp {
        de::Unexpected::Bool(b) => format!("boolean `{b}`"),
        de::Unexpected::Unsigned(n) => format!("integer `{n}`"),
        de::Unexpected::Signed(n) => format!("integer `{n}`"),
        de::Unexpected::Float(n) => format!("number `{n}`"),
        de::Unexpected::Str(s) => format!("string \"{s}\""),
        de::Unexpected::Unit => "null".to_string(),
        de::Unexpected::Seq => "a list".to_string(),
        de::Unexpected::Map => "an object".to_string(),
        other => other.to_string(),
    }
}

/// Deserialises `T` from a node; errors carry the innermost span.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, DeError> {
    T::deserialize(NodeDe(node)).map_err(|e| e.at(node.span))
}

struct NodeDe<'a>(&'a Node);

impl NodeDe<'_> {
    fn span(&self) -> Span {
        match self.0.value {
            // Errors about a whole object point at its opening brace, not all its lines.
            Value::Object(_) | Value::Array(_) => self.0.span.head(),
            _ => self.0.span,
        }
    }
}

macro_rules! forward_to_any {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> { self.deserialize_any(v) }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        let span = self.span();
        let r = match &self.0.value {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Number(Number::Int(i)) => v.visit_i64(*i),
            Value::Number(Number::Float(f)) => v.visit_f64(*f),
            Value::String(s) => v.visit_str(s),
            Value::Array(items) => v.visit_seq(SeqDe { items: items.iter(), index: 0 }),
            Value::Object(members) => v.visit_map(MapDe { members: members.iter(), value: None }),
        };
        r.map_err(|e| e.at(span))
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        match self.0.value {
            Value::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED {
            return v.visit_map(SpannedDe { node: self.0, step: 0 });
        }
        match &self.0.value {
            Value::Object(_) => self.deserialize_any(v),
            other => Err(plain(
                Code::WrongType,
                format!("expected an object, found {}", other.describe()),
                Some(format!("write {{ ... }} with fields such as: {}", fields.join(", "))),
            )
            .at(self.span())),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        let span = self.span();
        let r = match &self.0.value {
            Value::String(s) => v.visit_enum(s.as_str().into_deserializer()),
            Value::Object(members) if members.len() == 1 => {
                let (key, value) = &members[0];
                v.visit_enum(EnumDe { key: &key.name, key_span: key.span, value })
            }
            other => Err(plain(
                Code::WrongType,
                format!("expected one of {}, found {}", quote_all(variants), other.describe()),
                None,
            )),
        };
        r.map_err(|e| e.at(span))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, v: V) -> Result<V::Value, DeError> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_unit()
    }

    forward_to_any! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64
        deserialize_char deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_seq deserialize_map deserialize_identifier
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, DeError> {
        self.deserialize_any(v)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, DeError> {
        self.deserialize_any(v)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, v: V) -> Result<V::Value, DeError> {
        self.deserialize_any(v)
    }
}

fn quote_all(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

struct SeqDe<'a> {
    items: std::slice::Iter<'a, Node>,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for SeqDe<'_> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some(node) => {
                self.index += 1;
                seed.deserialize(NodeDe(node)).map(Some).map_err(|e| e.at(node.span))
            }
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'a> {
    members: std::slice::Iter<'a, (crate::syntax::Key, Node)>,
    value: Option<&'a Node>,
}

impl<'de> de::MapAccess<'de> for MapDe<'_> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        match self.members.next() {
            Some((key, value)) => {
                self.value = Some(value);
                let k: de::value::StrDeserializer<DeError> = key.name.as_str().into_deserializer();
                seed.deserialize(k).map(Some).map_err(|e| e.at(key.span))
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(node) => seed.deserialize(NodeDe(node)).map_err(|e| e.at(node.span)),
            None => Err(plain(Code::WrongType, "value requested before key".into(), None)),
        }
    }
}

struct SpannedDe<'a> {
    node: &'a Node,
    step: u8,
}

impl<'de> de::MapAccess<'de> for SpannedDe<'_> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let Some(&name) = SPANNED_FIELDS.get(self.step as usize) else {
            return Ok(None);
        };
        seed.deserialize(de::value::StrDeserializer::<DeError>::new(name)).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        self.step += 1;
        match self.step {
            1 => seed.deserialize(self.node.span.start.into_deserializer()),
            2 => seed.deserialize(self.node.span.end.into_deserializer()),
            _ => seed.deserialize(NodeDe(self.node)),
        }
    }
}

struct EnumDe<'a> {
    key: &'a str,
    key_span: Span,
    value: &'a Node,
}

impl<'de, 'a> de::EnumAccess<'de> for EnumDe<'a> {
    type Error = DeError;
    type Variant = NodeDe<'a>;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, NodeDe<'a>), DeError> {
        let k: de::value::StrDeserializer<DeError> = self.key.into_deserializer();
        let v = seed.deserialize(k).map_err(|e| e.at(self.key_span))?;
        Ok((v, NodeDe(self.value)))
    }
}

impl<'de> de::VariantAccess<'de> for NodeDe<'_> {
    type Error = DeError;
    fn unit_variant(self) -> Result<(), DeError> {
        Err(plain(Code::WrongType, "this value takes no settings".into(), Some("write it as a plain string".into()))
            .at(self.span()))
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_any(self, v)
    }
    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], v: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_struct(self, "", fields, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct T {
        name: Spanned<String>,
        #[serde(default)]
        count: u32,
    }

    fn run(text: &str) -> Result<T, DeError> {
        from_node(&parse(text).0.unwrap())
    }

    #[test]
    fn spans_and_messages() {
        let t = run(r#"{"name": "x"}"#).unwrap();
        assert_eq!((t.name.span, t.count), (Span::new(9, 12), 0));
        let e = run(r#"{"name": "x", "cout": 1}"#).unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.span, e.help.as_deref()),
            ("unknown field \"cout\"", Some(Span::new(14, 20)), Some("did you mean `count`?"))
        );
        let e = run(r#"{"name": 3}"#).unwrap_err();
        assert_eq!((e.message.as_str(), e.span), ("expected a string, found integer `3`", Some(Span::new(9, 10))));
        let e = run(r#"{"name": "x", "count": -1}"#).unwrap_err();
        assert_eq!(e.message, "invalid value integer `-1`: expected a whole number, 0 or more");
        assert_eq!(e.help.as_deref(), Some("use a value of 0 or more"));
        let e = run("{}").unwrap_err();
        assert_eq!((e.message.as_str(), e.span), ("missing field \"name\"", Some(Span::new(0, 1))));
    }
}
