//! Session replication between AP servers (Oracle WebLogic Server, 'HTTP Session State
//! Replication'): each session has a primary copy on the serving member and a secondary on
//! another, so a failover keeps it.
//! Without replication, persistence (cookie, session table) loses sessions on failover.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Arrangement, Attr, Layer, LowerCx};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};

pub static KINDS: &[&dyn Kind] = &[&KindOf::<SessionReplicationSpec>::NEW];

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SessionMode {
    /// One secondary copy on another member (WebLogic/Tomcat style).
    #[default]
    PrimarySecondary,
    /// Every member holds every session.
    AllToAll,
}

/// Session replication across AP servers.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionReplicationSpec {
    /// The AP servers or processes that share sessions (at least two).
    pub members: Vec<Ref>,
    /// "primary-secondary" (default: one secondary copy on another member) or
    /// "all-to-all" (every member holds every session).
    #[serde(default)]
    pub mode: SessionMode,
}

impl Spec for SessionReplicationSpec {
    const INFO: KindInfo = KindInfo {
        name: "session-replication",
        section: Section::Groups,
        layer: Layer::Software,
        doc: "Session replication: sessions survive the loss of their server.",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        super::check_distinct(cx, &self.members, "session replication");
        let members =
            super::resolve_elements(cx, &self.members, &["server", "process"], "a session-replication member");
        if self.members.len() < 2 {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "session replication needs at least two members",
                "list the AP servers that hold each other's sessions",
            );
            return;
        }
        cx.set_members(members);
        if let Some(g) = cx.group_mut() {
            g.arrangement = Arrangement::ActiveActive { need: 1 };
        }
        let mode = match self.mode {
            SessionMode::PrimarySecondary => "primary-secondary",
            SessionMode::AllToAll => "all-to-all",
        };
        cx.attr("mode", Attr::Text(mode.into()));
    }
}

/// Simulated timing: replicated sessions survive a member's loss with no gap.
pub fn profile(_: &crate::model::Model, _: &crate::model::Group) -> crate::simulate::SimProfile {
    crate::simulate::SimProfile::plain(crate::simulate::Behaviour::Absorb)
}

/// Sessions held by `member` are replicated to another member of a session group.
pub fn replicated(model: &crate::model::Model, member: crate::model::ElementId) -> bool {
    model.groups.iter().any(|o| o.kind == "session-replication" && o.members.contains(&member) && o.members.len() > 1)
}
