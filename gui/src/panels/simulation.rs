//! Simulation: years, replications and seed; Run runs the discrete-event simulation a
//! few replications per frame (progress bar, Cancel), then shows per-service figures
//! and plots (egui_plot): downtime per year, outage durations by mechanism, downtime
//! attribution, and each service's worst simulated year as a timeline (the year the
//! CLI's `report` draws).

use egui_plot::{Bar, BarChart, Legend, Plot};
use sim_core::simulate::record::{IntervalState, OUTAGE_BIN_LABELS};
use sim_core::simulate::{SimReport, WorstYear};

use crate::app::App;
use crate::style::{AMBER, SPOF_RED};

/// Wall time spent simulating per frame, so the UI stays responsive (~30 fps).
pub const FRAME_BUDGET_SECS: f64 = 0.03;

const PLOT_HEIGHT: f32 = 170.0;

pub fn simulation_ui(ui: &mut egui::Ui, app: &mut App) {
    let Some(facts) = &app.doc.facts else {
        ui.label("The design has errors; see the editor.");
        return;
    };
    let model = facts.model.clone();
    let running = app.sim.is_running();
    egui::Grid::new("sim-settings").num_columns(2).show(ui, |ui| {
        let s = &mut app.settings.sim;
        ui.label("years per replication");
        ui.add_enabled(!running, egui::DragValue::new(&mut s.years).range(1..=10_000));
        ui.end_row();
        ui.label("replications");
        ui.add_enabled(!running, egui::DragValue::new(&mut s.replications).range(1..=100_000));
        ui.end_row();
        ui.label("seed");
        ui.add_enabled(!running, egui::DragValue::new(&mut s.seed));
        ui.end_row();
    });
    ui.horizontal(|ui| {
        if running {
            if ui.button("Cancel").clicked() {
                app.sim.cancel();
                app.report("simulation cancelled".into());
            }
        } else if ui.button("Run simulation").clicked() {
            app.sim.start(model.clone(), &app.settings.sim);
        }
    });
    if running {
        let (done, total) = app.sim.progress();
        ui.add(
            egui::ProgressBar::new(done as f32 / total.max(1) as f32).text(format!("{done} / {total} replications")),
        );
    }
    let Some((settings, report)) = &app.sim.report else {
        ui.weak("No run yet. The same seed gives the same figures as `spofsim simulate --seed`.");
        return;
    };
    ui.separator();
    ui.label(format!(
        "seed {} · {} replications × {} years = {} simulated years · {} events",
        report.seed, report.replications, report.years, report.simulated_years, report.events
    ));
    if settings != &app.settings.sim {
        ui.weak("(figures of the last run; the settings above changed since)");
    }
    results_ui(ui, report, &app.sim.worst);
}

/// `worst`: each service's worst year (report order), or empty for replication 0's
/// first year.
fn results_ui(ui: &mut egui::Ui, report: &SimReport, worst: &[WorstYear]) {
    // What the figures rest on, before the figures.
    for n in &report.notes {
        ui.label(egui::RichText::new(format!("note: {n}")).weak());
    }
    egui::Grid::new("sim-results").num_columns(5).striped(true).show(ui, |ui| {
        for h in ["service", "availability", "mean downtime / yr", "p99 downtime / yr", "outages / yr"] {
            ui.strong(h);
        }
        ui.end_row();
        for s in &report.services {
            let d = |secs: f64| sim_core::units::Duration::from_secs(secs).to_string();
            ui.label(&s.name);
            ui.label(crate::analysis::percent(s.availability));
            ui.label(d(s.downtime_secs_per_year.mean));
            ui.label(d(s.downtime_secs_per_year.p99));
            ui.label(format!("{:.2}", s.outages_per_year));
            ui.end_row();
        }
    });
    for (index, s) in report.services.iter().enumerate() {
        ui.separator();
        ui.strong(format!("service {}", s.name));
        let bins = |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < OUTAGE_BIN_LABELS.len() {
                OUTAGE_BIN_LABELS[i as usize].to_string()
            } else {
                String::new()
            }
        };
        ui.label("Downtime per simulated year (years by their total downtime)");
        let years: Vec<Bar> =
            s.downtime_histogram.iter().enumerate().map(|(i, &n)| Bar::new(i as f64, n as f64).width(0.7)).collect();
        Plot::new(("downtime", &s.name)).height(PLOT_HEIGHT).x_axis_formatter(bins).allow_scroll(false).show(ui, |p| {
            p.bar_chart(BarChart::new("years", years).color(SPOF_RED));
        });
        ui.label("Outage durations by mechanism");
        Plot::new(("outages", &s.name))
            .height(PLOT_HEIGHT)
            .legend(Legend::default())
            .x_axis_formatter(bins)
            .allow_scroll(false)
            .show(ui, |p| {
                let mut charts: Vec<BarChart> = Vec::new();
                for (mechanism, counts) in &s.outage_histogram_by_mechanism {
                    let bars =
                        counts.iter().enumerate().map(|(i, &n)| Bar::new(i as f64, n as f64).width(0.7)).collect();
                    let refs: Vec<&BarChart> = charts.iter().collect();
                    let chart = BarChart::new(mechanism.clone(), bars).stack_on(&refs);
                    charts.push(chart);
                }
                for c in charts {
                    p.bar_chart(c);
                }
            });
        if !s.attribution.is_empty() {
            ui.label("Downtime attribution (share of downtime, top 10)");
            let rows: Vec<&sim_core::simulate::record::AttributionRow> = s.attribution.iter().take(10).collect();
            let labels: Vec<String> = rows.iter().map(|r| format!("{} ({})", r.component, r.mechanism)).collect();
            let bars: Vec<Bar> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| Bar::new(-(i as f64), r.share * 100.0).width(0.7).name(&labels[i]))
                .collect();
            Plot::new(("attribution", &s.name))
                .height(PLOT_HEIGHT)
                .allow_scroll(false)
                .y_axis_formatter(move |mark, _| {
                    let i = -mark.value.round();
                    if (mark.value.round() - mark.value).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                        labels[i as usize].clone()
                    } else {
                        String::new()
                    }
                })
                .show(ui, |p| p.bar_chart(BarChart::new("share %", bars).horizontal().color(AMBER)));
        }
        let year = sim_core::units::SECS_PER_YEAR;
        let (intervals, caption) = match worst.get(index).filter(|_| worst.len() == report.services.len()) {
            Some(w) => (
                &w.intervals,
                format!(
                    "Worst simulated year ({} down; rep {}, year {}): down in red, degraded in amber; x in days",
                    sim_core::units::Duration::from_secs(w.down_secs).human(),
                    w.replication,
                    w.year + 1
                ),
            ),
            None => {
                (&s.timeline, "One simulated year (replication 0): down in red, degraded in amber; x in days".into())
            }
        };
        ui.label(caption);
        let bars: Vec<Bar> = intervals
            .iter()
            .filter(|i| i.start_secs < year)
            .map(|i| {
                let (color, lane) = match i.state {
                    IntervalState::Down => (SPOF_RED, 1.0),
                    IntervalState::Degraded => (AMBER, 0.0),
                };
                let days = ((i.end_secs.min(year) - i.start_secs) / 86_400.0).max(0.02);
                Bar::new(lane, days).base_offset(i.start_secs / 86_400.0).width(0.6).fill(color).name(&i.mechanism)
            })
            .collect();
        Plot::new(("timeline", &s.name))
            .height(90.0)
            .allow_scroll(false)
            .include_x(0.0)
            .include_x(365.0)
            .show(ui, |p| p.bar_chart(BarChart::new("timeline", bars).horizontal()));
    }
}
