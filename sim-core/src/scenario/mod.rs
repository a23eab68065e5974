//! The scenario language (v1): one JSONC document per design.
//!
//! Pipeline: text → [`crate::syntax`] tree → per-entry decode through the mechanism
//! registry → lowering into [`crate::model`] → checks (cycles, paths). Every stage
//! collects diagnostics and carries on, so one run reports every problem it can.

mod common;
mod kind;
mod layers;
mod toplevel;

pub use common::{
    builtin_failure, resolve_failure, CommonSpec, DistributionSpec, FailureSpec, COMMON_FIELDS, GROUP_COMMON_FIELDS,
};
pub use kind::{Kind, KindInfo, KindOf, Lower, Section, Spec};
pub use layers::{extends_of, layer_offsets, locate, resolve_bases, ChainError, LayerFile, MAX_LAYERS};
pub use toplevel::{DrillSpec, ExpectSpec, SuppressSpec, TOP_LEVEL_FIELDS};

use std::collections::BTreeMap;

use crate::de::{from_node, DeError, Spanned};
use crate::diagnostics::{self, did_you_mean, Code, Diagnostic};
use crate::mechanisms;
use crate::model::{self, Dynamics, EdgeKind, ElementId, FailureModel, LowerCx, Model, ModelBuilder, Req, Target};
use crate::syntax::{self, Key, Node, Span, Value};
use crate::units::Duration;

/// The result of loading one scenario text: a model if there were no errors, and all
/// diagnostics (errors and warnings), sorted by position.
#[derive(Debug)]
pub struct Loaded {
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The built-in failure model of a kind, before scenario defaults.
pub fn default_failure(kind: &str) -> Option<FailureModel> {
    mechanisms::find(kind).and_then(|k| builtin_failure(k.info().failure))
}

struct Entry {
    id: Spanned<String>,
    kind: &'static dyn Kind,
    common: CommonSpec,
    spec: Box<dyn Lower>,
}

/// Loads one scenario. Never panics, whatever the text.
pub fn load(text: &str) -> Loaded {
    let (root, diagnostics) = syntax::parse(text);
    load_root(root, diagnostics, false)
}

/// Loads a scenario made of layers, base first: each layer after the first `extends` the
/// one before (see [`layers`]). Spans point into the layer they came from: map them back
/// with [`locate`] and [`layer_offsets`]. Never panics.
pub fn load_layers(texts: &[&str]) -> Loaded {
    let mut diagnostics = Vec::new();
    let root = layers::parse_layers(texts, &mut diagnostics);
    load_root(root, diagnostics, texts.len() > 1)
}

/// Decodes and lowers a parsed document, after its syntax `diagnostics`.
fn load_root(root: Option<Node>, mut diagnostics: Vec<Diagnostic>, layered: bool) -> Loaded {
    let Some(root) = root else {
        return Loaded { model: None, diagnostics };
    };
    let mut loader = Loader {
        diagnostics: Vec::new(),
        entries: Vec::new(),
        builder: ModelBuilder::default(),
        section_ids: Vec::new(),
        layered,
    };
    let model = loader.document(&root);
    diagnostics.append(&mut loader.diagnostics);
    diagnostics::sort(&mut diagnostics);
    // A value decoded by more than one reader (a server's bond, read for the server and
    // for the bond) reports the same mistake once.
    diagnostics.dedup();
    let model = if diagnostics.iter().any(Diagnostic::is_error) { None } else { model };
    Loaded { model, diagnostics }
}

struct Loader {
    diagnostics: Vec<Diagnostic>,
    entries: Vec<Entry>,
    builder: ModelBuilder,
    /// Ids of the section being read: an entry without a kind is most often an override
    /// of an entry whose id was mistyped (`extends`).
    section_ids: Vec<String>,
    /// Loading layers (`extends`): an entry may override one of a base file.
    layered: bool,
}

fn members(node: &Node) -> &[(Key, Node)] {
    match &node.value {
        Value::Object(m) => m,
        _ => &[],
    }
}

/// A copy of `node` without the member whose key is at `span`, at any depth (an
/// unknown field inside a nested object).
fn without_key_at(node: &Node, span: Span) -> Node {
    let value = match &node.value {
        Value::Object(m) => Value::Object(
            m.iter().filter(|(k, _)| k.span != span).map(|(k, v)| (k.clone(), without_key_at(v, span))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| without_key_at(v, span)).collect()),
        other => other.clone(),
    };
    Node { span: node.span, value }
}

/// A copy of an object node with only the members `keep` accepts.
fn filtered(node: &Node, keep: impl Fn(&str) -> bool) -> Node {
    let kept = members(node).iter().filter(|(k, _)| keep(&k.name)).cloned().collect();
    Node { span: node.span, value: Value::Object(kept) }
}

impl Loader {
    fn push(&mut self, e: DeError, fallback: Span) {
        self.diagnostics.push(e.into_diagnostic(fallback));
    }

    fn wrong_type(&mut self, node: &Node, expected: &str, help: &str) {
        self.diagnostics.push(
            Diagnostic::error(
                Code::WrongType,
                node.span.head(),
                format!("expected {expected}, found {}", node.value.describe()),
            )
            .with_help(help),
        );
    }

    fn document(&mut self, root: &Node) -> Option<Model> {
        if !matches!(root.value, Value::Object(_)) {
            self.wrong_type(
                root,
                "an object",
                "a scenario is a JSON object: { \"name\": \"...\", \"components\": { ... } }",
            );
            return None;
        }
        let mut name = String::new();
        let mut description = String::new();
        let mut noticed_by_users_secs = 3600.0;
        let mut repair_crews = None;
        let mut defaults: BTreeMap<&'static str, FailureSpec> = BTreeMap::new();
        let mut expect = Vec::new();
        let mut drills = Vec::new();
        let mut drill_names_written: Vec<String> = Vec::new();
        let mut suppress = Vec::new();
        let mut sections: Vec<(Section, &Node)> = Vec::new();
        for (key, value) in members(root) {
            match key.name.as_str() {
                "$schema" => self.decode::<String>(value).map(drop).unwrap_or(()),
                "version" => match self.decode::<u32>(value) {
                    Some(1) | None => {}
                    Some(v) => self.diagnostics.push(
                        Diagnostic::error(
                            Code::ImpossibleValue,
                            value.span,
                            format!("unsupported language version {v}"),
                        )
                        .with_help("this spofsim reads version 1 scenarios; write \"version\": 1 or upgrade spofsim"),
                    ),
                },
                "name" => name = self.decode(value).unwrap_or_default(),
                // Resolved layers never reach here (`load_layers` strips the key).
                "extends" => self.diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownId,
                        value.span,
                        "this scenario extends another file, which was not read with it",
                    )
                    .with_help("run spofsim on this file from the command line (it reads the base file named here), or open the base file instead"),
                ),
                "description" => description = self.decode(value).unwrap_or_default(),
                "noticed_by_users_after" => {
                    if let Some(d) = self.decode::<Duration>(value) {
                        noticed_by_users_secs = d.secs;
                    }
                }
                "repair_crews" => match self.decode::<u32>(value) {
                    Some(0) => self.diagnostics.push(
                        Diagnostic::error(Code::ImpossibleValue, value.span, "with no repair crew nothing is ever repaired")
                            .with_help("give the number of repairs that can run at once, e.g. \"repair_crews\": 1, or drop the field for no limit"),
                    ),
                    n => repair_crews = n,
                },
                "defaults" => self.defaults(value, &mut defaults),
                "expect" => expect = self.list::<ExpectSpec>(value),
                "drills" => {
                    drills = self.list::<DrillSpec>(value);
                    // Names as written, even of drills with errors (reported already),
                    // so an expectation naming one gets no second, misleading error.
                    if let Value::Array(items) = &value.value {
                        drill_names_written.extend(items.iter().filter_map(|item| {
                            members(item).iter().find(|(k, _)| k.name == "name").and_then(|(_, v)| match &v.value {
                                Value::String(s) => Some(s.clone()),
                                _ => None,
                            })
                        }));
                    }
                }
                "suppress" => suppress = self.list::<SuppressSpec>(value),
                other => match Section::ALL.iter().find(|s| s.key() == other) {
                    Some(&s) => sections.push((s, value)),
                    None => {
                        let help = did_you_mean(other, TOP_LEVEL_FIELDS.iter().copied())
                            .unwrap_or_else(|| format!("top-level fields are: {}", TOP_LEVEL_FIELDS.join(", ")));
                        self.diagnostics.push(
                            Diagnostic::error(Code::UnknownField, key.span, format!("unknown field \"{other}\""))
                                .with_help(help),
                        );
                    }
                },
            }
        }
        sections.sort_by_key(|(s, _)| *s);
        for (section, node) in sections {
            self.section(section, node);
        }
        self.builder.model.name = name;
        self.builder.model.description = description;
        self.builder.model.noticed_by_users_secs = noticed_by_users_secs;
        self.builder.model.repair_crews = repair_crews;
        self.lower_all(&defaults);
        self.drills(&drills);
        let drill_names: Vec<&str> = drill_names_written.iter().map(String::as_str).collect();
        self.expectations(&expect, &drill_names);
        for spec in &suppress {
            match spec.lower() {
                Ok(s) => self.builder.model.suppressions.push(s),
                Err(d) => self.diagnostics.push(d),
            }
        }
        let earlier_errors = self.diagnostics.iter().any(Diagnostic::is_error);
        let (model, mut diags) = std::mem::take(&mut self.builder).finish(earlier_errors);
        self.diagnostics.append(&mut diags);
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            return None;
        }
        for (si, tier) in model::service_path_gaps(&model) {
            let s = &model.services[si];
            let left = if tier == 0 {
                model.element(s.from).name.clone()
            } else {
                model.name_of(s.through[tier - 1]).to_string()
            };
            let right = model.name_of(s.through[tier]).to_string();
            self.diagnostics.push(
                Diagnostic::error(Code::NoPath, s.span, format!("service \"{}\" has no network path from \"{left}\" to \"{right}\"", s.name))
                    .with_help(format!("connect them: add a link (in \"links\") between a switch that reaches \"{left}\" and one that reaches \"{right}\"")),
            );
        }
        Some(model)
    }

    fn decode<T: serde::de::DeserializeOwned>(&mut self, node: &Node) -> Option<T> {
        match from_node(node) {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e, node.span);
                None
            }
        }
    }

    fn list<T: serde::de::DeserializeOwned>(&mut self, node: &Node) -> Vec<T> {
        let Value::Array(items) = &node.value else {
            self.wrong_type(node, "a list", "write [ { ... }, { ... } ]");
            return Vec::new();
        };
        items.iter().filter_map(|item| self.decode_reporting_all(item, &[], |n| from_node::<T>(n))).collect()
    }

    /// Decodes with `f`; on an unknown field, reports it, drops it and tries again, so
    /// every misspelt field of an object is reported in one run.
    fn decode_reporting_all<T>(
        &mut self,
        node: &Node,
        extra_fields: &[&str],
        f: impl Fn(&Node) -> Result<T, DeError>,
    ) -> Option<T> {
        let mut current = node.clone();
        // One retry per unknown field, nested ones included.
        for _ in 0..=members(node).len() + 32 {
            match f(&current) {
                Ok(v) => return Some(v),
                Err(mut e) => {
                    let Some(field) = e.unknown_field.take() else {
                        self.push(e, node.span);
                        return None;
                    };
                    // The shared fields belong to the object itself, not to one nested in it.
                    let top_level = members(node).iter().any(|(k, _)| k.name == field && Some(k.span) == e.span);
                    if !top_level {
                        let at = e.span;
                        self.push(e, node.span);
                        match at {
                            Some(span) => {
                                current = without_key_at(&current, span);
                                continue;
                            }
                            None => return None,
                        }
                    }
                    if !extra_fields.is_empty() {
                        // Suggest among the kind's fields and the shared ones.
                        let mut candidates: Vec<&str> = extra_fields.to_vec();
                        candidates.extend(e.expected_fields);
                        candidates.sort_unstable();
                        candidates.dedup();
                        e.help = Some(
                            did_you_mean(&field, candidates.iter().copied())
                                .unwrap_or_else(|| format!("expected one of: {}", candidates.join(", "))),
                        );
                    }
                    self.push(e, node.span);
                    current = filtered(&current, |k| k != field);
                }
            }
        }
        None
    }

    fn defaults(&mut self, node: &Node, out: &mut BTreeMap<&'static str, FailureSpec>) {
        if !matches!(node.value, Value::Object(_)) {
            return self.wrong_type(node, "an object", "write { \"switch\": { \"mtbf\": \"20y\", \"mttr\": \"4h\" } }");
        }
        for (key, value) in members(node) {
            let Some(kind) = mechanisms::find(&key.name) else {
                self.unknown_kind(key, None);
                continue;
            };
            if let Some(spec) = self.decode_reporting_all(value, &[], from_node::<FailureSpec>) {
                out.insert(kind.info().name, spec);
            }
        }
    }

    fn unknown_kind(&mut self, key: &Key, section: Option<Section>) {
        let names: Vec<&str> = mechanisms::all()
            .filter(|k| section.is_none_or(|s| k.info().section == s))
            .map(|k| k.info().name)
            .collect();
        let help = did_you_mean(&key.name, names.iter().copied())
            .unwrap_or_else(|| format!("known kinds: {}", names.join(", ")));
        self.diagnostics.push(
            Diagnostic::error(Code::UnknownKind, key.span, format!("unknown kind \"{}\"", key.name)).with_help(help),
        );
    }

    fn section(&mut self, section: Section, node: &Node) {
        match (&node.value, section) {
            (Value::Array(items), Section::Links) => {
                let mut seen: BTreeMap<String, u32> = BTreeMap::new();
                for item in items {
                    let (mut id, generated) = auto_link_id(item);
                    if generated {
                        // Parallel links get "a~b", "a~b#2", ...
                        let n = seen.entry(id.value.clone()).or_insert(0);
                        *n += 1;
                        if *n > 1 {
                            id.value = format!("{}#{n}", id.value);
                        }
                    }
                    self.entry(section, id, item, generated);
                }
            }
            (_, Section::Links) => {
                self.wrong_type(node, "a list", "write \"links\": [ { \"between\": [\"sw-1\", \"sw-2\"] } ]")
            }
            (Value::Object(members), _) => {
                self.section_ids = members.iter().map(|(k, _)| k.name.clone()).collect();
                for (key, value) in members {
                    self.entry(section, Spanned { span: key.span, value: key.name.clone() }, value, false);
                }
                self.section_ids.clear();
            }
            _ => self.wrong_type(
                node,
                "an object keyed by id",
                &format!("write \"{}\": {{ \"my-id\": {{ ... }} }}", section.key()),
            ),
        }
    }

    /// Decodes one entry; an entry that fails to decode still defines its id, so
    /// references to it do not cascade into "unknown id" errors (one typo, one error).
    fn entry(&mut self, section: Section, id: Spanned<String>, node: &Node, generated: bool) {
        let name = id.value.clone();
        if !self.decoded_entry(section, id, node, generated) {
            self.builder.broken(name);
        }
    }

    /// Whether the entry decoded and was queued for lowering.
    fn decoded_entry(&mut self, section: Section, id: Spanned<String>, node: &Node, generated: bool) -> bool {
        if !generated && !valid_id(&id.value) {
            self.diagnostics.push(
                Diagnostic::error(Code::ImpossibleValue, id.span, format!("invalid id \"{}\"", id.value))
                    .with_help("ids use letters, digits, '-', '_' and '.', e.g. \"web-1\" ('/' and '~' are reserved for generated parts)"),
            );
            return false;
        }
        if !matches!(node.value, Value::Object(_)) {
            self.wrong_type(node, "an object", "describe the entry as { \"kind\": \"...\", ... }");
            return false;
        }
        let kind = match section.implied_kind() {
            Some(k) => mechanisms::find(k),
            None => match node.get("kind") {
                None => {
                    let names: Vec<&str> =
                        mechanisms::all().filter(|k| k.info().section == section).map(|k| k.info().name).collect();
                    let near = self
                        .layered
                        .then(|| {
                            did_you_mean(
                                &id.value,
                                self.section_ids.iter().map(String::as_str).filter(|o| *o != id.value),
                            )
                        })
                        .flatten();
                    let help = match near {
                        Some(near) => format!(
                            "to change an entry of the base file, name it exactly: {near} To add a new entry, say what \"{}\" is: one of {}",
                            id.value,
                            names.join(", ")
                        ),
                        None => format!("say what \"{}\" is: one of {}", id.value, names.join(", ")),
                    };
                    self.diagnostics.push(
                        Diagnostic::error(Code::MissingField, node.span.head(), "missing field \"kind\"")
                            .with_help(help),
                    );
                    return false;
                }
                Some((_, kind_node)) => match kind_node.as_str() {
                    None => {
                        self.wrong_type(kind_node, "a string", "write \"kind\": \"switch\" (or another kind)");
                        return false;
                    }
                    Some(name) => match mechanisms::find(name).filter(|k| k.info().section == section) {
                        Some(k) => Some(k),
                        None => {
                            let key = Key { name: name.to_string(), span: kind_node.span };
                            match mechanisms::find(name) {
                                Some(k) => self.diagnostics.push(
                                    Diagnostic::error(
                                        Code::UnknownKind,
                                        kind_node.span,
                                        format!(
                                            "kind \"{name}\" belongs in \"{}\", not \"{}\"",
                                            k.info().section.key(),
                                            section.key()
                                        ),
                                    )
                                    .with_help(format!(
                                        "move \"{}\" to the \"{}\" section",
                                        id.value,
                                        k.info().section.key()
                                    )),
                                ),
                                None => self.unknown_kind(&key, Some(section)),
                            }
                            return false;
                        }
                    },
                },
            },
        };
        let Some(kind) = kind else { return false };
        let common_fields = if section.makes_elements() { COMMON_FIELDS } else { GROUP_COMMON_FIELDS };
        let common_node = filtered(node, |k| common_fields.contains(&k));
        let spec_node = filtered(node, |k| k != "kind" && !common_fields.contains(&k));
        let common = self.decode_reporting_all(&common_node, &[], from_node::<CommonSpec>);
        // The help lists `restart` only for kinds that boot (a PSU, a PDU or an ATS refuse it).
        let suggested: Vec<&str> =
            common_fields.iter().copied().filter(|f| *f != "restart" || kind.info().restart.is_some()).collect();
        let spec = self.decode_reporting_all(&spec_node, &suggested, |n| kind.decode(n));
        match (common, spec) {
            (Some(common), Some(spec)) => {
                self.entries.push(Entry { id, kind, common, spec });
                true
            }
            _ => false,
        }
    }

    fn lower_all(&mut self, defaults: &BTreeMap<&'static str, FailureSpec>) {
        let b = &mut self.builder;
        // Kind defaults: built-in, then the scenario's `defaults`.
        for kind in mechanisms::all() {
            let info = kind.info();
            let base = builtin_failure(info.failure);
            let resolved = match defaults.get(info.name) {
                Some(spec) => match resolve_failure(spec, base) {
                    Ok(f) => f,
                    Err(e) => {
                        b.error(Code::ImpossibleValue, e.span, e.message, e.help);
                        base
                    }
                },
                None => base,
            };
            b.kind_failure.insert(info.name, resolved);
            match mechanisms::restart::kind_restart_secs(info, defaults.get(info.name)) {
                Ok(secs) => {
                    b.kind_restart_secs.insert(info.name, secs);
                }
                Err(e) => b.error(e.code, e.span, e.message, e.help),
            }
        }
        // Lower by section, then registry order, so parts written inline (`web-1/web`)
        // exist before anything refers to them, whatever the order of the text.
        let rank =
            |k: &'static dyn Kind| mechanisms::all().position(|m| m.info().name == k.info().name).unwrap_or(usize::MAX);
        self.entries.sort_by_key(|e| (e.kind.info().section, rank(e.kind)));
        let b = &mut self.builder;
        // Declare every id first so references resolve whatever the order.
        let mut targets = Vec::with_capacity(self.entries.len());
        for entry in &self.entries {
            let info = entry.kind.info();
            let target = match info.section {
                Section::Groups => Target::Group(b.new_group(entry.id.value.clone(), info.name, entry.id.span)),
                Section::Services => {
                    let idx = b.model.services.len() as u32;
                    b.model.services.push(model::Service {
                        name: entry.id.value.clone(),
                        from: model::ElementId(0),
                        through: Vec::new(),
                        needs: Req::Always,
                        span: entry.id.span,
                    });
                    Target::Service(idx)
                }
                _ => {
                    let id = b.new_element(entry.id.value.clone(), info.name, info.layer, entry.id.span);
                    let base = b.kind_failure.get(info.name).copied().flatten();
                    match resolve_failure(&entry.common.failure(), base) {
                        Ok(f) => b.model.elements[id.0 as usize].failure = f,
                        Err(e) => b.error(Code::ImpossibleValue, e.span, e.message, e.help),
                    }
                    let kind_secs = b.kind_restart_secs.get(info.name).copied().unwrap_or(0.0);
                    match mechanisms::restart::element_restart_secs(info, &entry.common, kind_secs) {
                        Ok(secs) => {
                            b.model.elements[id.0 as usize].restart_secs = secs;
                            if let Some(r) = &entry.common.restart {
                                b.explicit_restarts.push((id, r.span));
                            }
                        }
                        Err(e) => b.error(e.code, e.span, e.message, e.help),
                    }
                    Target::Element(id)
                }
            };
            targets.push(if b.declare(&entry.id, info.name, target) { Some(target) } else { None });
        }
        // Sites first, so every other element can depend on its site.
        for (entry, target) in self.entries.iter().zip(targets) {
            let Some(target) = target else { continue };
            let site = entry.common.site.as_ref().and_then(|s| match b.resolve(s, &["site"], "a site") {
                Some(Target::Element(site)) => Some(site),
                _ => None,
            });
            let mut cx = LowerCx { builder: b, me: target, span: entry.id.span, site };
            if let (Some(site), Target::Element(me)) = (site, target) {
                cx.builder.model.elements[me.0 as usize].site = Some(site);
                cx.need(me, Req::Element(site), EdgeKind::Site);
            }
            entry.spec.lower(&mut cx);
        }
        for finish in mechanisms::FINISHERS {
            finish(b);
        }
    }

    fn expectations(&mut self, specs: &[ExpectSpec], drills: &[&str]) {
        for spec in specs {
            let service = spec.service.as_ref().and_then(|s| {
                match self.builder.resolve(s, &["service"], "an expectation's service") {
                    Some(Target::Service(i)) => Some(i as usize),
                    _ => None,
                }
            });
            let spofs = spec.spofs.as_ref().map(|names| {
                let mut ids: Vec<ElementId> =
                    names.iter().filter_map(|n| self.any_element(n, "an expected SPOF")).collect();
                ids.sort();
                ids.dedup();
                ids
            });
            let mut findings = Vec::new();
            for name in spec.findings.iter().flatten() {
                match toplevel::finding_code(name) {
                    Ok(code) if !findings.contains(&code) => findings.push(code),
                    Ok(_) => {}
                    Err(d) => self.diagnostics.push(d),
                }
            }
            findings.sort();
            if let Some(d) = spec.check(drills) {
                self.diagnostics.push(d);
            } else if let Some(e) = spec.lower(service, spofs, findings) {
                self.builder.model.expectations.push(e);
            }
        }
    }

    /// A component, link or site by id, or a diagnostic saying what `name` is instead.
    fn any_element(&mut self, name: &Spanned<String>, role: &str) -> Option<ElementId> {
        match self.builder.lookup(&name.value) {
            Some((Target::Element(e), _)) => Some(e),
            Some((t, kind)) => {
                let (what, help) = match t {
                    Target::Group(_) => (format!("a group ({kind})"), "name a member of the group instead"),
                    _ => ("a service".to_string(), "name a component the service depends on"),
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::WrongKind,
                        name.span,
                        format!("\"{}\" is {what}; {role} is a component, link or site", name.value),
                    )
                    .with_help(help),
                );
                None
            }
            None => {
                self.builder.resolve(name, &[], "a component");
                None
            }
        }
    }

    fn drills(&mut self, specs: &[DrillSpec]) {
        for spec in specs {
            if let Some(d) = spec.check() {
                self.diagnostics.push(d);
                continue;
            }
            if let Some(name) = spec.name.as_ref().filter(|n| !valid_id(&n.value)) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::ImpossibleValue,
                        name.span,
                        format!("a drill's name must be an id (letters, digits, - _ . :), not \"{}\"", name.value),
                    )
                    .with_help("name it like \"core-switch-dies\""),
                );
            }
            if let Some(e) = self.any_element(&spec.fail, "a drill's target") {
                if let Some(flag) = spec.read_error.as_ref().filter(|f| f.value) {
                    let raid = self.builder.model.groups.iter().find_map(|g| match (&g.dynamics, &g.arrangement) {
                        (
                            Some(Dynamics::Rebuild { read_errors: Some(risk), .. }),
                            model::Arrangement::ActiveActive { need },
                        ) if g.members.contains(&e) => Some((g.name.clone(), *risk, g.members.len(), *need as usize)),
                        _ => None,
                    });
                    if raid.is_none() {
                        self.diagnostics.push(
                            Diagnostic::error(
                                Code::ImpossibleValue,
                                flag.span,
                                format!(
                                    "\"read_error\" rehearses a failed RAID rebuild, but {} is not a disk of a RAID group with \"disk_size_tb\"",
                                    spec.fail.value
                                ),
                            )
                            .with_help("fail a disk of a RAID group and give the group \"disk_size_tb\", or drop \"read_error\""),
                        );
                        continue;
                    }
                }
                self.builder.model.drills.push(spec.lower(e));
            }
        }
        self.unexposed_read_error_drills();
    }

    /// A `read_error` drill whose rebuild keeps redundancy (RAID6 after one loss, a
    /// three-way mirror) rehearses nothing unless its rehearsal fails another disk of
    /// the group too.
    fn unexposed_read_error_drills(&mut self) {
        let model = &self.builder.model;
        let mut warnings = Vec::new();
        for d in model.drills.iter().filter(|d| d.read_error) {
            let Some(g) = model.groups.iter().find(|g| g.members.contains(&d.element)) else { continue };
            let (Some(Dynamics::Rebuild { read_errors: Some(risk), .. }), model::Arrangement::ActiveActive { need }) =
                (&g.dynamics, &g.arrangement)
            else {
                continue;
            };
            let others_in_rehearsal = model
                .drills
                .iter()
                .filter(|o| {
                    o.name.is_some() && o.name == d.name && o.element != d.element && g.members.contains(&o.element)
                })
                .count();
            if !risk.exposed(g.members.len() - 1 - others_in_rehearsal, *need as usize) {
                let disk = &model.element(d.element).name;
                warnings.push(
                    Diagnostic::warning(
                        d.span,
                        format!(
                            "{} still has redundancy while {disk} is rebuilt, so that rebuild corrects a read error: the drill loses nothing",
                            g.name
                        ),
                    )
                    .with_help(format!(
                        "fail more disks of {} in the same rehearsal (drills that share a \"name\" run together) so the rebuild has no redundancy left",
                        g.name
                    )),
                );
            }
        }
        self.diagnostics.extend(warnings);
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.chars().all(|c| c.is_alphanumeric() || "-_.:".contains(c))
}

/// Links may omit an id: "a~b" from their endpoints (with the span of the entry).
fn auto_link_id(item: &Node) -> (Spanned<String>, bool) {
    if let Some((_, id)) = item.get("id") {
        if let Some(s) = id.as_str() {
            return (Spanned { span: id.span, value: s.to_string() }, false);
        }
    }
    let ends: Vec<&str> = match item.get("between") {
        Some((_, Node { value: Value::Array(items), .. })) => items.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    };
    (Spanned { span: item.span.head(), value: ends.join("~") }, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reverses the member order of every object (lists keep their order: it matters).
    fn reversed(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => {
                serde_json::Value::Object(m.iter().rev().map(|(k, v)| (k.clone(), reversed(v))).collect())
            }
            serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(reversed).collect()),
            other => other.clone(),
        }
    }

    #[test]
    fn model_does_not_depend_on_member_order() {
        let text = include_str!("../../../scenarios/full-single-site.jsonc");
        let forward = load(text).model.expect("loads");
        let json = syntax::parse(text).0.expect("parses").to_json();
        let backward = load(&serde_json::to_string_pretty(&reversed(&json)).unwrap()).model.expect("reordered loads");
        assert_eq!(forward.summary(), backward.summary());
        let options = crate::export::DiagramOptions::default();
        assert_eq!(crate::export::to_dot(&forward, &options), crate::export::to_dot(&backward, &options));
    }

    #[test]
    fn errors_discard_the_model_but_keep_every_diagnostic() {
        let loaded =
            load(r#"{ "components": { "a": { "kind": "swich" }, "b": { "kind": "pdu", "from": "nowhere" } } }"#);
        assert!(loaded.model.is_none());
        let messages: Vec<&str> = loaded.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["unknown kind \"swich\"", "unknown id \"nowhere\""]);
    }
}
