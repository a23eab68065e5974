//! Downtime per simulated year for one service: how many years fell in each duration
//! bin, with the mean and percentiles in the caption.

use plotters::coord::Shift;
use plotters::prelude::*;
use sim_core::simulate::{ServiceStats, SimReport};
use sim_core::units::Duration;

use super::{error, Figure};

pub struct Downtime<'a> {
    pub report: &'a SimReport,
    pub service: &'a ServiceStats,
}

fn human(secs: f64) -> String {
    Duration::from_secs(secs).human()
}

impl Figure for Downtime<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 420)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let s = self.service;
        let d = &s.downtime_secs_per_year;
        let bins = &self.report.outage_bins;
        let top = s.downtime_histogram.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.1;
        let mut chart = super::bins_chart(
            area,
            format!(
                "{}: downtime per year (mean {}, p50 {}, p95 {}, p99 {})",
                s.name,
                human(d.mean),
                human(d.p50),
                human(d.p95),
                human(d.p99)
            ),
            bins,
            top,
            ("downtime in the year", "simulated years"),
        )?;
        chart
            .draw_series(s.downtime_histogram.iter().enumerate().map(|(i, &c)| {
                Rectangle::new([(i as f64 - 0.4, 0.0), (i as f64 + 0.4, c as f64)], super::colour(0).filled())
            }))
            .map_err(error)?;
        Ok(())
    }
}
