//! Availability per service on a "nines" axis (−log10 of unavailability), with the 95%
//! interval as a whisker and the `expect` target as a red mark.

use plotters::coord::Shift;
use plotters::prelude::*;
use sim_core::simulate::SimReport;

use super::{error, Figure, FAMILY};

pub struct Availability<'a> {
    pub report: &'a SimReport,
    pub targets: &'a [(String, f64)],
}

fn nines(a: f64) -> f64 {
    if a >= 1.0 {
        7.0
    } else {
        (-(1.0 - a).log10()).clamp(0.0, 7.0)
    }
}

fn percent(n: &f64) -> String {
    let a = 1.0 - 10f64.powf(-n);
    format!("{:.*}%", (*n as usize).saturating_sub(2).min(5), a * 100.0)
}

impl Figure for Availability<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 140 + 60 * self.report.services.len() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let services = &self.report.services;
        let n = services.len().max(1) as f64;
        let names: Vec<String> = services.iter().map(|s| s.name.clone()).collect();
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("Availability ({} simulated years, seed {})", self.report.simulated_years, self.report.seed),
                (FAMILY, 20),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(140)
            .build_cartesian_2d(1.0f64..7.0, -0.5f64..n - 0.5)
            .map_err(error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(7)
            .x_label_formatter(&percent)
            .y_labels(services.len().max(1))
            .y_label_formatter(&|y| {
                let i = y.round().max(0.0) as usize;
                names.get(i).cloned().unwrap_or_default()
            })
            .x_desc("availability (nines)")
            .label_style((FAMILY, 14))
            .draw()
            .map_err(error)?;
        for (i, s) in services.iter().enumerate() {
            let y = i as f64;
            chart
                .draw_series([Rectangle::new(
                    [(1.0, y - 0.25), (nines(s.availability), y + 0.25)],
                    super::colour(0).filled(),
                )])
                .map_err(error)?;
            let (lo, hi) = (nines(s.availability_ci95[0]), nines(s.availability_ci95[1]));
            chart.draw_series([PathElement::new(vec![(lo, y), (hi, y)], BLACK.stroke_width(2))]).map_err(error)?;
            if let Some((_, t)) = self.targets.iter().find(|(name, _)| *name == s.name) {
                let x = nines(*t);
                chart
                    .draw_series([PathElement::new(vec![(x, y - 0.4), (x, y + 0.4)], RED.stroke_width(3))])
                    .map_err(error)?;
            }
        }
        Ok(())
    }
}
