//! Outage durations for one service, stacked by the mechanism that held each outage
//! longest (failover, reconvergence, repair, restore).

use plotters::coord::Shift;
use plotters::prelude::*;
use sim_core::simulate::{ServiceStats, SimReport};

use super::{error, Figure, FAMILY};

pub struct Outages<'a> {
    pub report: &'a SimReport,
    pub service: &'a ServiceStats,
}

impl Figure for Outages<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 440)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let s = self.service;
        let bins = &self.report.outage_bins;
        let top = s.outage_histogram.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.15;
        let mut chart = super::bins_chart(
            area,
            format!("{}: {} outages by duration and mechanism", s.name, s.outages),
            bins,
            top,
            ("outage duration", "outages"),
        )?;
        let mut base = vec![0u64; bins.len()];
        for (k, (mechanism, counts)) in s.outage_histogram_by_mechanism.iter().enumerate() {
            let colour = super::colour(k + 1);
            let bars: Vec<Rectangle<(f64, f64)>> = counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(i, &c)| {
                    let (lo, hi) = (base[i] as f64, (base[i] + c) as f64);
                    Rectangle::new([(i as f64 - 0.4, lo), (i as f64 + 0.4, hi)], colour.filled())
                })
                .collect();
            for (i, &c) in counts.iter().enumerate() {
                base[i] += c;
            }
            chart
                .draw_series(bars)
                .map_err(error)?
                .label(mechanism.clone())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled()));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FAMILY, 13))
            .draw()
            .map_err(error)?;
        Ok(())
    }
}
