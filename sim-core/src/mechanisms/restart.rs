//! Restart after a power loss: a device that boots (server, switch, router, firewall,
//! load balancer, storage array, DNS server, quorum device) is not back the instant its
//! power returns. It runs its power-on self test, boots and starts its services first,
//! for `restart` (each kind's default is in its `KindInfo`, with its source beside it).
//!
//! - **Vocabulary:** `restart` (a duration) on the entry, or on the kind in `defaults`.
//!   Kinds that do not boot (links, PSUs, PDUs, processes, groups) refuse it.
//! - **Lowering:** [`crate::model::Element::restart_secs`]: entry, else the scenario's
//!   `defaults`, else the kind's built-in value.
//! - **Timing (simulator):** when a device's PSUs lost their power while the device
//!   itself worked, it stays down for `restart` more once its needs hold again; a
//!   second loss meanwhile starts the count again. A device whose power is not
//!   modelled (no `power`) never restarts. A device repaired after its own failure is
//!   back at once (its MTTR includes the boot). `--ideal` restarts at once.
//! - **Analyzer:** the exact figure restarts at once (a static view); the figure with
//!   timings adds each failure's restart through its drill, like a failover delay.

use crate::diagnostics::Code;
use crate::scenario::{CommonSpec, FailureSpec, KindInfo};
use crate::syntax::Span;
use crate::units::parse_duration;

/// A `restart` written where it does not apply: the span, the message and the help.
pub struct RestartError {
    pub code: Code,
    pub span: Span,
    pub message: String,
    pub help: String,
}

/// The kinds that boot, for help texts: those with a built-in restart.
fn booting_kinds() -> String {
    let names: Vec<&str> = super::all().map(|k| k.info()).filter(|i| i.restart.is_some()).map(|i| i.name).collect();
    names.join(", ")
}

/// A kind's restart once the scenario's `defaults` apply: its built-in value unless the
/// defaults give one. An error when the defaults give one to a kind that does not boot.
pub fn kind_restart_secs(info: &KindInfo, defaults: Option<&FailureSpec>) -> Result<f64, RestartError> {
    let builtin = info.restart.and_then(|d| parse_duration(d).ok()).map_or(0.0, |d| d.secs);
    match defaults.and_then(|d| d.restart.as_ref()) {
        None => Ok(builtin),
        Some(r) if info.restart.is_some() => Ok(r.value.secs),
        Some(r) => Err(not_booting(info.name, r.span)),
    }
}

/// An element's restart: its own `restart`, else its kind's ([`kind_restart_secs`]).
pub fn element_restart_secs(info: &KindInfo, common: &CommonSpec, kind_secs: f64) -> Result<f64, RestartError> {
    match &common.restart {
        None => Ok(kind_secs),
        Some(r) if info.restart.is_some() => Ok(r.value.secs),
        Some(r) => Err(not_booting(info.name, r.span)),
    }
}

/// Warns about a `restart` given to a device whose power is not modelled: it never
/// loses power, so the boot never happens (runs after `power::finish`).
pub fn finish(b: &mut crate::model::ModelBuilder) {
    for (e, span) in std::mem::take(&mut b.explicit_restarts) {
        if b.model.elements[e.0 as usize].psus.is_empty() {
            let name = b.model.elements[e.0 as usize].name.clone();
            b.diagnostics.push(
                crate::diagnostics::Diagnostic::warning(
                    span,
                    format!("\"{name}\" never restarts: its power is not modelled"),
                )
                .with_help(
                    "add \"power\": [...] (its PDUs, UPSes or feeds) so losing them makes it boot, or remove `restart`",
                ),
            );
        }
    }
}

fn not_booting(kind: &str, span: Span) -> RestartError {
    RestartError {
        code: Code::ImpossibleValue,
        span,
        message: format!(
            "{} {kind} does not boot: `restart` applies to devices that restart after a power loss",
            if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
        ),
        help: format!("remove it; kinds that take `restart`: {}", booting_kinds()),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;

    fn load(text: &str) -> Result<Model, Vec<String>> {
        let loaded = crate::load(text);
        loaded.model.ok_or_else(|| loaded.diagnostics.iter().map(|d| d.message.clone()).collect())
    }

    const BASE: &str = r#""internet": {"kind": "entry"}, "feed": {"kind": "power-feed"},
        "pdu": {"kind": "pdu", "from": "feed"}"#;

    fn restart_of(model: &Model, name: &str) -> f64 {
        model.element_by_name(name).unwrap().restart_secs
    }

    #[test]
    fn entry_then_defaults_then_the_kind() {
        let text = format!(
            r#"{{ "defaults": {{ "switch": {{ "restart": "7m" }} }},
              "components": {{ {BASE},
                "sw": {{"kind": "switch", "power": ["pdu"]}},
                "web": {{"kind": "server", "power": ["pdu"], "nics": ["sw"], "runs": ["web"], "restart": "90s"}},
                "app": {{"kind": "server", "power": ["pdu"], "nics": ["sw"], "runs": ["ap"]}} }},
              "links": [{{"between": ["internet", "sw"]}}],
              "services": {{ "s": {{"from": "internet", "through": ["web/web", "app/ap"]}} }} }}"#
        );
        let model = load(&text).unwrap();
        assert_eq!(restart_of(&model, "sw"), 420.0);
        assert_eq!(restart_of(&model, "web"), 90.0);
        let server = crate::mechanisms::find("server").unwrap().info().restart.unwrap();
        assert_eq!(restart_of(&model, "app"), crate::units::parse_duration(server).unwrap().secs);
        assert_eq!(restart_of(&model, "web/web"), 0.0, "a process starts with its host");
        assert_eq!(restart_of(&model, "pdu"), 0.0);
        // The PSUs whose loss restarts it survive the model's renumbering.
        let psus: Vec<&str> = model
            .element_by_name("web")
            .unwrap()
            .psus
            .iter()
            .map(|p| model.elements[p.0 as usize].name.as_str())
            .collect();
        assert_eq!(psus, ["web/psu-1"]);
    }

    #[test]
    fn kinds_that_do_not_boot_refuse_it() {
        let text = format!(
            r#"{{ "defaults": {{ "psu": {{ "restart": "1m" }} }},
              "components": {{ {BASE}, "sw": {{"kind": "switch", "power": ["pdu"]}},
                "web": {{"kind": "server", "nics": ["sw"], "runs": ["web"]}} }},
              "links": [{{"between": ["internet", "sw"], "restart": "1m"}}],
              "services": {{ "s": {{"from": "internet", "through": ["web/web"]}} }} }}"#
        );
        let errors = load(&text).unwrap_err();
        assert_eq!(errors.iter().filter(|m| m.contains("does not boot")).count(), 2, "{errors:#?}");
        assert!(errors.iter().any(|m| m.contains("a psu does not boot")), "{errors:#?}");
        assert!(errors.iter().any(|m| m.contains("a link does not boot")), "{errors:#?}");
    }
}
