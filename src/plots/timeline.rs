//! One simulated year (replication 0): a row per service, outages in red and degraded
//! periods in amber. Short periods are drawn at least one pixel wide.

use plotters::coord::Shift;
use plotters::prelude::*;
use sim_core::simulate::{IntervalState, SimReport, YEAR_SECS};

use super::{error, Figure, FAMILY};

pub struct Timeline<'a> {
    pub report: &'a SimReport,
}

impl Figure for Timeline<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 120 + 50 * self.report.services.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let services = &self.report.services;
        let names: Vec<String> = services.iter().map(|s| s.name.clone()).collect();
        let days = YEAR_SECS / 86_400.0;
        let n = services.len().max(1) as f64;
        let mut chart = ChartBuilder::on(area)
            .caption("One simulated year (replication 0): down in red, degraded in amber", (FAMILY, 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(140)
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
        let min_width = days / 900.0;
        for (i, s) in services.iter().enumerate() {
            let y = i as f64;
            let bars = s.timeline.iter().filter(|iv| iv.start_secs < YEAR_SECS).map(|iv| {
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
        Ok(())
    }
}
