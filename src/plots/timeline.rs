//! The worst simulated year of each service (most downtime, found over every
//! replication and replayed): a row per service, outages in red and degraded periods in
//! amber. Without the replay (the desktop app's report) it is the first year of
//! replication 0, and the caption says so. Short periods are drawn at least one pixel wide.

use plotters::coord::Shift;
use plotters::prelude::*;
use sim_core::simulate::{Interval, IntervalState, SimReport, WorstYear, YEAR_SECS};

use super::{error, Figure, FAMILY};

pub struct Timeline<'a> {
    pub report: &'a SimReport,
    /// Per service (report order), its worst year; empty: replication 0's first year.
    pub worst: &'a [WorstYear],
}

impl Figure for Timeline<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 120 + 50 * self.report.services.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let services = &self.report.services;
        let worst = self.worst.len() == services.len() && !services.is_empty();
        let names: Vec<String> = services
            .iter()
            .enumerate()
            .map(|(i, s)| match worst {
                true => format!(
                    "{} ({} down; rep {}, year {})",
                    s.name,
                    sim_core::units::Duration::from_secs(self.worst[i].down_secs).human(),
                    self.worst[i].replication,
                    self.worst[i].year + 1
                ),
                false => s.name.clone(),
            })
            .collect();
        let days = YEAR_SECS / 86_400.0;
        let n = services.len().max(1) as f64;
        let caption = if worst {
            "Worst simulated year of each service: down in red, degraded in amber"
        } else {
            "First simulated year of replication 0: down in red, degraded in amber"
        };
        let mut chart = ChartBuilder::on(area)
            .caption(caption, (FAMILY, 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(if worst { 240 } else { 140 })
            .build_cartesian_2d(0.0f64..days, -0.5f64..n - 0.5)
            .map_err(error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(13)
            .x_label_formatter(&|d| format!("{d:.0}"))
            .y_labels(services.len().max(1))
            .y_label_formatter(&|y| names.get(y.round().max(0.0) as usize).cloned().unwrap_or_default())
            .x_desc("day of the year")
            .label_style((FAMILY, 13))
            .draw()
            .map_err(error)?;
        // At least two pixels of the ~740-pixel plot, so a minutes-long outage shows.
        let min_width = days / 370.0;
        for (i, s) in services.iter().enumerate() {
            let y = i as f64;
            let intervals: &[Interval] = if worst { &self.worst[i].intervals } else { &s.timeline };
            // Degraded periods first, outages on top: at this scale a short outage and
            // the degraded minutes around it share pixels, and the outage matters more.
            for state in [IntervalState::Degraded, IntervalState::Down] {
                let bars = intervals.iter().filter(|iv| iv.start_secs < YEAR_SECS && iv.state == state).map(|iv| {
                    let start = iv.start_secs / 86_400.0;
                    let end = (iv.end_secs / 86_400.0).min(days).max(start + min_width);
                    let colour = match iv.state {
                        IntervalState::Down => RED,
                        IntervalState::Degraded => RGBColor(0xff, 0xa5, 0x00),
                    };
                    Rectangle::new([(start, y - 0.3), (end, y + 0.3)], colour.filled())
                });
                chart.draw_series(bars).map_err(error)?;
            }
        }
        Ok(())
    }
}
