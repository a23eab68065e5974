//! Plots of a simulation report, drawn with plotters to PNG (rasterised with the
//! embedded DejaVu Sans through ab_glyph, so no system font is needed) and SVG. One
//! figure per file: availability against targets, downtime per year, outage durations
//! by mechanism, downtime attribution, and a one-year timeline.

mod attribution;
mod availability;
mod downtime;
mod outages;
mod timeline;

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use sim_core::simulate::SimReport;

static FONT: &[u8] = include_bytes!("font/DejaVuSans.ttf");

/// The font family every figure uses; registered from the embedded file.
pub const FAMILY: &str = "sans-serif";

/// A figure that can draw itself on any backend.
pub trait Figure {
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// A written figure: its file stem, a title, and its SVG text (for inlining in HTML).
pub struct Written {
    pub stem: String,
    pub title: String,
    pub svg: String,
}

fn error(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Writes `DIR/STEM.png` and `DIR/STEM.svg`.
pub fn write(figure: &impl Figure, dir: &Path, stem: &str, title: &str) -> Result<Written, String> {
    // Registering twice is harmless; the first registration wins per style.
    plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).map_err(|_| "the embedded font is invalid")?;
    let size = figure.size();
    let png = dir.join(format!("{stem}.png"));
    {
        let root = BitMapBackend::new(&png, size).into_drawing_area();
        root.fill(&WHITE).map_err(error)?;
        figure.draw(&root)?;
        root.present().map_err(|e| format!("cannot write {}: {e}", png.display()))?;
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(error)?;
        figure.draw(&root)?;
        root.present().map_err(error)?;
    }
    let svg_path = dir.join(format!("{stem}.svg"));
    std::fs::write(&svg_path, &svg).map_err(|e| format!("cannot write {}: {e}", svg_path.display()))?;
    Ok(Written { stem: stem.to_string(), title: title.to_string(), svg })
}

/// A file-name-safe form of a service name.
pub fn slug(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// Every figure of a report, in a stable order. `targets`: (service, min availability).
pub fn write_all(report: &SimReport, targets: &[(String, f64)], dir: &Path) -> Result<Vec<Written>, String> {
    let mut out = vec![write(
        &availability::Availability { report, targets },
        dir,
        "availability",
        "Availability per service against its target",
    )?];
    out.push(write(
        &timeline::Timeline { report },
        dir,
        "timeline",
        "One simulated year: outages and degraded periods",
    )?);
    for s in &report.services {
        let slug = slug(&s.name);
        out.push(write(
            &downtime::Downtime { report, service: s },
            dir,
            &format!("downtime-{slug}"),
            &format!("{}: downtime per simulated year", s.name),
        )?);
        out.push(write(
            &outages::Outages { report, service: s },
            dir,
            &format!("outages-{slug}"),
            &format!("{}: outage durations by mechanism", s.name),
        )?);
        out.push(write(
            &attribution::Attribution { service: s },
            dir,
            &format!("attribution-{slug}"),
            &format!("{}: downtime by root cause and mechanism", s.name),
        )?);
    }
    Ok(out)
}

/// A chart over the duration bins (one bar slot per bin) with counts up the side.
pub fn bins_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    caption: String,
    bins: &[&str],
    top: f64,
    (x_desc, y_desc): (&str, &str),
) -> Result<
    ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>,
    String,
> {
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FAMILY, 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5f64..bins.len() as f64 - 0.5, 0.0f64..top.max(1.0))
        .map_err(error)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(bins.len())
        .x_label_formatter(&|x| bins.get(x.round().max(0.0) as usize).map(|b| b.to_string()).unwrap_or_default())
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style((FAMILY, 13))
        .draw()
        .map_err(error)?;
    Ok(chart)
}

/// Colour of the i-th series, stable across figures.
pub fn colour(i: usize) -> RGBColor {
    const COLOURS: [RGBColor; 8] = [
        RGBColor(0x1f, 0x77, 0xb4),
        RGBColor(0xd6, 0x27, 0x28),
        RGBColor(0xff, 0x7f, 0x0e),
        RGBColor(0x2c, 0xa0, 0x2c),
        RGBColor(0x94, 0x67, 0xbd),
        RGBColor(0x8c, 0x56, 0x4b),
        RGBColor(0xe3, 0x77, 0xc2),
        RGBColor(0x7f, 0x7f, 0x7f),
    ];
    COLOURS[i % COLOURS.len()]
}
