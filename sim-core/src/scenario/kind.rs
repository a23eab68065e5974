//! The mechanism plug-in interface: a kind declares its vocabulary (a serde/schemars
//! spec struct plus [`KindInfo`]) and how it lowers into the model.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use crate::de::{from_node, DeError};
use crate::model::{Layer, LowerCx};
use crate::syntax::Node;

/// The top-level section a kind is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Sites,
    Components,
    Links,
    Groups,
    Monitors,
    Backups,
    Services,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Sites,
        Section::Components,
        Section::Links,
        Section::Groups,
        Section::Monitors,
        Section::Backups,
        Section::Services,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Section::Sites => "sites",
            Section::Components => "components",
            Section::Links => "links",
            Section::Groups => "groups",
            Section::Monitors => "monitors",
            Section::Backups => "backups",
            Section::Services => "services",
        }
    }

    /// Sections whose entries all have one kind, so `"kind"` is not written.
    pub fn implied_kind(self) -> Option<&'static str> {
        match self {
            Section::Sites => Some("site"),
            Section::Links => Some("link"),
            Section::Monitors => Some("monitor"),
            Section::Backups => Some("backup"),
            Section::Services => Some("service"),
            Section::Components | Section::Groups => None,
        }
    }

    /// Whether entries become failable elements (otherwise groups or services).
    pub fn makes_elements(self) -> bool {
        !matches!(self, Section::Groups | Section::Services)
    }
}

/// What a kind is, for the registry, the schema, the docs and the GUI.
#[derive(Debug)]
pub struct KindInfo {
    pub name: &'static str,
    pub section: Section,
    pub layer: Layer,
    /// One sentence for the schema and `explain`.
    pub doc: &'static str,
    /// Built-in MTBF and MTTR ("5y", "4h"); `None` for things that do not fail alone.
    pub failure: Option<(&'static str, &'static str)>,
    /// Built-in time to return to service once its power is back: power-on
    /// self test, boot, services started ("5m"); `None`: at once
    /// (`mechanisms::restart`).
    pub restart: Option<&'static str>,
}

/// A kind's spec: the fields an architect writes, and how they lower into the model.
pub trait Spec: DeserializeOwned + schemars::JsonSchema + 'static {
    const INFO: KindInfo;
    fn lower(&self, cx: &mut LowerCx);
}

/// A decoded declaration, ready to lower.
pub trait Lower {
    fn lower(&self, cx: &mut LowerCx);
}

impl<S: Spec> Lower for S {
    fn lower(&self, cx: &mut LowerCx) {
        Spec::lower(self, cx)
    }
}

/// Type-erased kind, as stored in the registry.
pub trait Kind: Sync {
    fn info(&self) -> &'static KindInfo;
    fn decode(&self, node: &Node) -> Result<Box<dyn Lower>, DeError>;
    fn schema(&self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema;
}

/// The registry entry for spec `S`: `&KindOf::<BondSpec>::NEW`.
pub struct KindOf<S>(PhantomData<fn() -> S>);

impl<S> KindOf<S> {
    pub const NEW: KindOf<S> = KindOf(PhantomData);
}

impl<S: Spec> Kind for KindOf<S> {
    fn info(&self) -> &'static KindInfo {
        &S::INFO
    }

    fn decode(&self, node: &Node) -> Result<Box<dyn Lower>, DeError> {
        Ok(Box::new(from_node::<S>(node)?))
    }

    fn schema(&self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        S::json_schema(generator)
    }
}
