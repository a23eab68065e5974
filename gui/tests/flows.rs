//! The desktop app driven headless with egui_kittest (no GPU, no window): the flows a
//! new user tries first, through the same widgets they would click.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use spofsim_gui::app::{App, Tab};
use spofsim_gui::document::Source;
use spofsim_gui::files::Settings;

fn app_on(file: &str) -> App {
    let e = spofsim_gui::examples::find(file).expect("bundled example");
    App::new(Source::Example(e.file.into()), e.text.into(), Settings::default())
}

fn harness(app: App) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_max_steps(400)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    settle(&mut h);
    h
}

/// How each node of the picture is drawn, nothing selected.
fn node_looks_of(app: &App) -> Vec<spofsim_gui::style::NodeLook> {
    let inputs = spofsim_gui::style::LookInputs {
        facts: app.doc.facts.as_ref().expect("the design loads"),
        whatif: &app.whatif,
        selected: None,
        highlight: &app.highlight,
        blocked: &app.view.blocked,
    };
    spofsim_gui::style::node_looks(&app.view.scene, &inputs)
}

/// Lets background work (the exact analysis) finish and the UI catch up.
fn settle(h: &mut Harness<'static, App>) {
    h.state_mut().doc.wait_exact();
    h.run_steps(3);
}

#[test]
fn opens_an_example_from_the_examples_menu() {
    let mut h = harness(app_on("full-single-site.jsonc"));
    h.get_by_label("Examples").click();
    h.run_steps(2);
    h.get_by_label("anti-patterns").hover();
    h.run_steps(2);
    h.get_by_label("single-load-balancer").click();
    settle(&mut h);
    assert_eq!(h.state().doc.source, Source::Example("anti-patterns/single-load-balancer.jsonc".into()));
    assert!(h.query_by_label("example: anti-patterns/single-load-balancer.jsonc").is_some());
    // The topology shows the design's components as clickable nodes.
    h.get_by_role_and_label(Role::Button, "lb");
    h.get_by_role_and_label(Role::Button, "web-3");
}

#[test]
fn lists_the_spofs_in_the_findings_panel() {
    let mut h = harness(app_on("anti-patterns/single-load-balancer.jsonc"));
    h.get_by_label("Findings").click();
    h.run_steps(2);
    h.get_by_label("Single points of failure (3)");
    for spof in ["SPOF lb (load-balancer)", "SPOF lb~sw-1 (link)", "SPOF sw-1 (switch)"] {
        h.get_by_label(spof);
    }
    h.get_by_label_contains("lb fails → pool down");
    // Cut sets by order come from the exact analysis.
    h.get_by_label_contains("order 1: 3");
    // Clicking a SPOF highlights its chain in the topology.
    h.get_by_label("SPOF sw-1 (switch)").click();
    h.run_steps(2);
    let app = h.state();
    assert_eq!(app.highlight_label, "SPOF sw-1");
    let sw1 = app.doc.facts.as_ref().unwrap().model.element_by_name("sw-1").unwrap().id;
    assert!(app.highlight.contains(&sw1));
}

#[test]
fn clicking_a_component_shows_it_in_the_inspector() {
    let mut h = harness(app_on("anti-patterns/single-load-balancer.jsonc"));
    h.get_by_role_and_label(Role::Button, "lb").click();
    h.run_steps(2);
    assert_eq!(h.state().tab, Tab::Inspector);
    h.get_by_label("load-balancer · layer network · no site");
    h.get_by_label("Single point of failure");
    h.get_by_label_contains("service site: Birnbaum");
    h.get_by_label("Depends on");
    h.get_by_label("Needed by");
    // Its properties are editable text fields.
    assert_eq!(h.get_by_role_and_label(Role::TextInput, "kind").value().as_deref(), Some("load-balancer"));
}

#[test]
fn failing_a_spof_turns_the_service_red_and_clear_restores_it() {
    let mut h = harness(app_on("anti-patterns/single-load-balancer.jsonc"));
    h.get_by_label("site: up");
    h.get_by_label("3 SPOF");
    h.get_by_role_and_label(Role::Button, "lb").click();
    h.run_steps(2);
    h.get_by_label("Failed (what-if)").click();
    h.run_steps(2);
    h.get_by_label("site: down");
    h.get_by_label("What-if").click();
    h.run_steps(2);
    h.get_by_label("service site: down");
    h.get_by_label("Clear all failures").click();
    h.run_steps(2);
    h.get_by_label("site: up");
    assert!(h.state().whatif.failed.is_empty());
}

#[test]
fn a_redundant_failure_degrades_without_taking_the_service_down() {
    let mut h = harness(app_on("full-single-site.jsonc"));
    h.state_mut().toggle_failed("sw-1");
    h.run_steps(2);
    h.get_by_label("shop: degraded");
    // Its two SPOFs (dc1, array) are accepted in the scenario: none is open.
    h.get_by_label("no SPOF");
}

#[test]
fn editing_an_mtbf_in_the_inspector_changes_the_availability() {
    let mut h = harness(app_on("anti-patterns/single-load-balancer.jsonc"));
    h.get_by_label("Availability").click();
    h.run_steps(2);
    h.get_by_label("99.992923%");
    h.get_by_role_and_label(Role::Button, "lb").click();
    h.run_steps(2);
    let field = h.get_by_role_and_label(Role::TextInput, "mtbf");
    field.focus();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "mtbf").type_text("100y");
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert!(h.state().doc.text.contains(r#""lb": { "mtbf": "100y", "kind": "load-balancer""#));
    settle(&mut h);
    h.get_by_label("Availability").click();
    h.run_steps(2);
    assert!(h.query_by_label("99.992923%").is_none());
    let exact = h.state().doc.exact.as_ref().unwrap().services[0].unavailability.clone().unwrap();
    h.get_by_label(&format!("{:.6}%", (1.0 - exact) * 100.0));
    assert!(1.0 - exact > 0.99992923, "a longer MTBF raises availability");
}

#[test]
fn a_short_simulation_runs_to_completion_with_progress() {
    let mut app = app_on("shop-two-tier.jsonc");
    app.settings.sim = spofsim_gui::sim_run::SimSettings { years: 2, replications: 5, seed: 7 };
    let mut h = harness(app);
    h.get_by_label("Simulation").click();
    h.run_steps(2);
    h.get_by_label("Run simulation").click();
    h.step();
    assert!(h.state().sim.is_running() || h.state().sim.report.is_some());
    for _ in 0..200 {
        if h.state().sim.report.is_some() {
            break;
        }
        h.step();
    }
    h.run_steps(2);
    let (_, report) = h.state().sim.report.clone().expect("finished");
    assert_eq!((report.seed, report.replications, report.years), (7, 5, 2));
    let summary = format!("seed 7 · 5 replications × 2 years = 10 simulated years · {} events", report.events);
    h.get_by_label(&summary);
    h.get_by_label("simulation finished: 5 replications");
    h.get_by_label("Outage durations by mechanism");
}

#[test]
fn the_editor_lists_every_problem_and_keeps_the_last_picture() {
    let mut h = harness(app_on("anti-patterns/single-load-balancer.jsonc"));
    let broken = h.state().doc.text.replace(r#""kind": "load-balancer""#, r#""kind": "load-balancr""#);
    h.state_mut().settings.show_editor = true;
    h.state_mut().edit(broken);
    h.run_steps(2);
    h.get_by_label_contains("unknown kind \"load-balancr\"");
    h.get_by_label("(analysis of the last valid text)");
    h.get_by_role_and_label(Role::Button, "lb");
}

#[test]
fn every_example_renders_every_panel() {
    for e in spofsim_gui::examples::EXAMPLES {
        let mut h = harness(app_on(e.file));
        for tab in ["Inspector", "Findings", "Availability", "What-if", "Simulation"] {
            h.get_by_label(tab).click();
            h.run_steps(2);
        }
        // The first SPOF (if any) selected, failed and shown in every panel too.
        let spof = h.state().doc.facts.as_ref().unwrap().spofs.first().map(|s| s.element.clone());
        if let Some(name) = spof {
            h.state_mut().select_element(&name);
            h.state_mut().toggle_failed(&name);
            for tab in ["Inspector", "What-if", "Findings"] {
                h.get_by_label(tab).click();
                h.run_steps(2);
            }
        }
        h.state_mut().settings.show_editor = true;
        h.run_steps(2);
        assert!(h.state().status.as_ref().is_none_or(|s| !s.error), "{}: {:?}", e.file, h.state().status);
    }
}

#[test]
fn a_fat_tree_with_1024_hosts_opens_collapsed_and_expands_on_click() {
    let text = sim_core::generate::fat_tree(16, 2);
    let app = App::new(Source::Unsaved("fat-tree-k16.jsonc".into()), text, Settings::default());
    let mut h =
        Harness::builder().with_size(egui::vec2(1500.0, 950.0)).build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(3);
    let scene = &h.state().view.scene;
    assert!(scene.nodes.len() <= spofsim_gui::layout::COLLAPSE_ABOVE && scene.collapsed > 0);
    h.get_by_role_and_label(Role::Button, "pod p3: 16 sw, 64 srv").click();
    h.run_steps(2);
    assert!(h.state().view.scene.node_by_key("rack:p3-edge-0").is_some());
    // Search jumps to a host inside a collapsed rack, expanding it.
    h.state_mut().select_element("p5-e2-h3");
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "p5-e2-h3");
}

#[test]
fn a_group_outline_opens_the_group_and_its_mode_is_editable() {
    let mut h = harness(app_on("full-single-site.jsonc"));
    h.get_by_role_and_label(Role::Button, "vrrp gw-vip").click();
    h.run_steps(2);
    h.get_by_label("vrrp group · active-standby");
    h.get_by_label_contains("failover: detect");
    // The STP domain's mode (a group field) is written back and re-analysed.
    h.state_mut().select_group("core");
    h.run_steps(2);
    let field = h.get_by_role_and_label(Role::TextInput, "mode");
    assert_eq!(field.value().as_deref(), Some("rstp"));
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "mode").type_text("stp");
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert!(
        h.state().doc.text.contains(r#""core": { "kind": "stp", "mode": "stp","#),
        "{}",
        &h.state().doc.text[..200]
    );
    let facts = h.state().doc.facts.as_ref().unwrap();
    let core = facts.model.groups.iter().find(|g| g.name == "core").unwrap();
    assert_eq!(sim_core::model::text_attr(&core.attrs, "mode"), Some("stp"));
}

#[derive(Debug)]
struct Dropped {
    path: std::path::PathBuf,
    bytes: Vec<u8>,
}

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.path
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        Ok(self.bytes.clone())
    }
}

#[test]
fn a_dropped_file_opens_and_is_remembered() {
    let dir = std::env::temp_dir().join(format!("spofsim-gui-drop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mine.jsonc");
    let text = spofsim_gui::examples::find("shop-two-tier.jsonc").unwrap().text;
    std::fs::write(&path, text).unwrap();
    let mut h = harness(app_on("full-single-site.jsonc"));
    h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped { path: path.clone(), bytes: text.into() }));
    h.run_steps(2);
    assert_eq!(h.state().doc.source, Source::File(path.clone()));
    assert_eq!(h.state().settings.recent.first(), Some(&Source::File(path.clone())));
    h.get_by_role_and_label(Role::Button, "web-2");
    // A dropped file that is not text is an error in the status bar, and nothing changes.
    h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped { path: dir.join("x.bin"), bytes: vec![0xff, 0xfe] }));
    h.run_steps(2);
    h.get_by_label("x.bin is not UTF-8 text");
    assert_eq!(h.state().doc.source, Source::File(path));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// eframe's storage, in memory.
#[derive(Default)]
struct Memory(std::collections::BTreeMap<String, String>);

impl eframe::Storage for Memory {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.into(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn the_last_session_and_recent_files_come_back() {
    let mut first = spofsim_gui::create(None, Default::default());
    assert_eq!(first.doc.source, Source::Example("full-single-site.jsonc".into()));
    first.open_example("sites/dr-tiers.jsonc");
    first.settings.sim.seed = 99;
    first.view.layout.show_power = true;
    first.settings.show_power = true;
    let mut storage = Memory::default();
    eframe::App::save(&mut first, &mut storage);
    let second = spofsim_gui::create(Some(&storage), Default::default());
    assert_eq!(second.doc.source, Source::Example("sites/dr-tiers.jsonc".into()));
    assert_eq!(second.settings.sim.seed, 99);
    assert!(second.view.layout.show_power);
    let recent: Vec<String> = second.settings.recent.iter().map(Source::label).collect();
    assert_eq!(recent, ["example: sites/dr-tiers.jsonc", "example: full-single-site.jsonc"]);
    // The command line wins over the last session.
    let launch = spofsim_gui::Launch { file: Some("/no/such.jsonc".into()), ..Default::default() };
    let third = spofsim_gui::create(Some(&storage), launch);
    assert!(third.status.as_ref().unwrap().text.contains("/no/such.jsonc"));
}

#[test]
fn save_export_picture_and_report_folder() {
    let dir = std::env::temp_dir().join(format!("spofsim-gui-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut app = app_on("anti-patterns/single-load-balancer.jsonc");
    let span = app.doc.facts.as_ref().unwrap().model.element_by_name("lb").unwrap().span;
    spofsim_gui::panels::inspector::set_property(&mut app, span, "mttr", "2h");
    assert!(app.doc.dirty());
    let path = dir.join("edited.jsonc");
    spofsim_gui::files::save_to(&mut app, path.clone());
    assert!(!app.doc.dirty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), app.doc.text);
    assert!(app.doc.text.contains(r#""mttr": "2h""#));
    let svg = spofsim_gui::panels::topology::svg_of(&app).unwrap();
    assert!(svg.contains("<title>lb</title>") && svg.contains(">SPOF</text>"));
    app.settings.sim = spofsim_gui::sim_run::SimSettings { years: 1, replications: 2, seed: 3 };
    let index = spofsim_gui::export::report_folder(&mut app, &dir.join("report")).unwrap();
    let html = std::fs::read_to_string(&index).unwrap();
    assert!(html.contains("single-load-balancer") || html.contains("edited.jsonc"), "{}", &html[..300]);
    assert!(dir.join("report/availability.png").exists());
    // The timeline is each service's worst simulated year, as `spofsim report` draws it.
    let timeline = std::fs::read_to_string(dir.join("report/timeline.svg")).unwrap();
    assert!(timeline.contains("down; rep "), "worst-year caption missing");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Both core switches on one PDU: the SPOFs (pdu-a, ups-a, feed-a) live in the power
/// layer, which is hidden by default. The canvas says so and offers to show it; the
/// status bar counts the SPOFs as a problem.
#[test]
fn spofs_in_a_hidden_layer_are_announced_and_one_click_shows_them() {
    let mut h = harness(app_on("anti-patterns/two-switches-one-pdu.jsonc"));
    assert!(!h.state().view.layout.show_power, "the power layer starts hidden");
    assert!(h.query_by_role_and_label(Role::Button, "pdu-a").is_none());
    h.get_by_label("site: up");
    h.get_by_label("3 SPOF");
    h.get_by_role_and_label(Role::Button, "Show the power layer").click();
    h.run_steps(3);
    assert!(h.state().view.layout.show_power);
    h.get_by_role_and_label(Role::Button, "pdu-a");
    let app = h.state();
    let links = app.view.scene.edges.iter().flat_map(|e| e.links.iter().copied()).collect();
    assert!(
        app.doc.facts.as_ref().unwrap().hidden_spofs(&app.view.scene.node_of, &links).is_empty(),
        "every SPOF is drawn"
    );
    assert!(h.query_by_role_and_label(Role::Button, "Show the power layer").is_none(), "nothing is hidden now");
}

/// A SPOF the scenario accepts (`suppress`) is drawn apart and not counted as open.
#[test]
fn accepted_spofs_are_not_drawn_as_open_ones() {
    let h = harness(app_on("full-single-site.jsonc"));
    let app = h.state();
    let facts = app.doc.facts.as_ref().unwrap();
    let array = facts.model.element_by_name("array").unwrap().id;
    assert!(facts.accepted_spof(array) && !facts.open_spof(array));
    let scene = &app.view.scene;
    let looks = node_looks_of(app);
    let node = scene.node_of[&array];
    assert_eq!((looks[node].spofs, looks[node].accepted), (0, 1));
    assert_eq!(looks[node].stroke, spofsim_gui::style::ACCEPTED);
    h.get_by_label("no SPOF");
}

/// A chain lights what goes down (sw-1, sw-2 lose their only PSU) apart from what is
/// merely touched (web-1 loses one of two PSUs and stays up).
#[test]
fn a_chain_lights_what_goes_down_apart_from_what_it_touches() {
    let mut h = harness(app_on("anti-patterns/two-switches-one-pdu.jsonc"));
    let spof = h.state().doc.facts.as_ref().unwrap().spofs.iter().find(|s| s.element == "pdu-a").unwrap().clone();
    let mut names = vec![spof.element.clone()];
    names.extend(spof.blast.down_elements.iter().cloned());
    assert!(names.iter().any(|n| n == "web-1/psu-1") && !names.iter().any(|n| n == "web-1"), "{names:?}");
    h.state_mut().highlight_names("SPOF pdu-a", names.iter().map(String::as_str));
    h.run_steps(2);
    let app = h.state();
    let facts = app.doc.facts.as_ref().unwrap();
    let looks = node_looks_of(app);
    let look_of = |name: &str| &looks[app.view.scene.node_of[&facts.model.element_by_name(name).unwrap().id]];
    assert_eq!(look_of("sw-1").stroke, spofsim_gui::style::HIGHLIGHT);
    assert_eq!(look_of("web-1").stroke, spofsim_gui::style::TOUCHED);
    let lit = looks.iter().filter(|l| l.stroke == spofsim_gui::style::HIGHLIGHT).count();
    assert!(lit * 2 < looks.len(), "{lit} of {} nodes lit: the picture must not read 'everything fails'", looks.len());
}

/// Groups over the same members (a pool and its session replication) used to print
/// their names over each other: no two group labels overlap.
#[test]
fn group_labels_do_not_overlap() {
    let h = harness(app_on("servers/session-replication.jsonc"));
    let labels: Vec<String> = h.state().view.scene.outlines.iter().map(|o| o.label.clone()).collect();
    assert!(labels.len() >= 3, "{labels:?}");
    let rects: Vec<(String, egui::Rect)> = labels
        .iter()
        .filter_map(|l| h.query_by_role_and_label(Role::Button, l).map(|n| (l.clone(), n.rect())))
        .collect();
    assert!(rects.len() >= 3, "group labels drawn: {rects:?}");
    for (i, (a, ra)) in rects.iter().enumerate() {
        for (b, rb) in &rects[i + 1..] {
            assert!(!ra.shrink(0.5).intersects(rb.shrink(0.5)), "{a} at {ra:?} overlaps {b} at {rb:?}");
        }
    }
}

/// No cable is drawn behind a node it does not join (two independent SAN fabrics used
/// to look cascaded through the switch in between): every edge's path clears every
/// other node, and both its ends are its own nodes.
#[test]
fn detoured_edges_stay_inside_their_frames() {
    let mut outside = Vec::new();
    let mut detoured = 0;
    for (example, show_power) in spofsim_gui::examples::EXAMPLES.iter().flat_map(|e| [(e, false), (e, true)]) {
        let Some(model) = sim_core::load(example.text).model else { continue };
        let options = spofsim_gui::layout::LayoutOptions { show_power, ..Default::default() };
        let scene = &spofsim_gui::layout::layout(&model, &options);
        for e in &scene.edges {
            let path = spofsim_gui::export::edge_path(scene, e.a, e.b);
            detoured += usize::from(path.len() > 2);
            let Some(frame) = spofsim_gui::export::edge_frame(scene, e.a, e.b) else { continue };
            if !path.iter().all(|&x| frame.contains(x)) {
                outside.push(format!("{}: {} – {}", example.file, scene.nodes[e.a].label, scene.nodes[e.b].label));
            }
        }
    }
    // A mostly empty site: sw-1 – sw-3 runs along the row behind sw-2. Going over the
    // row leaves the frame (its padding is narrower than the detour's margin); under it
    // stays inside.
    let row = r#"{ "sites": {"dc": {}},
      "components": { "internet": {"kind":"entry"},
        "sw-1": {"kind":"switch","site":"dc"}, "sw-2": {"kind":"switch","site":"dc"}, "sw-3": {"kind":"switch","site":"dc"},
        "web-1": {"kind":"server","site":"dc","nics":["sw-1"],"runs":["web"]} },
      "links": [ {"between":["internet","sw-1"]}, {"between":["sw-1","sw-2"]}, {"between":["sw-2","sw-3"]},
                 {"between":["sw-1","sw-3"]} ],
      "services": { "s": {"from":"internet","through":["web-1/web"]} } }"#;
    let model = sim_core::load(row).model.unwrap();
    let scene = spofsim_gui::layout::layout(&model, &Default::default());
    let (a, b) = (scene.node_by_key("sw-1").unwrap(), scene.node_by_key("sw-3").unwrap());
    let path = spofsim_gui::export::edge_path(&scene, a, b);
    assert!(path.len() > 2, "sw-1 – sw-3 is detoured around sw-2");
    let frame = spofsim_gui::export::edge_frame(&scene, a, b).unwrap();
    assert!(path.iter().all(|&x| frame.contains(x)), "{path:?} leaves {frame:?}");
    assert!(detoured > 0, "no example has a detour, so this test checks nothing");
    assert!(outside.is_empty(), "{} of {detoured} detoured edges leave their frames: {outside:#?}", outside.len());
}

#[test]
fn edges_never_pass_behind_other_nodes() {
    // A SPOF drawn as an edge (a cable) is not announced as hidden.
    let h = harness(app_on("storage/san-multipath.jsonc"));
    assert!(h.query_by_role_and_label(Role::Button, "Show the power layer").is_none());
    for file in ["storage/san-multipath.jsonc", "full-single-site.jsonc", "shop-two-tier.jsonc", "sites/dr-tiers.jsonc"]
    {
        let h = harness(app_on(file));
        let scene = &h.state().view.scene;
        for e in &scene.edges {
            let path = spofsim_gui::export::edge_path(scene, e.a, e.b);
            assert!(scene.nodes[e.a].rect.expand(1.0).contains(path[0]), "{file}: edge starts off its node");
            assert!(
                scene.nodes[e.b].rect.expand(1.0).contains(*path.last().unwrap()),
                "{file}: edge ends off its node"
            );
            for (i, n) in scene.nodes.iter().enumerate().filter(|&(i, _)| i != e.a && i != e.b) {
                let r = n.rect.shrink(2.0);
                let hit =
                    path.windows(2).any(|w| (0..=200).any(|k| r.contains(w[0] + (w[1] - w[0]) * (k as f32 / 200.0))));
                assert!(
                    !hit,
                    "{file}: the edge {} – {} passes behind {} (node {i})",
                    scene.nodes[e.a].label, scene.nodes[e.b].label, n.label
                );
            }
        }
    }
}
