//! The report folder's `index.html`: one self-contained page (no scripts, no external
//! files; the plots are inlined as SVG) with the expectations, single points of
//! failure, lint findings, the simulation's figures and every plot.

use std::fmt::Write;

use sim_core::check::ScenarioCheck;
use sim_core::simulate::SimReport;
use sim_core::units::Duration;

use crate::plots::Written;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn human(secs: f64) -> String {
    Duration::from_secs(secs).human()
}

pub fn render(
    path: &str,
    hash: &str,
    check: &ScenarioCheck,
    sim: &SimReport,
    plots: &[Written],
    topology: &super::folder::Topology,
) -> String {
    let mut o = String::new();
    let title = format!("spofsim report: {}", sim.scenario);
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>\
body{{font-family:sans-serif;max-width:1040px;margin:2em auto;color:#222}}\
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}\
.fail{{color:#b00;font-weight:bold}}.pass{{color:#070}}figure{{margin:2em 0}}svg{{max-width:100%;height:auto}}\
</style></head><body>\n<h1>{}</h1>\n<p>Scenario <code>{}</code> ({}), spofsim {}; simulation: {} replications × {} years = {} simulated years, seed {}.</p>\n",
        esc(&title),
        esc(&title),
        esc(path),
        esc(hash),
        sim_core::VERSION,
        sim.replications,
        sim.years,
        sim.simulated_years,
        sim.seed
    );
    let _ = writeln!(o, "<h2>Expectations</h2>");
    if check.verdicts.is_empty() {
        let _ = writeln!(o, "<p>The scenario states no expectations.</p>");
    } else {
        let _ = writeln!(
            o,
            "<table><tr><th>service</th><th>expectation</th><th>target</th><th>measured</th><th>measured by</th><th>verdict</th></tr>"
        );
        for v in &check.verdicts {
            let measured = v.measured_cell();
            let (class, verdict) = if v.passed { ("pass", "pass") } else { ("fail", "FAIL") };
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{verdict}</td></tr>",
                esc(v.service.as_deref().unwrap_or("(design)")),
                v.measure,
                esc(&v.target),
                esc(&measured),
                esc(v.measured_by)
            );
        }
        let _ = writeln!(o, "</table>");
    }
    let _ = writeln!(o, "<h2>Single points of failure ({})</h2>", check.spofs.len());
    if check.spofs.is_empty() {
        let _ = writeln!(o, "<p>None.</p>");
    } else {
        let _ = writeln!(o, "<ul>");
        for s in &check.spofs {
            let accepted =
                s.suppressed.as_ref().map_or(String::new(), |why| format!(" <em>(accepted: {})</em>", esc(why)));
            let _ = writeln!(
                o,
                "<li><b>{}</b> ({}): {}{accepted}</li>",
                esc(&s.element),
                s.kind,
                esc(&s.blast.chain_text())
            );
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "<h2>Topology</h2>");
    match &topology.svg {
        Some(svg) => {
            let _ = writeln!(
                o,
                "<figure id=\"topology\">\n{}\n<figcaption>The design: single points of failure in red (accepted ones in orange); each server's parts are folded into it (<code>spofsim export FILE --to dot --expand</code> unfolds them). <a href=\"topology.svg\">SVG</a>, <a href=\"topology.dot\">DOT</a>.</figcaption></figure>",
                strip_xml_header(svg)
            );
        }
        None => {
            let _ = writeln!(
                o,
                "<p>Graphviz was not found, so the picture is not drawn: render <code>topology.dot</code> with <code>dot -Tsvg topology.dot &gt; topology.svg</code> (single points of failure are marked in red).</p>\n<details><summary>DOT source</summary><pre>{}</pre></details>",
                esc(&topology.dot)
            );
        }
    }
    let _ = writeln!(o, "<h2>Design lints ({})</h2>", check.lints.len());
    if !check.lints.is_empty() {
        let _ = writeln!(o, "<table><tr><th>code</th><th>rule</th><th>subject</th><th>finding</th><th>fix</th></tr>");
        for f in &check.lints {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td></tr>",
                f.code,
                f.name,
                esc(&f.subject),
                esc(&f.message),
                f.suppressed.as_ref().map_or(String::new(), |why| format!(" <em>(accepted: {})</em>", esc(why))),
                esc(f.fix)
            );
        }
        let _ = writeln!(o, "</table>");
    }
    let _ = writeln!(o, "<h2>Simulation</h2>\n<table><tr><th>service</th><th>availability (95% CI)</th><th>downtime/year mean · p95 · p99</th><th>outages/year</th><th>MTTR</th><th>longest outage</th><th>worst data loss</th><th>split brain</th></tr>");
    for s in &sim.services {
        let d = &s.downtime_secs_per_year;
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{:.5}% ({})</td><td>{} · {} · {}</td><td>{:.3}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.name),
            s.availability * 100.0,
            super::ci95_text(s.availability_ci95, sim.simulated_years, sim.random_failures, " – "),
            human(d.mean),
            human(d.p95),
            human(d.p99),
            s.outages_per_year,
            s.mttr_secs.map_or("-".into(), human),
            human(s.max_outage_secs),
            if s.total_losses > 0 {
                "all data lost".into()
            } else if s.rpo_events == 0 {
                "none".into()
            } else {
                human(s.max_data_lost_secs)
            },
            match (s.split_brain_events, s.dual_master_events) {
                (0, 0) => "none".to_string(),
                (n, 0) => format!("{n} events, {} with two actives", human(s.split_brain_secs)),
                (0, d) => format!(
                    "none; two VRRP/HSRP masters: {d} events, {} ({})",
                    human(s.dual_master_secs),
                    super::dual_master_caveat(s.dual_master_secs)
                ),
                (n, d) => format!(
                    "{n} events, {} with two actives; two VRRP/HSRP masters: {d} events, {} ({})",
                    human(s.split_brain_secs),
                    human(s.dual_master_secs),
                    super::dual_master_caveat(s.dual_master_secs)
                ),
            }
        );
    }
    let _ = writeln!(o, "</table>\n<h2>Plots</h2>");
    for p in plots {
        let _ = writeln!(
            o,
            "<figure id=\"{}\">\n{}\n<figcaption>{} (<a href=\"{}.png\">PNG</a>, <a href=\"{}.svg\">SVG</a>)</figcaption></figure>",
            esc(&p.stem),
            strip_xml_header(&p.svg),
            esc(&p.title),
            esc(&p.stem),
            esc(&p.stem)
        );
    }
    let _ = writeln!(o, "</body></html>");
    o
}

fn strip_xml_header(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}
