//! Downtime attribution for one service: the top root causes with the mechanism that
//! kept the service down, as shares of its total downtime.

use plotters::coord::Shift;
use plotters::prelude::*;
use sim_core::simulate::ServiceStats;

use super::{error, Figure, FAMILY};

pub struct Attribution<'a> {
    pub service: &'a ServiceStats,
}

const TOP: usize = 10;

impl Figure for Attribution<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 120 + 36 * self.service.attribution.len().clamp(1, TOP) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let rows: Vec<_> = self.service.attribution.iter().take(TOP).collect();
        let labels: Vec<String> = rows.iter().map(|r| format!("{} ({})", r.component, r.mechanism)).collect();
        let n = rows.len().max(1) as f64;
        let mut chart = ChartBuilder::on(area)
            .caption(format!("{}: share of downtime by root cause", self.service.name), (FAMILY, 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(300)
            .build_cartesian_2d(0.0f64..100.0, -0.5f64..n - 0.5)
            .map_err(error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(rows.len().max(1))
            .y_label_formatter(&|y| {
                labels.get(rows.len().saturating_sub(1 + y.round().max(0.0) as usize)).cloned().unwrap_or_default()
            })
            .x_desc("% of downtime")
            .label_style((FAMILY, 13))
            .draw()
            .map_err(error)?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                let y = (rows.len() - 1 - i) as f64;
                Rectangle::new([(0.0, y - 0.3), (r.share * 100.0, y + 0.3)], super::colour(1).filled())
            }))
            .map_err(error)?;
        Ok(())
    }
}
