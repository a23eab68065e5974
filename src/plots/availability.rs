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
        // Room for the legend (three rows) above the first bar.
        (900, 200 + 60 * self.report.services.len() as u32)
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
            // Room on the right for the last tick label ("99.99999%").
            .margin_right(48)
            .x_label_area_size(40)
            .y_label_area_size(140)
            .build_cartesian_2d(1.0f64..7.0, -0.5f64..n + 0.7)
            .map_err(error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(7)
            .x_label_formatter(&percent)
            .y_labels(services.len() + 2)
            .y_label_formatter(&|y| {
                // Only at a service's row: the slot above the last holds the legend.
                if (y - y.round()).abs() > 0.05 || *y < -0.05 {
                    return String::new();
                }
                names.get(y.round() as usize).cloned().unwrap_or_default()
            })
            .x_desc("availability (nines)")
            .label_style((FAMILY, 14))
            .draw()
            .map_err(error)?;
        for (i, s) in services.iter().enumerate() {
            let y = i as f64;
            let bar = chart
                .draw_series([Rectangle::new(
                    [(1.0, y - 0.25), (nines(s.availability), y + 0.25)],
                    super::colour(0).filled(),
                )])
                .map_err(error)?;
            if i == 0 {
                bar.label("simulated availability")
                    .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], super::colour(0).filled()));
            }
            // No whisker where the run has no interval (drills only, one year): a
            // zero-width one would claim a certainty the run does not have.
            if crate::report::no_ci95_reason(self.report.simulated_years, self.report.random_failures).is_none() {
                let (lo, hi) = (nines(s.availability_ci95[0]), nines(s.availability_ci95[1]));
                let whisker = chart
                    .draw_series([PathElement::new(vec![(lo, y), (hi, y)], BLACK.stroke_width(2))])
                    .map_err(error)?;
                if i == 0 {
                    whisker
                        .label("95% confidence interval")
                        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.stroke_width(2)));
                }
            }
            if let Some((_, t)) = self.targets.iter().find(|(name, _)| *name == s.name) {
                let x = nines(*t);
                let mark = chart
                    .draw_series([PathElement::new(vec![(x, y - 0.4), (x, y + 0.4)], RED.stroke_width(3))])
                    .map_err(error)?;
                if !self.targets.is_empty()
                    && services.iter().position(|s| self.targets.iter().any(|(n, _)| *n == s.name)) == Some(i)
                {
                    mark.label("target (expect min_availability)")
                        .legend(|(x, y)| PathElement::new(vec![(x + 8, y - 6), (x + 8, y + 6)], RED.stroke_width(3)));
                }
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font((FAMILY, 12))
            .draw()
            .map_err(error)?;
        Ok(())
    }
}
