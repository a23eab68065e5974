//! Plots of a simulation report, drawn with plotters to PNG (rasterised with the
//! embedded DejaVu Sans through ab_glyph, so no system font is needed) and SVG. One
//! figure per file: availability against targets, downtime per year, outage durations
//! by mechanism, downtime attribution, and a one-year timeline.

mod attribution;
mod availability;
mod downtime;
mod outages;
mod timeline;

#[cfg(not(target_arch = "wasm32"))]
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use sim_core::simulate::SimReport;

#[cfg(not(target_arch = "wasm32"))]
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

/// Registers the embedded font (in the browser plotters measures text with the page's
/// fonts instead). Registering twice is harmless; the first registration wins.
fn register_font() -> Result<(), String> {
    #[cfg(not(target_arch = "wasm32"))]
    plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).map_err(|_| "the embedded font is invalid")?;
    Ok(())
}

/// Writes `DIR/STEM.png` and `DIR/STEM.svg`.
#[cfg(not(target_arch = "wasm32"))]
pub fn write(figure: &impl Figure, dir: &Path, stem: &str, title: &str) -> Result<Written, String> {
    register_font()?;
    let size = figure.size();
    let png = dir.join(format!("{stem}.png"));
    {
        let root = BitMapBackend::new(&png, size).into_drawing_area();
        root.fill(&WHITE).map_err(error)?;
        figure.draw(&root)?;
        root.present().map_err(|e| format!("cannot write {}: {e}", png.display()))?;
    }
    let svg = svg(figure)?;
    let svg_path = dir.join(format!("{stem}.svg"));
    std::fs::write(&svg_path, &svg).map_err(|e| format!("cannot write {}: {e}", svg_path.display()))?;
    Ok(Written { stem: stem.to_string(), title: title.to_string(), svg })
}

/// A figure as SVG text.
pub fn svg(figure: &impl Figure) -> Result<String, String> {
    register_font()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, figure.size()).into_drawing_area();
        root.fill(&WHITE).map_err(error)?;
        figure.draw(&root)?;
        root.present().map_err(error)?;
    }
    Ok(svg)
}

/// A file-name-safe form of a service name.
pub fn slug(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// Receives each figure of a report in turn (files, or SVG in memory).
pub trait Sink {
    fn emit<F: Figure>(&mut self, figure: &F, stem: &str, title: &str) -> Result<(), String>;
}

/// Writes each figure as PNG and SVG into a folder.
#[cfg(not(target_arch = "wasm32"))]
struct Files<'a> {
    dir: &'a Path,
    written: Vec<Written>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Sink for Files<'_> {
    fn emit<F: Figure>(&mut self, figure: &F, stem: &str, title: &str) -> Result<(), String> {
        self.written.push(write(figure, self.dir, stem, title)?);
        Ok(())
    }
}

/// Keeps each figure's SVG text.
struct Svgs(Vec<Written>);

impl Sink for Svgs {
    fn emit<F: Figure>(&mut self, figure: &F, stem: &str, title: &str) -> Result<(), String> {
        self.0.push(Written { stem: stem.to_string(), title: title.to_string(), svg: svg(figure)? });
        Ok(())
    }
}

/// Every figure as `DIR/STEM.png` and `DIR/STEM.svg`. `targets`: (service, min availability).
#[cfg(not(target_arch = "wasm32"))]
pub fn write_all(
    report: &SimReport,
    targets: &[(String, f64)],
    worst: &[sim_core::simulate::WorstYear],
    dir: &Path,
) -> Result<Vec<Written>, String> {
    let mut files = Files { dir, written: Vec::new() };
    visit_all(report, targets, worst, &mut files)?;
    Ok(files.written)
}

/// Every figure as SVG text, written nowhere (the browser demo's report).
pub fn svg_all(
    report: &SimReport,
    targets: &[(String, f64)],
    worst: &[sim_core::simulate::WorstYear],
) -> Result<Vec<Written>, String> {
    let mut svgs = Svgs(Vec::new());
    visit_all(report, targets, worst, &mut svgs)?;
    Ok(svgs.0)
}

/// Every figure of a report, in a stable order. `targets`: (service, min availability);
/// `worst`: each service's worst simulated year, or empty (the first year is drawn).
pub fn visit_all<S: Sink>(
    report: &SimReport,
    targets: &[(String, f64)],
    worst: &[sim_core::simulate::WorstYear],
    sink: &mut S,
) -> Result<(), String> {
    sink.emit(
        &availability::Availability { report, targets },
        "availability",
        "Availability per service against its target",
    )?;
    let timeline_title = if worst.is_empty() {
        "The first simulated year: outages and degraded periods"
    } else {
        "The worst simulated year of each service: outages and degraded periods"
    };
    sink.emit(&timeline::Timeline { report, worst }, "timeline", timeline_title)?;
    for s in &report.services {
        let slug = slug(&s.name);
        sink.emit(
            &downtime::Downtime { report, service: s },
            &format!("downtime-{slug}"),
            &format!("{}: downtime per simulated year", s.name),
        )?;
        sink.emit(
            &outages::Outages { report, service: s },
            &format!("outages-{slug}"),
            &format!("{}: outage durations by mechanism", s.name),
        )?;
        sink.emit(
            &attribution::Attribution { service: s },
            &format!("attribution-{slug}"),
            &format!("{}: downtime by root cause and mechanism", s.name),
        )?;
    }
    Ok(())
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
