//! Frame-time benchmark of the desktop app, headless (egui_kittest, no GPU: it
//! measures the app's own work per frame: layout, hit-testing, painting commands).
//!   cargo run --release -p spofsim-gui --example frame_time
//! Prints, per design: load + analysis time, and the median and worst of 60 frames.

use egui_kittest::Harness;
use spofsim_gui::app::App;
use spofsim_gui::document::Source;
use spofsim_gui::files::Settings;

fn measure(label: &str, text: String, expand_all: bool) {
    let start = web_time::Instant::now();
    let mut app = App::new(Source::Unsaved(label.into()), text, Settings::default());
    let open_ms = start.elapsed().as_secs_f64() * 1e3;
    if expand_all {
        for _ in 0..3 {
            let keys: Vec<String> =
                app.view.scene.nodes.iter().filter(|n| n.collapsed()).map(|n| n.key.clone()).collect();
            app.view.layout.expanded.extend(keys);
            app.relayout();
        }
    }
    let nodes = app.view.scene.nodes.len();
    let mut h =
        Harness::builder().with_size(egui::vec2(1500.0, 950.0)).build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(5);
    let mut frames: Vec<f64> = (0..60)
        .map(|i| {
            // Pan a little every frame so nothing is cached.
            h.state_mut().view.center.x += if i % 2 == 0 { 3.0 } else { -3.0 };
            let t = web_time::Instant::now();
            h.step();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    frames.sort_by(f64::total_cmp);
    println!(
        "| {label} | {nodes} | {open_ms:.0} ms | {:.1} ms | {:.1} ms |",
        frames[frames.len() / 2],
        frames[frames.len() - 1]
    );
}

fn main() {
    println!("| design | nodes drawn | open + fast analysis | median frame | worst frame |");
    println!("|---|---|---|---|---|");
    measure("full-single-site", spofsim_gui::examples::default_example().text.to_string(), false);
    measure("fat-tree k=16, collapsed", sim_core::generate::fat_tree(16, 2), false);
    measure("fat-tree k=16, all expanded", sim_core::generate::fat_tree(16, 2), true);
}
