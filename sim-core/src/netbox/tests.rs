//! Importer tests over the recorded NetBox 4.2.9 demo responses (tests/data/netbox/),
//! asserting facts found by hand in the JSON (independently of this code), and small
//! hand-written responses for each rule and each kind of bad input.

use std::path::Path;

use super::*;

fn folder(dir: &str) -> Vec<Page> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/netbox").join(dir);
    let mut names: Vec<String> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let endpoint = endpoint_of_file(&name)?;
            let text = std::fs::read_to_string(root.join(&name)).unwrap();
            Some(Page { endpoint, source: format!("{dir}/{name}"), text })
        })
        .collect()
}

fn demo() -> Imported {
    import(&folder("api"), &Options::default())
}

fn with_examples() -> Imported {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    import(&pages, &Options::default())
}

fn model_of(imported: &Imported) -> crate::model::Model {
    let text = imported.scenario.as_ref().expect("a scenario");
    let loaded = crate::load(text);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    loaded.model.unwrap()
}

fn component<'a>(text: &'a str, id: &str) -> &'a str {
    let key = format!("    \"{id}\": ");
    let line = text.lines().find(|l| l.starts_with(&key)).unwrap_or_else(|| panic!("no component {id}"));
    line
}

#[test]
fn the_demo_imports_and_validates() {
    let imported = demo();
    let errors: Vec<_> = imported.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    model_of(&imported);
    // 72 devices: 19 patch panels are pass-through, the other 53 become components.
    assert_eq!(imported.summary.devices_read, 72);
    assert_eq!(imported.summary.devices_imported, 53);
}

/// Facts found by hand: the 13 branch routers and 13 access switches each have one PSU,
/// on Outlet 1 and Outlet 2 of their branch's one PDU (dmi01-<x>-pdu01); no PDU inlet is
/// cabled, so every branch PDU hangs on its site's unrecorded supply.
#[test]
fn branch_devices_hang_on_one_pdu() {
    let imported = demo();
    let text = imported.scenario.as_deref().unwrap();
    assert!(component(text, "dmi01-akron-rtr01").contains(r#""power": ["dmi01-akron-pdu01"]"#));
    assert!(component(text, "dmi01-rochster-sw01").contains(r#""power": ["dmi01-rochester-pdu01"]"#));
    assert!(component(text, "dmi01-akron-pdu01").contains(r#""from": "dm-akron-unrecorded-power""#));
    // The 13 PDUs' inlets and the 14 MDF/campus devices with no cabled PSU are the
    // devices without recorded power.
    assert_eq!(imported.summary.devices_without_recorded_power, 27);
}

/// Each branch router and its access switch are each other's only neighbour, over the
/// two members of a LAG (Po1): two parallel links. Every distribution switch reaches
/// both core switches, but both paths run through one campus circuit.
#[test]
fn links_lags_and_shared_circuits() {
    let imported = demo();
    let text = imported.scenario.as_deref().unwrap();
    let akron: Vec<&str> =
        text.lines().filter(|l| l.contains(r#""between": ["dmi01-akron-rtr01", "dmi01-akron-sw01"]"#)).collect();
    assert_eq!(akron.len(), 2, "{akron:?}");
    for (dist, circuit) in
        [("ncsu117-distswitch1", "350927"), ("ncsu118-distswitch1", "398282"), ("ncsu128-distswitch1", "319031")]
    {
        let links: Vec<&str> =
            text.lines().filter(|l| l.contains(&format!("\"{dist}\"")) && l.contains("between")).collect();
        assert_eq!(links.len(), 4, "{dist}: {links:?}");
        assert!(links.iter().all(|l| l.contains(&format!("\"circuit-{circuit}\""))), "{links:?}");
    }
}

/// The analysis sees what the data says: ncsu128-distswitch1 has four uplinks to two core
/// switches, all through circuit 319031, so the circuit is a single point of failure of
/// the campus building's reach to the core; no one uplink cable is.
#[test]
fn the_shared_circuit_is_a_spof_of_the_campus() {
    let imported = demo();
    let base = imported.scenario.clone().unwrap();
    // What an architect writes in the extending file: users in building 128, the core.
    let top = r#"{ "components": { "users-128": { "kind": "entry" } },
        "links": [ { "between": ["users-128", "ncsu128-distswitch1"] } ],
        "services": { "campus-128": { "from": "users-128", "through": ["ncsu-coreswitch1"] } } }"#;
    let loaded = crate::load_layers(&[&base, top]);
    let model = loaded.model.unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
    let singles = crate::analysis::single_failures::single_failures(&model);
    let spofs: Vec<String> = singles[0].as_ref().unwrap().iter().map(|&e| model.element(e).name.clone()).collect();
    for expected in ["circuit-319031", "trunk-cable-87", "trunk-cable-88", "ncsu128-distswitch1", "ncsu-coreswitch1"] {
        assert!(spofs.contains(&expected.to_string()), "{expected} missing from {spofs:?}");
    }
    assert!(!spofs.iter().any(|s| s == "cable-124"), "{spofs:?}");
}

#[test]
fn the_examples_add_power_chains_and_fhrp_groups() {
    let imported = with_examples();
    let text = imported.scenario.as_deref().unwrap();
    model_of(&imported);
    // r105-torsw:1 and :2: PSU0 on PDU A (feed P1-5A, Panel 1), PSU1 on PDU B (P2-5B, Panel 2).
    for member in ["r105-torsw-1", "r105-torsw-2"] {
        assert!(component(text, member).contains(r#""power": ["mdf-r105-pdu-a", "mdf-r105-pdu-b"]"#), "{member}");
    }
    assert!(component(text, "mdf-r105-pdu-a").contains(r#""from": "p1-5a""#));
    assert!(component(text, "p1-5a").contains(r#""from": "ncsu-065-panel-1""#));
    // 220 V × 20 A × 80 % = 3520 W.
    assert!(component(text, "p1-5a").contains(r#""capacity_watts": 3520"#), "{}", component(text, "p1-5a"));
    // ncsu-coreswitch1: PSU0 → P1-3A, PSU1 → P2-3B straight; PSU2 and PSU3 uncabled.
    assert!(component(text, "ncsu-coreswitch1").contains(r#""power": ["p1-3a", "p2-3b"]"#));
    let uncabled: Vec<_> =
        imported.diagnostics.iter().filter(|d| d.code == "NB202").map(|d| d.message.clone()).collect();
    assert_eq!(uncabled.len(), 2, "{uncabled:?}");
    assert!(uncabled.iter().all(|m| m.contains("ncsu-coreswitch1")));
    // VRRPv3 100 and HSRP 200 on both core switches, priorities 200/100.
    assert!(text.contains(r#""mdf-vlan100-gw": { "kind": "vrrp", "members": ["ncsu-coreswitch1", "ncsu-coreswitch2"], "priorities": [200, 100], "version": 3, "vip": "10.100.0.1/24" }"#));
    assert!(text.contains(r#""mdf-vlan200-gw": { "kind": "hsrp", "members": ["ncsu-coreswitch1", "ncsu-coreswitch2"], "priorities": [200, 100], "vip": "10.200.0.1/24" }"#));
}

/// The cable walk agrees with NetBox's own recorded traces (the `/trace/` responses).
#[test]
fn the_cable_walk_matches_netbox_traces() {
    let responses = responses::parse(&folder("api"), &mut Vec::new());
    let options = Options::default();
    let cx = Cx {
        r: &responses,
        options: &options,
        diagnostics: Vec::new(),
        ids: Ids::default(),
        devices: BTreeMap::new(),
        out: Scenario::default(),
        unrecorded_power: BTreeSet::new(),
        locations: BTreeMap::new(),
        summary: Summary::default(),
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/netbox/api");
    for iface in [863, 969, 1022, 3] {
        let trace: Value = serde_json::from_str(
            &std::fs::read_to_string(root.join(format!("dcim__interfaces__{iface}__trace.json"))).unwrap(),
        )
        .unwrap();
        let segments = trace.as_array().unwrap();
        let cables: Vec<i64> = segments.iter().filter_map(|s| s[1].get("id").and_then(Value::as_i64)).collect();
        let last_far = segments.last().unwrap()[2].as_array().unwrap()[0]["id"].as_i64();
        let (end, walked, _) = network::trace_interface_for_test(&cx, iface);
        assert_eq!(walked, cables, "interface {iface}");
        assert_eq!(end, last_far, "interface {iface}");
    }
}

#[test]
fn output_is_deterministic_whatever_the_page_order() {
    let mut pages = folder("api");
    let a = import(&pages, &Options::default()).scenario;
    pages.reverse();
    let b = import(&pages, &Options::default()).scenario;
    assert_eq!(a, b);
}

#[test]
fn scope_by_site_and_status() {
    let options = Options { sites: vec!["dm-akron".into()], ..Options::default() };
    let imported = import(&folder("api"), &options);
    assert_eq!(imported.summary.devices_imported, 3, "router, switch, PDU");
    model_of(&imported);
    let options = Options { statuses: vec!["planned".into()], ..Options::default() };
    assert_eq!(import(&folder("api"), &options).summary.devices_imported, 0);
}

fn page(endpoint: &str, text: &str) -> Page {
    Page { endpoint: endpoint.into(), source: format!("{}.json", endpoint.replace('/', "__")), text: text.into() }
}

const SITE: &str = r#"{"results": [{"id": 1, "slug": "s", "name": "S"}]}"#;

#[test]
fn an_unmapped_role_is_an_error_naming_role_and_devices() {
    let devices = r#"{"results": [
        {"id": 1, "name": "con-1", "role": {"slug": "console-server"}, "site": {"slug": "s"}, "status": {"value": "active"}},
        {"id": 2, "name": "con-2", "role": {"slug": "console-server"}, "site": {"slug": "s"}, "status": {"value": "active"}},
        {"id": 3, "name": "x", "role": null, "site": {"slug": "s"}}]}"#;
    let imported = import(&[page("dcim/sites", SITE), page("dcim/devices", devices)], &Options::default());
    assert!(imported.scenario.is_none());
    let messages: Vec<String> = imported.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).collect();
    assert!(
        messages.iter().any(|m| m.contains("NB102") && m.contains("\"console-server\"") && m.contains("con-1, con-2")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.contains("NB101") && m.contains("device x has no role")), "{messages:?}");
}

#[test]
fn netbox_3_device_role_is_read() {
    let devices = r#"{"results": [{"id": 1, "name": "r1", "device_role": {"slug": "router"}, "site": {"slug": "s"}, "status": "active"}]}"#;
    let imported = import(&[page("dcim/sites", SITE), page("dcim/devices", devices)], &Options::default());
    let text = imported.scenario.unwrap();
    assert!(text.contains(r#""r1": { "kind": "router", "site": "s""#), "{text}");
}

#[test]
fn bad_input_gets_diagnostics_not_panics() {
    let cases = [
        ("dcim/devices", "{\"results\": [{\"id\": 1,"),
        ("dcim/devices", "{\"results\": 7}"),
        ("dcim/devices", "[1, 2]"),
        ("dcim/devices", "\"text\""),
        (
            "dcim/interfaces",
            r#"{"results": [{"id": 5, "device": {"id": 1}, "cable": {"id": 9}, "link_peers_type": "dcim.frontport", "connected_endpoints": null}]}"#,
        ),
    ];
    for (endpoint, text) in cases {
        let devices = r#"{"results": [{"id": 1, "name": "r1", "role": {"slug": "router"}, "site": {"slug": "s"}}]}"#;
        let mut pages = vec![page("dcim/sites", SITE), page("dcim/devices", devices)];
        pages.push(page(endpoint, text));
        let imported = import(&pages, &Options::default());
        assert!(!imported.diagnostics.is_empty(), "{endpoint}: {text}");
    }
}

/// A loop of patch panels (front port 1 → rear 1 → cable → rear 1 of the same panel
/// again) ends in a diagnostic, not an endless walk.
#[test]
fn a_cycle_of_patch_panels_is_reported() {
    let devices = r#"{"results": [{"id": 1, "name": "r1", "role": {"slug": "router"}, "site": {"slug": "s"}}]}"#;
    let interfaces = r#"{"results": [{"id": 5, "name": "ge0", "device": {"id": 1}, "cable": {"id": 1}}]}"#;
    let cables = r#"{"results": [
        {"id": 1, "a_terminations": [{"object_type": "dcim.interface", "object_id": 5}], "b_terminations": [{"object_type": "dcim.frontport", "object_id": 10}]},
        {"id": 2, "a_terminations": [{"object_type": "dcim.rearport", "object_id": 20}], "b_terminations": [{"object_type": "dcim.rearport", "object_id": 21}]},
        {"id": 3, "a_terminations": [{"object_type": "dcim.frontport", "object_id": 11}], "b_terminations": [{"object_type": "dcim.frontport", "object_id": 10}]}]}"#;
    let fronts = r#"{"results": [{"id": 10, "rear_port": {"id": 20}, "rear_port_position": 1}, {"id": 11, "rear_port": {"id": 21}, "rear_port_position": 1}]}"#;
    let rears = r#"{"results": [{"id": 20, "positions": 1}, {"id": 21, "positions": 1}]}"#;
    let pages = [
        page("dcim/sites", SITE),
        page("dcim/devices", devices),
        page("dcim/interfaces", interfaces),
        page("dcim/cables", cables),
        page("dcim/front-ports", fronts),
        page("dcim/rear-ports", rears),
    ];
    let imported = import(&pages, &Options::default());
    assert!(
        imported.diagnostics.iter().any(|d| d.code == "NB301" && d.message.contains("loops")),
        "{:#?}",
        imported.diagnostics
    );
}

/// A cable with two terminations a side (a two-pair bundle between two switches) makes
/// two links, its pairs taken in order, both through the one cable (its srlg); before,
/// each interface took the first far end, and two links of one cable from one device
/// overwrote each other.
#[test]
fn a_bundle_cable_makes_one_link_per_pair() {
    let devices = r#"{"results": [
        {"id": 1, "name": "sw1", "role": {"slug": "access-switch"}, "site": {"slug": "s"}},
        {"id": 2, "name": "sw2", "role": {"slug": "access-switch"}, "site": {"slug": "s"}}]}"#;
    let ends = |mine: i64| {
        let far = if mine < 7 { [7, 8] } else { [5, 6] };
        format!(
            r#""connected_endpoints_type": "dcim.interface", "connected_endpoints": [{{"id": {}, "name": "e{}", "device": {{"id": {}}}}}, {{"id": {}, "name": "e{}", "device": {{"id": {}}}}}]"#,
            far[0],
            far[0],
            if mine < 7 { 2 } else { 1 },
            far[1],
            far[1],
            if mine < 7 { 2 } else { 1 }
        )
    };
    let interfaces = format!(
        r#"{{"results": [
        {{"id": 5, "name": "e5", "device": {{"id": 1}}, "cable": {{"id": 1}}, {}}},
        {{"id": 6, "name": "e6", "device": {{"id": 1}}, "cable": {{"id": 1}}, {}}},
        {{"id": 7, "name": "e7", "device": {{"id": 2}}, "cable": {{"id": 1}}, {}}},
        {{"id": 8, "name": "e8", "device": {{"id": 2}}, "cable": {{"id": 1}}, {}}}]}}"#,
        ends(5),
        ends(6),
        ends(7),
        ends(8)
    );
    let cables = r#"{"results": [{"id": 1,
        "a_terminations": [{"object_type": "dcim.interface", "object_id": 5}, {"object_type": "dcim.interface", "object_id": 6}],
        "b_terminations": [{"object_type": "dcim.interface", "object_id": 7}, {"object_type": "dcim.interface", "object_id": 8}]}]}"#;
    let pages = [
        page("dcim/sites", SITE),
        page("dcim/devices", devices),
        page("dcim/interfaces", &interfaces),
        page("dcim/cables", cables),
        page("dcim/front-ports", r#"{"results": []}"#),
        page("dcim/rear-ports", r#"{"results": []}"#),
    ];
    let imported = import(&pages, &Options::default());
    let text = imported.scenario.clone().expect("scenario");
    let links: Vec<&str> = text.lines().filter(|l| l.contains("\"between\"")).collect();
    assert_eq!(links.len(), 2, "{text}");
    assert!(!imported.diagnostics.iter().any(|d| d.code == "NB302"), "{:#?}", imported.diagnostics);
    let m = model_of(&imported);
    assert_eq!(m.links.len(), 2);
}

/// 50,000 devices in one site import in one pass (the walk is linear), with no panic.
#[test]
fn a_large_site_imports() {
    let mut devices = String::from("{\"results\": [");
    for i in 1..=50_000 {
        if i > 1 {
            devices.push(',');
        }
        devices.push_str(&format!(
            r#"{{"id": {i}, "name": "srv-{i}", "role": {{"slug": "server"}}, "site": {{"slug": "s"}}}}"#
        ));
    }
    devices.push_str("]}");
    let imported = import(&[page("dcim/sites", SITE), page("dcim/devices", &devices)], &Options::default());
    assert_eq!(imported.summary.devices_imported, 50_000);
    assert!(imported.scenario.is_some());
}

/// The fuzz seed (NUL-separated responses in ENDPOINTS order) imports into a scenario
/// that loads: a router and switch with an FHRP group, a server behind a patch panel, a
/// PDU on a feed of a panel, and an uncabled second PSU.
#[test]
fn the_fuzz_seed_imports_and_loads() {
    let seed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/import_netbox/seed-small-site"))
        .unwrap();
    let pages: Vec<Page> = seed
        .split(|b| *b == 0)
        .enumerate()
        .map(|(i, chunk)| Page {
            endpoint: ENDPOINTS[i % ENDPOINTS.len()].to_string(),
            source: format!("page-{i}"),
            text: String::from_utf8_lossy(chunk).into_owned(),
        })
        .collect();
    let imported = import(&pages, &Options::default());
    let text = imported.scenario.as_deref().unwrap_or_else(|| panic!("{:#?}", imported.diagnostics));
    model_of(&imported);
    assert!(component(text, "r1").contains(r#""power": ["pdu-a"], "draw_watts": 100"#), "{text}");
    assert!(component(text, "pdu-a").contains(r#""from": "a""#), "{text}");
    assert!(component(text, "a").contains(r#""capacity_watts": 2944"#), "230 V × 16 A × 80 %\n{text}");
    assert!(text.contains(r#""between": ["sw1", "srv"]"#), "{text}");
    assert!(text.contains(r#""gw": { "kind": "vrrp", "members": ["r1", "sw1"]"#), "{text}");
    assert!(imported.diagnostics.iter().any(|d| d.code == "NB202" && d.message.contains("PSU1 of r1")));
}

/// The 13 branch access switches are single-homed: every link of dmi01-<x>-sw01 goes to
/// dmi01-<x>-rtr01 (the two LAG members), so the router is their single upstream.
#[test]
fn branch_access_switches_are_single_homed() {
    let imported = demo();
    let text = imported.scenario.as_deref().unwrap();
    let switches: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
        .filter(|id| id.starts_with("dmi01-") && id.ends_with("-sw01"))
        .collect();
    assert_eq!(switches.len(), 13, "{switches:?}");
    for sw in switches {
        // The demo data spells one switch "dmi01-rochster-sw01" (its router is "rochester").
        let router = sw.replace("-sw01", "-rtr01").replace("rochster", "rochester");
        let links: Vec<&str> =
            text.lines().filter(|l| l.contains("\"between\"") && l.contains(&format!("\"{sw}\""))).collect();
        assert_eq!(links.len(), 2, "{sw}: {links:?}");
        assert!(links.iter().all(|l| l.contains(&format!("\"{router}\""))), "{sw}: {links:?}");
    }
}

/// Power sources per site, as the data records them: each branch site has one (its
/// unrecorded supply: no feed is cabled); with the examples, the MDF (ncsu-065) reaches
/// Panel 1 and Panel 2 (A and B) besides the unrecorded supply of its uncabled devices.
#[test]
fn power_sources_per_site() {
    let sources = |text: &str, site: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains(r#""kind": "power-feed""#) && l.contains(&format!(r#""site": "{site}""#)))
            .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next().map(str::to_owned))
            .collect()
    };
    let demo = demo().scenario.unwrap();
    for site in ["dm-akron", "dm-albany", "dm-yonkers"] {
        assert_eq!(sources(&demo, site), [format!("{site}-unrecorded-power")], "{site}");
    }
    assert_eq!(sources(&demo, "ncsu-065"), ["ncsu-065-unrecorded-power"]);
    let examples = with_examples().scenario.unwrap();
    assert_eq!(sources(&examples, "ncsu-065"), ["ncsu-065-panel-1", "ncsu-065-panel-2", "ncsu-065-unrecorded-power"]);
}

/// A site slug that is not a valid id (found by fuzzing) still gives a valid scenario.
#[test]
fn odd_site_slugs_become_valid_ids() {
    let sites = r#"{"results": [{"id": 1, "slug": "dc/1 east", "name": "East"}]}"#;
    let devices =
        r#"{"results": [{"id": 1, "name": "r1", "role": {"slug": "router"}, "site": {"slug": "dc/1 east"}}]}"#;
    let imported = import(&[page("dcim/sites", sites), page("dcim/devices", devices)], &Options::default());
    let text = imported.scenario.clone().unwrap();
    assert!(text.contains(r#""dc-1-east": { "description": "East" }"#), "{text}");
    model_of(&imported);
}

/// Each branch reaches the MPLS network through its own entry: the one circuit of a
/// branch is its single point of failure (with one shared entry, a path ran from one
/// branch's circuit through the provider to another branch's, and hid it).
#[test]
fn a_branch_circuit_is_its_spof() {
    let base = demo().scenario.unwrap();
    let top = r#"{ "services": { "albany": { "from": "level3-mpls-dm-albany", "through": ["dmi01-albany-sw01"] } } }"#;
    let loaded = crate::load_layers(&[&base, top]);
    let model = loaded.model.unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
    let singles = crate::analysis::single_failures::single_failures(&model);
    let spofs: Vec<String> = singles[0].as_ref().unwrap().iter().map(|&e| model.element(e).name.clone()).collect();
    assert!(spofs.contains(&"circuit-jhew3951".to_string()), "{spofs:?}");
}

#[test]
fn a_scope_that_matches_nothing_is_an_error() {
    let options = Options { sites: vec!["no-such-site".into()], ..Options::default() };
    let imported = import(&folder("api"), &options);
    assert!(imported.scenario.is_none());
    let d = imported.diagnostics.iter().find(|d| d.code == "NB006").expect("NB006");
    assert!(d.help.as_deref().unwrap().contains("dm-akron"), "{d:?}");
}

/// An override whose id is mistyped gets the id it probably meant.
#[test]
fn a_mistyped_override_names_the_entry_it_meant() {
    let base = demo().scenario.unwrap();
    let top = r#"{ "components": { "circuit-350972": { "availability": "99.99%" } } }"#;
    let loaded = crate::load_layers(&[&base, top]);
    let d = loaded.diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert!(d.help.as_deref().unwrap().contains("did you mean `circuit-350927`?"), "{d:?}");
}

/// A server's LAG becomes a LACP bond to the switches its members reach (NetBox cables
/// members, never the LAG); a switch-to-switch LAG stays parallel links.
#[test]
fn a_server_lag_becomes_a_bond() {
    let devices = r#"{"results": [
        {"id": 1, "name": "srv", "role": {"slug": "server"}, "site": {"slug": "s"}},
        {"id": 2, "name": "sw-a", "role": {"slug": "switch"}, "site": {"slug": "s"}},
        {"id": 3, "name": "sw-b", "role": {"slug": "switch"}, "site": {"slug": "s"}}]}"#;
    let interfaces = r#"{"results": [
        {"id": 10, "name": "bond0", "device": {"id": 1}, "type": {"value": "lag"}, "cable": null},
        {"id": 11, "name": "eth0", "device": {"id": 1}, "lag": {"id": 10}, "cable": {"id": 1},
         "connected_endpoints_type": "dcim.interface", "connected_endpoints": [{"id": 21}]},
        {"id": 12, "name": "eth1", "device": {"id": 1}, "lag": {"id": 10}, "cable": {"id": 2},
         "connected_endpoints_type": "dcim.interface", "connected_endpoints": [{"id": 31}]},
        {"id": 21, "name": "ge1", "device": {"id": 2}, "cable": {"id": 1},
         "connected_endpoints_type": "dcim.interface", "connected_endpoints": [{"id": 11}]},
        {"id": 31, "name": "ge1", "device": {"id": 3}, "cable": {"id": 2},
         "connected_endpoints_type": "dcim.interface", "connected_endpoints": [{"id": 12}]}]}"#;
    let imported = import(
        &[page("dcim/sites", SITE), page("dcim/devices", devices), page("dcim/interfaces", interfaces)],
        &Options::default(),
    );
    let text = imported.scenario.clone().unwrap();
    assert!(component(&text, "srv").contains(r#""bond": { "mode": "lacp", "to": ["sw-a", "sw-b"] }"#), "{text}");
    assert!(!text.contains(r#""between": ["srv""#), "{text}");
    let lacp = |model: &crate::model::Model| {
        model.groups.iter().find(|g| g.name == "srv/bond").expect("bond").arrangement.clone()
    };
    // Two independent switches: one aggregator per switch, one NIC at a time.
    assert_eq!(lacp(&model_of(&imported)), crate::model::Arrangement::ActiveStandby);
    // The two switches of one virtual chassis answer LACP as one partner.
    let in_chassis = devices
        .replace(r#""name": "sw-a", "#, r#""name": "sw-a", "virtual_chassis": {"id": 7}, "vc_position": 1, "#)
        .replace(r#""name": "sw-b", "#, r#""name": "sw-b", "virtual_chassis": {"id": 7}, "vc_position": 2, "#);
    let chassis = r#"{"results": [{"id": 7, "name": "tor-stack", "master": {"id": 2}}]}"#;
    let imported = import(
        &[
            page("dcim/sites", SITE),
            page("dcim/devices", &in_chassis),
            page("dcim/interfaces", interfaces),
            page("dcim/virtual-chassis", chassis),
        ],
        &Options::default(),
    );
    let text = imported.scenario.clone().unwrap();
    assert!(component(&text, "sw-a").contains(r#""mlag_peer": "sw-b""#), "{text}");
    assert_eq!(lacp(&model_of(&imported)), crate::model::Arrangement::ActiveActive { need: 1 });
}

#[test]
fn a_roles_file_key_no_device_has_is_a_warning() {
    let options = Options { roles_file_keys: vec!["core-swtich".into()], ..Options::default() };
    let imported = import(&folder("api"), &options);
    let d = imported.diagnostics.iter().find(|d| d.code == "NB007").expect("NB007");
    assert!(d.help.as_deref().unwrap().contains("did you mean `core-switch`?"), "{d:?}");
}

/// Facts found by hand in dcim__devices.json/dcim__locations.json: both core switches
/// stand in location "Row 1" of site ncsu-065, so a failure of that row (fire, flooded
/// floor) takes the campus core; the server in "Row 2" is not in it.
#[test]
fn locations_are_sites_inside_their_site() {
    let imported = demo();
    let text = imported.scenario.clone().unwrap();
    assert!(text.contains(r#""ncsu-065-row-1": { "description": "Row 1", "site": "ncsu-065" }"#), "{text}");
    assert!(component(&text, "ncsu-coreswitch1").contains(r#""site": "ncsu-065-row-1""#));
    assert!(component(&text, "ncsu-coreswitch2").contains(r#""site": "ncsu-065-row-1""#));
    assert!(component(&text, "lenovo-flex-system-106").contains(r#""site": "ncsu-065-row-2""#));
    // Rows 3 and 4 hold no imported device.
    assert!(!text.contains("ncsu-065-row-3"), "{text}");
    let top = r#"{ "components": { "users-128": { "kind": "entry" } },
        "links": [ { "between": ["users-128", "ncsu128-distswitch1"] } ],
        "services": { "campus-128": { "from": "users-128", "through": ["mdf-vlan100-gw"] } } }"#;
    let with_examples = with_examples().scenario.unwrap();
    let loaded = crate::load_layers(&[&with_examples, top]);
    let model = loaded.model.unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
    let singles = crate::analysis::single_failures::single_failures(&model);
    let spofs: Vec<String> = singles[0].as_ref().unwrap().iter().map(|&e| model.element(e).name.clone()).collect();
    assert!(spofs.contains(&"ncsu-065-row-1".to_string()), "{spofs:?}");
    assert!(!spofs.contains(&"ncsu-065-row-2".to_string()), "{spofs:?}");
}

/// A location inside a location: the hall is inside the building, the building inside
/// the site; each level fails everything below it. A power panel in a location stands
/// there too. Location custom fields override the failure figures.
#[test]
fn nested_locations_and_panels_in_locations() {
    let locations = r#"{"results": [
        {"id": 7, "slug": "building-a", "name": "Building A", "site": {"slug": "s"}, "parent": null},
        {"id": 8, "slug": "hall-1", "name": "Hall 1", "site": {"slug": "s"}, "parent": {"id": 7, "slug": "building-a"},
         "custom_fields": {"spofsim_mtbf": "50y"}}]}"#;
    let devices = r#"{"results": [
        {"id": 1, "name": "r1", "role": {"slug": "router"}, "site": {"slug": "s"}, "location": {"id": 8, "slug": "hall-1"}},
        {"id": 2, "name": "r2", "role": {"slug": "router"}, "site": {"slug": "s"}}]}"#;
    let panels =
        r#"{"results": [{"id": 3, "name": "P1", "site": {"slug": "s"}, "location": {"id": 7, "slug": "building-a"}}]}"#;
    let feeds = r#"{"results": [{"id": 4, "name": "F1", "power_panel": {"id": 3}, "type": {"value": "primary"}}]}"#;
    let ports = r#"{"results": [{"id": 5, "name": "PSU1", "device": {"id": 1},
        "connected_endpoints_type": "dcim.powerfeed", "connected_endpoints": [{"id": 4}], "cable": {"id": 9}}]}"#;
    let imported = import(
        &[
            page("dcim/sites", SITE),
            page("dcim/locations", locations),
            page("dcim/devices", devices),
            page("dcim/power-panels", panels),
            page("dcim/power-feeds", feeds),
            page("dcim/power-ports", ports),
        ],
        &Options::default(),
    );
    let text = imported.scenario.clone().unwrap_or_else(|| panic!("{:#?}", imported.diagnostics));
    assert!(text.contains(r#""s-building-a": { "description": "Building A", "site": "s" }"#), "{text}");
    assert!(
        text.contains(r#""s-hall-1": { "description": "Hall 1", "site": "s-building-a", "mtbf": "50y" }"#),
        "{text}"
    );
    assert!(component(&text, "r1").contains(r#""site": "s-hall-1""#), "{text}");
    assert!(component(&text, "r2").contains(r#""site": "s""#), "{text}");
    assert!(component(&text, "s-p1").contains(r#""site": "s-building-a""#), "{text}");
    let model = model_of(&imported);
    // The building's failure takes r1 (through the hall), not r2.
    let building = model.elements.iter().position(|e| e.name == "s-building-a").unwrap();
    let r1 = model.elements.iter().position(|e| e.name == "r1").unwrap();
    let r2 = model.elements.iter().position(|e| e.name == "r2").unwrap();
    let mut failed = vec![false; model.elements.len()];
    failed[building] = true;
    let works = crate::model::eval::evaluate(&model, &failed).element_works;
    assert!(!works[r1] && works[r2]);
}

/// NetBox stores FHRP priorities 0–255 for every protocol; a VRRP scenario takes 1–254
/// (RFC 5798 §5.2.4). The address owner (255) and out-of-range values are moved to the
/// nearest end with NB505, and the member order stays NetBox's.
#[test]
fn fhrp_priorities_outside_the_protocol_range_are_moved_with_a_warning() {
    let devices = r#"{"results": [
        {"id": 1, "name": "r1", "role": {"slug": "router"}, "site": {"slug": "s"}},
        {"id": 2, "name": "r2", "role": {"slug": "router"}, "site": {"slug": "s"}}]}"#;
    let groups = r#"{"results": [
        {"id": 1, "name": "gw", "protocol": "vrrp3", "group_id": 1},
        {"id": 2, "name": "hs", "protocol": "hsrp", "group_id": 2}]}"#;
    let assignments = r#"{"results": [
        {"id": 1, "group": {"id": 1}, "interface_type": "dcim.interface", "interface": {"id": 10, "device": {"id": 2}}, "priority": 255},
        {"id": 2, "group": {"id": 1}, "interface_type": "dcim.interface", "interface": {"id": 11, "device": {"id": 1}}, "priority": 0},
        {"id": 3, "group": {"id": 2}, "interface_type": "dcim.interface", "interface": {"id": 12, "device": {"id": 1}}, "priority": 2100},
        {"id": 4, "group": {"id": 2}, "interface_type": "dcim.interface", "interface": {"id": 13, "device": {"id": 2}}, "priority": 0}]}"#;
    let imported = import(
        &[
            page("dcim/sites", SITE),
            page("dcim/devices", devices),
            page("ipam/fhrp-groups", groups),
            page("ipam/fhrp-group-assignments", assignments),
        ],
        &Options::default(),
    );
    let text = imported.scenario.clone().unwrap();
    assert!(text.contains(r#""members": ["r2", "r1"], "priorities": [254, 1]"#), "{text}");
    assert!(text.contains(r#""members": ["r1", "r2"], "priorities": [255, 0]"#), "{text}");
    let nb505: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB505").map(|d| d.message.as_str()).collect();
    assert_eq!(nb505.len(), 3, "{nb505:?}");
    assert!(nb505.iter().any(|m| m.contains("r2 has priority 255") && m.contains("imported as 254")), "{nb505:?}");
    assert!(nb505.iter().any(|m| m.contains("r1 has priority 2100") && m.contains("imported as 255")), "{nb505:?}");
    model_of(&imported);
}

/// Both PSUs of r105-torsw:1 on PDU A (port 61 moved from outlet 161 on PDU B to outlet
/// 155 on PDU A, as a miscabled rack would be recorded): the PDU is listed twice, the
/// scenario loads, and NB207 names the device.
#[test]
fn two_psus_on_one_pdu_are_that_pdu_twice_with_a_warning() {
    let pages = with_ports_on_outlets(&[(61, 155)]);
    let imported = import(&pages, &Options::default());
    let model = model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    assert!(component(text, "r105-torsw-1").contains(r#""power": ["mdf-r105-pdu-a", "mdf-r105-pdu-a"]"#), "{text}");
    let warned: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB207").map(|d| d.message.as_str()).collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(warned[0].contains("all 2 cabled PSUs of r105-torsw:1 are on mdf-r105-pdu-a"), "{warned:?}");
    // Two PSUs, each needing PDU A.
    let e = model.elements.iter().find(|e| e.name == "r105-torsw-1").unwrap();
    assert_eq!(e.psus.len(), 2);
}

/// A device with PSUs NetBox records but none cabled (ncsu128-distswitch1: PSU0 and
/// PSU1, found by hand in dcim__power-ports.json) keeps both PSUs, on the assumed source.
#[test]
fn uncabled_psus_stay_as_many_on_the_assumed_source() {
    let imported = demo();
    let text = imported.scenario.as_deref().unwrap();
    let line = component(text, "ncsu128-distswitch1");
    assert!(line.contains(r#""power": ["ncsu-128-unrecorded-power", "ncsu-128-unrecorded-power"]"#), "{line}");
}

/// `--circuit-availability` is checked before anything is written: a value the scenario
/// would reject later (no %, over 100%, 0%) is NB009 and no scenario.
#[test]
fn a_circuit_availability_that_is_no_percentage_is_an_error() {
    for bad in ["abc", "101%", "0%", "99.95", "-5%"] {
        let options = Options { circuit_availability: bad.into(), ..Options::default() };
        let imported = import(&folder("api"), &options);
        assert!(imported.scenario.is_none(), "{bad}");
        let errors: Vec<_> = imported.diagnostics.iter().filter(|d| d.code == "NB009").collect();
        assert_eq!(errors.len(), 1, "{bad}: {:#?}", imported.diagnostics);
        assert!(errors[0].message.contains(bad), "{}", errors[0].message);
    }
    let options = Options { circuit_availability: "99.95%".into(), ..Options::default() };
    assert!(import(&folder("api"), &options).scenario.is_some());
}

/// A feed whose amperage is words and whose max_utilization is null (NetBox writes
/// neither): NB208 for each, no capacity without the amperage, and nothing silent; its
/// voltage written as the text "220" is read, with NB013, as every number field is; the
/// same feed marked failed in NetBox is NB210.
#[test]
fn a_power_feed_with_fields_of_the_wrong_type_is_reported() {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let feeds = pages.iter().find(|p| p.source.ends_with("api-examples/dcim__power-feeds.json")).unwrap();
    let mut feed: serde_json::Value = serde_json::from_str::<serde_json::Value>(&feeds.text).unwrap()["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == 9)
        .unwrap()
        .clone();
    feed["voltage"] = "220".into();
    feed["amperage"] = "lots".into();
    feed["max_utilization"] = serde_json::Value::Null;
    feed["status"] = serde_json::json!({ "value": "failed", "label": "Failed" });
    pages.push(overlay("dcim/power-feeds", "overlay/dcim__power-feeds.json", vec![feed]));
    let imported = import(&pages, &Options::default());
    model_of(&imported);
    let warned: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB208").map(|d| d.message.as_str()).collect();
    assert_eq!(warned.len(), 2, "{warned:?}");
    assert!(warned.iter().any(|m| m.contains("amperage is a string")), "{warned:?}");
    let text_numbers: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB013").map(|d| d.message.as_str()).collect();
    assert!(text_numbers.iter().any(|m| m.contains("voltage is the text \"220\"")), "{text_numbers:?}");
    assert!(warned.iter().any(|m| m.contains("max_utilization is null") && m.contains("80%")), "{warned:?}");
    let failed: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB210").map(|d| d.message.as_str()).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].contains("P1-5A is failed"), "{failed:?}");
    let text = imported.scenario.as_deref().unwrap();
    assert!(!component(text, "p1-5a").contains("capacity_watts"), "{}", component(text, "p1-5a"));
}

/// A tag no device carries is NB010 with the tag it probably meant; a role written as a
/// plain string says so; a byte-order mark before the JSON is read past.
#[test]
fn tag_typos_string_roles_and_byte_order_marks() {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let options = Options { tags: vec!["importer-exampel".into()], ..Options::default() };
    let imported = import(&pages, &options);
    let nb010: Vec<_> = imported.diagnostics.iter().filter(|d| d.code == "NB010").collect();
    assert_eq!(nb010.len(), 1, "{:#?}", imported.diagnostics);
    assert!(nb010[0].help.as_deref().unwrap_or("").contains("importer-example"), "{:?}", nb010[0]);
    let options = Options { statuses: vec!["active".into(), "plannd".into()], ..Options::default() };
    let imported = import(&folder("api"), &options);
    let nb011: Vec<_> = imported.diagnostics.iter().filter(|d| d.code == "NB011").collect();
    assert_eq!(nb011.len(), 1, "{:#?}", imported.diagnostics);
    assert!(nb011[0].help.as_deref().unwrap_or("").contains("`planned`"), "{:?}", nb011[0]);
    let devices = r#"{"count":1,"next":null,"results":[{"id":1,"name":"r1","role":"router","status":{"value":"active"},"site":{"id":1,"slug":"s"}}]}"#;
    let sites = "\u{feff}{\"count\":1,\"next\":null,\"results\":[{\"id\":1,\"slug\":\"s\",\"name\":\"S\"}]}";
    let pages = vec![
        Page { endpoint: "dcim/devices".into(), source: "d.json".into(), text: devices.into() },
        Page { endpoint: "dcim/sites".into(), source: "s.json".into(), text: sites.into() },
    ];
    let imported = import(&pages, &Options::default());
    let messages: Vec<String> = imported.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).collect();
    assert!(messages.iter().any(|m| m.starts_with("NB101") && m.contains("role is a string")), "{messages:?}");
    assert!(!messages.iter().any(|m| m.starts_with("NB001")), "the BOM is read past: {messages:?}");
}

/// One saved listing page of `endpoint` holding `results` (laid over the recorded pages:
/// a later page's object replaces the earlier one with the same id).
fn overlay(endpoint: &str, source: &str, results: Vec<serde_json::Value>) -> Page {
    Page {
        endpoint: endpoint.into(),
        source: source.into(),
        text: serde_json::json!({ "count": results.len(), "next": null, "results": results }).to_string(),
    }
}

/// The recorded pages with power ports replaced: (port id, outlet id) → that port now
/// plugs into that outlet.
fn with_ports_on_outlets(moves: &[(i64, i64)]) -> Vec<Page> {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let ports = pages.iter().find(|p| p.source.ends_with("dcim__power-ports__mdf-examples.json")).unwrap();
    let all: serde_json::Value = serde_json::from_str(&ports.text).unwrap();
    let moved: Vec<serde_json::Value> = moves
        .iter()
        .map(|&(port, outlet)| {
            let mut p = all["results"].as_array().unwrap().iter().find(|p| p["id"] == port).unwrap().clone();
            p["connected_endpoints_type"] = "dcim.poweroutlet".into();
            p["connected_endpoints"] = serde_json::json!([{ "id": outlet }]);
            p
        })
        .collect();
    pages.push(overlay("dcim/power-ports", "overlay/dcim__power-ports.json", moved));
    pages
}

/// A daisy chain: PDU B's inlet (port 83) plugged into Outlet 4 of PDU A (outlet 156):
/// PDU B is fed from PDU A, so PDU A, its feed P1-5A and Panel 1 are what both PSUs of
/// the r105 switches hang on. A loop of two PDUs is cut with NB209, and still loads.
#[test]
fn daisy_chained_pdus_feed_each_other() {
    let imported = import(&with_ports_on_outlets(&[(83, 156)]), &Options::default());
    model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    assert!(
        component(text, "mdf-r105-pdu-b").contains(r#""from": "mdf-r105-pdu-a""#),
        "{}",
        component(text, "mdf-r105-pdu-b")
    );
    assert!(!imported.diagnostics.iter().any(|d| d.code == "NB205" && d.message.contains("mdf-r105-pdu-b")));
    let looped = import(&with_ports_on_outlets(&[(83, 156), (82, 163)]), &Options::default());
    model_of(&looped);
    let nb209: Vec<_> = looped.diagnostics.iter().filter(|d| d.code == "NB209").collect();
    assert_eq!(nb209.len(), 1, "{:#?}", looped.diagnostics);
    assert!(nb209[0].message.contains("from itself"), "{}", nb209[0].message);
}

/// PDU A made dual-inlet, as NetBox records one: a second inlet ("Input B", power port
/// 9001, cabled to feed P2-5B) and its Outlets 3 and 5 (ids 155, 157) on that inlet; then
/// `moves` as in [`with_ports_on_outlets`].
fn with_second_inlet_on_pdu_a(moves: &[(i64, i64)]) -> Vec<Page> {
    let mut pages = with_ports_on_outlets(moves);
    let listing = |pages: &[Page], suffix: &str| -> serde_json::Value {
        serde_json::from_str(&pages.iter().find(|p| p.source.ends_with(suffix)).unwrap().text).unwrap()
    };
    let ports = listing(&pages, "api-examples/dcim__power-ports__mdf-examples.json");
    let mut inlet = ports["results"].as_array().unwrap().iter().find(|p| p["id"] == 82).unwrap().clone();
    inlet["id"] = 9001.into();
    inlet["name"] = "Input B".into();
    inlet["display"] = "Input B".into();
    inlet["url"] = "http://netbox.example.com/api/dcim/power-ports/9001/".into();
    inlet["connected_endpoints"] = serde_json::json!([{ "id": 10 }]);
    let outlets = listing(&pages, "api-examples/dcim__power-outlets__mdf-examples.json");
    let moved: Vec<serde_json::Value> = [155, 157]
        .iter()
        .map(|&id| {
            let mut o = outlets["results"].as_array().unwrap().iter().find(|o| o["id"] == id).unwrap().clone();
            o["power_port"] = serde_json::json!({ "id": 9001, "name": "Input B", "display": "Input B" });
            o
        })
        .collect();
    for (endpoint, results) in [("dcim/power-ports", vec![inlet]), ("dcim/power-outlets", moved)] {
        pages.push(overlay(endpoint, &format!("overlay/{}__second-inlet.json", endpoint.replace('/', "__")), results));
    }
    pages
}

/// A dual-inlet PDU is an enclosure with one PDU per inlet, each on its own inlet's feed.
/// - PSU1 of both r105 switches on Outlets 3 and 5 of PDU A (inlet B, feed P2-5B): each
///   switch has one PSU per inlet of one PDU, so the enclosure is its SPOF (NB207), and
///   feed P1-5A is not (it was, counted on the first inlet, before this mapping).
/// - PSU0 of torsw:1 on Outlet 3 (inlet B, P2-5B) and PSU1 left on PDU B (also P2-5B):
///   feed P2-5B and Panel 2 are its SPOFs, which counting every outlet on the first
///   inlet (P1-5A) hid.
#[test]
fn a_dual_inlet_pdu_is_one_pdu_per_inlet_in_an_enclosure() {
    let spofs_of = |imported: &Imported, device: &str| -> Vec<String> {
        let top = format!(
            r#"{{ "components": {{ "users": {{ "kind": "entry" }} }},
                "links": [ {{ "between": ["users", "{device}"] }} ],
                "services": {{ "s": {{ "from": "users", "through": ["{device}"] }} }} }}"#
        );
        let loaded = crate::load_layers(&[imported.scenario.as_deref().unwrap(), &top]);
        let model = loaded.model.unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
        let singles = crate::analysis::single_failures::single_failures(&model);
        singles[0].as_ref().unwrap().iter().map(|&e| model.element(e).name.clone()).collect()
    };
    let imported = import(&with_second_inlet_on_pdu_a(&[(61, 155), (63, 157)]), &Options::default());
    model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    assert!(component(text, "mdf-r105-pdu-a").contains(r#""kind": "enclosure""#), "{text}");
    assert!(component(text, "mdf-r105-pdu-a-input").contains(r#""from": "p1-5a", "enclosure": "mdf-r105-pdu-a""#));
    assert!(component(text, "mdf-r105-pdu-a-input-b").contains(r#""from": "p2-5b", "enclosure": "mdf-r105-pdu-a""#));
    for member in ["r105-torsw-1", "r105-torsw-2"] {
        assert!(
            component(text, member).contains(r#""power": ["mdf-r105-pdu-a-input", "mdf-r105-pdu-a-input-b"]"#),
            "{}",
            component(text, member)
        );
    }
    let nb207: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB207").map(|d| d.message.as_str()).collect();
    assert_eq!(nb207.len(), 2, "{nb207:?}");
    assert!(nb207.iter().all(|m| m.contains("one dual-inlet PDU (mdf-r105-pdu-a: ")), "{nb207:?}");
    assert!(!imported.diagnostics.iter().any(|d| d.code == "NB206"), "{:#?}", imported.diagnostics);
    let spofs = spofs_of(&imported, "r105-torsw-1");
    assert!(spofs.contains(&"mdf-r105-pdu-a".to_string()), "{spofs:?}");
    assert!(!spofs.iter().any(|s| s.starts_with("p1-5a") || s.starts_with("p2-5b")), "{spofs:?}");

    let imported = import(&with_second_inlet_on_pdu_a(&[(60, 155)]), &Options::default());
    let text = imported.scenario.as_deref().unwrap();
    assert!(
        component(text, "r105-torsw-1").contains(r#""power": ["mdf-r105-pdu-a-input-b", "mdf-r105-pdu-b"]"#),
        "{}",
        component(text, "r105-torsw-1")
    );
    let spofs = spofs_of(&imported, "r105-torsw-1");
    for expected in ["p2-5b", "ncsu-065-panel-2"] {
        assert!(spofs.contains(&expected.to_string()), "{expected} missing from {spofs:?}");
    }
    assert!(!spofs.iter().any(|s| s.starts_with("mdf-r105-pdu")), "{spofs:?}");
}

/// An outlet of a dual-inlet PDU with no inlet recorded goes on the first inlet, with
/// NB206 naming it.
#[test]
fn an_outlet_with_no_inlet_on_a_dual_inlet_pdu_is_nb206() {
    let mut pages = with_second_inlet_on_pdu_a(&[]);
    let outlets: serde_json::Value = serde_json::from_str(
        &pages.iter().find(|p| p.source.ends_with("dcim__power-outlets__mdf-examples.json")).unwrap().text,
    )
    .unwrap();
    let mut outlet = outlets["results"].as_array().unwrap().iter().find(|o| o["id"] == 153).unwrap().clone();
    outlet["power_port"] = serde_json::Value::Null;
    pages.push(overlay("dcim/power-outlets", "overlay/dcim__power-outlets__no-inlet.json", vec![outlet]));
    let imported = import(&pages, &Options::default());
    model_of(&imported);
    let nb206: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB206").map(|d| d.message.as_str()).collect();
    assert_eq!(nb206.len(), 1, "{nb206:?}");
    assert!(nb206[0].contains("outlet Outlet 1 of dual-inlet PDU mdf-r105-pdu-a records no inlet"), "{nb206:?}");
    let text = imported.scenario.as_deref().unwrap();
    assert!(component(text, "r105-torsw-1").contains(r#""power": ["mdf-r105-pdu-a-input", "mdf-r105-pdu-b"]"#));
}

/// An inlet of a dual-inlet PDU with no cable, while outlets are on it: that inlet is
/// on the site's unrecorded power (NB205), never on the other inlet's feed. Found by a
/// new-user trial: with one of two inlets cabled, the PDU was one pdu on the cabled
/// inlet's feed, so PSUs on the other inlet's outlets hung on a feed NetBox never
/// records for them (a false SPOF: Panel 2 for both switches).
#[test]
fn an_uncabled_inlet_of_a_dual_inlet_pdu_is_on_unrecorded_power() {
    for (uncabled, name, other, other_feed) in
        [(82, "Input", "mdf-r105-pdu-a-input-b", "p2-5b"), (9001, "Input B", "mdf-r105-pdu-a-input", "p1-5a")]
    {
        let mut pages = with_second_inlet_on_pdu_a(&[(61, 155)]);
        // The last page that lists the port is the one the import keeps.
        let mut port = pages
            .iter()
            .filter(|p| p.endpoint == "dcim/power-ports")
            .flat_map(|p| {
                serde_json::from_str::<serde_json::Value>(&p.text).unwrap()["results"].as_array().unwrap().clone()
            })
            .rfind(|p| p["id"] == uncabled)
            .unwrap();
        port["connected_endpoints"] = serde_json::Value::Null;
        port["connected_endpoints_type"] = serde_json::Value::Null;
        port["cable"] = serde_json::Value::Null;
        pages.push(overlay("dcim/power-ports", "overlay/dcim__power-ports__uncabled.json", vec![port]));
        let imported = import(&pages, &Options::default());
        model_of(&imported);
        let text = imported.scenario.as_deref().unwrap();
        let bank = if uncabled == 82 { "mdf-r105-pdu-a-input" } else { "mdf-r105-pdu-a-input-b" };
        assert!(
            component(text, bank).contains(r#""from": "ncsu-065-unrecorded-power", "enclosure": "mdf-r105-pdu-a""#),
            "{}",
            component(text, bank)
        );
        assert!(component(text, other).contains(&format!(r#""from": "{other_feed}""#)), "{}", component(text, other));
        let nb205: Vec<&str> =
            imported.diagnostics.iter().filter(|d| d.code == "NB205").map(|d| d.message.as_str()).collect();
        assert!(
            nb205.iter().any(|m| m.contains(&format!("inlet {name} of PDU mdf-r105-pdu-a is not cabled"))),
            "{nb205:?}"
        );
    }
}

/// A transfer switch (role mapped to `ats`): PDU A with its second inlet (on feed P2-5B)
/// imported as an ATS, preferred input the first inlet by name. Both PSUs of each r105
/// switch moved onto its outlets: the ATS is their single point of failure, and neither
/// feed is. PDU B, mapped to `ats` too but with one inlet, is a PDU on it (NB211).
#[test]
fn a_transfer_switch_takes_its_two_inlets_and_is_its_loads_spof() {
    let mut options = Options::default();
    options.roles.insert("pdu".into(), RoleMapping::Kind("ats"));
    let imported = import(&with_second_inlet_on_pdu_a(&[(61, 155), (63, 157)]), &options);
    let model = model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    let ats = component(text, "mdf-r105-pdu-a");
    assert!(ats.contains(r#""kind": "ats""#) && ats.contains(r#""from": ["p1-5a", "p2-5b"]"#), "{ats}");
    let pdu_b = component(text, "mdf-r105-pdu-b");
    assert!(pdu_b.contains(r#""kind": "pdu""#) && pdu_b.contains(r#""from": "p2-5b""#), "{pdu_b}");
    // The demo's branch PDUs, mapped to `ats` too, have no cabled inlet at all.
    let nb211: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB211").map(|d| d.message.as_str()).collect();
    assert!(nb211.contains(&"transfer switch mdf-r105-pdu-b has 1 cabled inlet(s) on distinct sources, not two: it has nothing to transfer to, so it is imported as a PDU on p2-5b"), "{nb211:?}");
    assert!(nb211.iter().all(|m| m.contains("mdf-r105-pdu-b") || m.contains("has 0 cabled inlet(s)")), "{nb211:?}");
    assert!(!nb211.iter().any(|m| m.contains("mdf-r105-pdu-a")), "{nb211:?}");
    assert!(
        component(text, "r105-torsw-1").contains(r#""power": ["mdf-r105-pdu-a", "mdf-r105-pdu-a"]"#),
        "{}",
        component(text, "r105-torsw-1")
    );
    let ats = model.elements.iter().find(|e| e.name == "mdf-r105-pdu-a").unwrap();
    let ts = ats.transfer_switch.expect("an ats");
    assert_eq!(model.element(ts.preferred).name, "p1-5a");
    assert_eq!(model.element(ts.alternate).name, "p2-5b");
    let top = r#"{ "components": { "users": { "kind": "entry" } },
        "links": [ { "between": ["users", "r105-torsw-1"] } ],
        "services": { "s": { "from": "users", "through": ["r105-torsw-1"] } } }"#;
    let loaded = crate::load_layers(&[text, top]);
    let model = loaded.model.unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
    let singles = crate::analysis::single_failures::single_failures(&model);
    let spofs: Vec<&str> = singles[0].as_ref().unwrap().iter().map(|&e| model.element(e).name.as_str()).collect();
    assert!(spofs.contains(&"mdf-r105-pdu-a"), "{spofs:?}");
    assert!(!spofs.iter().any(|s| s.starts_with("p1-5a") || s.starts_with("p2-5b")), "{spofs:?}");
}

/// A UPS (role mapped to `ups`): the example PDUs become UPSes fed from their inlets'
/// feeds (P1-5A, P2-5B); the r105 switches keep a PSU on each. NetBox records no battery
/// runtime, so each gets none with NB215 (pessimistic), unless the device's custom
/// field `spofsim_battery_runtime` gives one; PDU A made dual-inlet (a second inlet on
/// P2-5B) keeps its first inlet by name as its feed, with NB214. Every import loads, and
/// with a runtime the feed's loss is bridged: neither feed is a SPOF of the switch.
#[test]
fn a_ups_takes_its_inlet_as_its_feed_and_a_runtime_only_from_netbox() {
    let mut options = Options::default();
    options.roles.insert("pdu".into(), RoleMapping::Kind("ups"));
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let plain = import(&pages, &options);
    model_of(&plain);
    let text = plain.scenario.as_deref().unwrap();
    let ups = component(text, "mdf-r105-pdu-a");
    assert!(ups.contains(r#""kind": "ups""#) && ups.contains(r#""feed": "p1-5a", "battery_runtime": "0s""#), "{ups}");
    assert!(component(text, "mdf-r105-pdu-b").contains(r#""feed": "p2-5b""#), "{}", component(text, "mdf-r105-pdu-b"));
    assert!(
        component(text, "r105-torsw-1").contains(r#""power": ["mdf-r105-pdu-a", "mdf-r105-pdu-b"]"#),
        "{}",
        component(text, "r105-torsw-1")
    );
    let nb215: Vec<&str> = plain.diagnostics.iter().filter(|d| d.code == "NB215").map(|d| d.message.as_str()).collect();
    assert!(nb215.iter().any(|m| m.starts_with("UPS mdf-r105-pdu-a records no battery runtime")), "{nb215:?}");

    let mut device = recorded(&pages, "dcim/devices", 107);
    device["custom_fields"] = serde_json::json!({ "spofsim_battery_runtime": "15m" });
    let mut with_runtime = pages.clone();
    with_runtime.push(overlay("dcim/devices", "overlay/dcim__devices.json", vec![device]));
    let imported = import(&with_runtime, &options);
    let model = model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    assert!(component(text, "mdf-r105-pdu-a").contains(r#""battery_runtime": "15m""#), "{text}");
    assert!(!imported.diagnostics.iter().any(|d| d.code == "NB215" && d.message.contains("mdf-r105-pdu-a")));
    let ups = model.elements.iter().find(|e| e.name == "mdf-r105-pdu-a").unwrap();
    assert_eq!(ups.battery_runtime_secs, Some(900.0));
    // A number (an integer custom field) is not read as a duration: NB005 says it is
    // left out, and the UPS gets no battery, without NB215's "records none".
    let mut device = recorded(&pages, "dcim/devices", 107);
    device["custom_fields"] = serde_json::json!({ "spofsim_battery_runtime": 900 });
    let mut numeric = pages.clone();
    numeric.push(overlay("dcim/devices", "overlay/dcim__devices.json", vec![device]));
    let imported = import(&numeric, &options);
    model_of(&imported);
    assert!(component(imported.scenario.as_deref().unwrap(), "mdf-r105-pdu-a").contains(r#""battery_runtime": "0s""#));
    let about: Vec<(&str, &str)> = imported
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("UPS mdf-r105-pdu-a"))
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert_eq!(about.len(), 1, "{about:?}");
    assert_eq!(about[0].0, "NB005");
    assert!(about[0].1.contains("is a number, not a text like \"15m\"; it is left out"), "{about:?}");

    let dual = import(&with_second_inlet_on_pdu_a(&[]), &options);
    model_of(&dual);
    let text = dual.scenario.as_deref().unwrap();
    assert!(component(text, "mdf-r105-pdu-a").contains(r#""feed": "p1-5a""#), "{}", component(text, "mdf-r105-pdu-a"));
    let nb214: Vec<&str> = dual.diagnostics.iter().filter(|d| d.code == "NB214").map(|d| d.message.as_str()).collect();
    assert_eq!(nb214.len(), 1, "{nb214:?}");
    assert!(nb214[0].starts_with("UPS mdf-r105-pdu-a has inlets on 2 distinct sources"), "{nb214:?}");
}

/// Facts found by hand in the demo's interfaces: 13 branch routers' circuits link to a
/// circuit termination whose far side NetBox does not record (`connected_endpoints`
/// null), so each is taken to end at its provider, and NB312 says so once, naming 13
/// circuits; the 13 whose far end is a provider network are not in it. The three
/// distribution switches' two PSUs carry a 650 W maximum_draw each and no allocated
/// draw: the device draws 650 W (what one PSU carries alone), not 1300 W.
#[test]
fn unrecorded_circuit_ends_are_said_and_maximum_draws_are_not_summed() {
    let imported = demo();
    let nb312: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB312").map(|d| d.message.as_str()).collect();
    assert_eq!(nb312.len(), 1, "{nb312:?}");
    assert!(nb312[0].starts_with("13 circuit(s) lead to no recorded far end"), "{nb312:?}");
    let text = imported.scenario.as_deref().unwrap();
    for switch in ["ncsu117-distswitch1", "ncsu118-distswitch1", "ncsu128-distswitch1"] {
        assert!(component(text, switch).ends_with(r#""draw_watts": 650 },"#), "{}", component(text, switch));
    }
}

/// A campus circuit whose far side lost its cable (cable 88, PP:MDF's rear splice to
/// circuit 319031's Z termination, removed, and NetBox's stored far ends of the eight
/// interfaces over it cleared, as NetBox would leave them): the core side's four links
/// become uplinks to the provider, NB312 names 319031, and each runs `via` the circuit
/// and the trunk cable 87 the four share, whose srlg (and the circuit's) counts 4 links.
/// Before, the uplinks missed the trunk (a common cause of all four) and the circuit's
/// comment counted 1.
#[test]
fn uplinks_over_a_shared_trunk_share_its_srlg() {
    let cleared = [863, 864, 865, 866, 1022, 1023, 1070, 1071];
    let pages: Vec<Page> = folder("api")
        .into_iter()
        .map(|mut p| {
            if p.endpoint != "dcim/cables" && p.endpoint != "dcim/interfaces" {
                return p;
            }
            let mut v: serde_json::Value = serde_json::from_str(&p.text).unwrap();
            let count = v["count"].as_u64().unwrap_or(0);
            let Some(results) = v["results"].as_array_mut() else { return p };
            if p.endpoint == "dcim/cables" && results.iter().any(|c| c["id"] == 88) {
                results.retain(|c| c["id"] != 88);
                v["count"] = (count - 1).into();
            } else if p.endpoint == "dcim/interfaces" {
                for i in results.iter_mut().filter(|i| cleared.iter().any(|c| i["id"] == *c)) {
                    i["connected_endpoints"] = serde_json::Value::Null;
                    i["connected_endpoints_type"] = serde_json::Value::Null;
                    i["connected_endpoints_reachable"] = false.into();
                }
            }
            p.text = v.to_string();
            p
        })
        .collect();
    let imported = import(&pages, &Options::default());
    model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    let nb312: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB312").map(|d| d.message.as_str()).collect();
    assert!(nb312.len() == 1 && nb312[0].starts_with("14 circuit(s)"), "{nb312:?}");
    let uplinks: Vec<&str> = text.lines().filter(|l| l.contains(r#""id": "uplink-ncsu-coreswitch"#)).collect();
    assert_eq!(uplinks.len(), 4, "{uplinks:?}");
    assert!(uplinks.iter().all(|l| l.contains(r#""via": ["circuit-319031", "trunk-cable-87"]"#)), "{uplinks:?}");
    assert!(text.contains("// circuit 319031: 4 link(s) run through it"), "{text}");
}

/// A virtual machine placed on a device that is not imported as a server (the core
/// switch, device 96), or on a device NetBox does not hold (5555), is named (NB402); one
/// on a server (106, the Lenovo Flex system) becomes a process on it, whose role comes
/// from the VM's NetBox role (a database server: `db`), and the import validates (it
/// did not: the VM's name was written as the role, outside the scenario's set).
#[test]
fn a_vm_on_a_host_that_is_no_server_is_named() {
    let mut pages = folder("api");
    let vm = |id: i64, name: &str, device: i64| {
        serde_json::json!({ "id": id, "name": name, "display": name, "status": { "value": "active" },
            "role": { "id": 1, "slug": "database-server", "name": "Database server" },
            "url": format!("http://netbox.example.com/api/virtualization/virtual-machines/{id}/"),
            "device": { "id": device, "name": format!("device {device}") } })
    };
    pages.push(overlay(
        "virtualization/virtual-machines",
        "overlay/virtualization__virtual-machines.json",
        vec![vm(9001, "vm-ok", 106), vm(9002, "vm-on-switch", 96), vm(9003, "vm-nowhere", 5555)],
    ));
    let imported = import(&pages, &Options::default());
    model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    assert!(
        component(text, "vm-ok").contains(r#""kind": "process", "on": "lenovo-flex-system-106", "role": "db""#),
        "{}",
        component(text, "vm-ok")
    );
    let nb402: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB402").map(|d| d.message.as_str()).collect();
    assert_eq!(
        nb402,
        [
            "virtual machine vm-on-switch is on ncsu-coreswitch1, which is imported as a switch, not a server: it is not imported",
            "virtual machine vm-nowhere is on device 5555, which dcim/devices does not hold: it is not imported",
        ]
    );
}

/// One object of the recorded pages (`api` then `api-examples`, later pages win), by id.
fn recorded(pages: &[Page], endpoint: &str, id: i64) -> serde_json::Value {
    pages
        .iter()
        .rev()
        .filter(|p| p.endpoint == endpoint)
        .find_map(|p| {
            let all: serde_json::Value = serde_json::from_str(&p.text).ok()?;
            all["results"].as_array()?.iter().find(|o| o["id"] == id).cloned()
        })
        .unwrap_or_else(|| panic!("{endpoint} {id} not recorded"))
}

/// What is not built yet, or switched off, is left out of today's state (`--status
/// active`): the example feed P2-5B marked planned leaves PDU B unpowered, so the r105
/// switches hang on PDU A alone; Albany's LAG cables 37 (planned) and 38
/// (decommissioning) and Akron's cable 36, whose switch port Gi1/0/2 (interface 171) is
/// disabled, are no links. With planned in scope (the default), the planned feed and
/// cable count, the decommissioning cable does not.
#[test]
fn what_is_not_built_or_is_switched_off_is_left_out() {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let status = |value: &str| serde_json::json!({ "value": value, "label": value });
    let mut feed = recorded(&pages, "dcim/power-feeds", 10);
    feed["status"] = status("planned");
    let mut planned = recorded(&pages, "dcim/cables", 37);
    planned["status"] = status("planned");
    let mut leaving = recorded(&pages, "dcim/cables", 38);
    leaving["status"] = status("decommissioning");
    let mut port = recorded(&pages, "dcim/interfaces", 171);
    port["enabled"] = false.into();
    pages.push(overlay("dcim/power-feeds", "overlay/dcim__power-feeds.json", vec![feed]));
    pages.push(overlay("dcim/cables", "overlay/dcim__cables.json", vec![planned, leaving]));
    pages.push(overlay("dcim/interfaces", "overlay/dcim__interfaces.json", vec![port]));

    let today = import(&pages, &Options { statuses: vec!["active".into()], ..Options::default() });
    model_of(&today);
    let text = today.scenario.as_deref().unwrap();
    let codes = |code: &str| today.diagnostics.iter().filter(|d| d.code == code).count();
    assert!(
        component(text, "r105-torsw-1").contains(r#""power": ["mdf-r105-pdu-a"]"#),
        "{}",
        component(text, "r105-torsw-1")
    );
    assert_eq!(codes("NB212"), 1, "{:#?}", today.diagnostics);
    for gone in ["\"cable-36\"", "\"cable-37\"", "\"cable-38\""] {
        assert!(!text.contains(gone), "{gone}");
    }
    assert!(text.contains("\"cable-35\""));
    assert_eq!((codes("NB307"), codes("NB308")), (2, 1), "{:#?}", today.diagnostics);

    let planned = import(&pages, &Options::default());
    let text = planned.scenario.as_deref().unwrap();
    assert!(component(text, "r105-torsw-1").contains(r#""power": ["mdf-r105-pdu-a", "mdf-r105-pdu-b"]"#));
    assert!(text.contains("\"cable-37\"") && !text.contains("\"cable-38\""));
}

/// Custom-field text the scenario would reject is left out with NB005 (the import must
/// load as it is); a site slug no site has is NB012 with the one it probably meant; PSUs
/// on two PDUs of one panel name the panel (NB207).
#[test]
fn custom_fields_site_typos_and_one_panel_behind_two_pdus() {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let mut bogus = recorded(&pages, "dcim/devices", 7);
    bogus["custom_fields"] = serde_json::json!({ "spofsim_mtbf": "bogus", "spofsim_mttr": "4h" });
    let mut both = recorded(&pages, "dcim/devices", 96);
    both["custom_fields"] = serde_json::json!({ "spofsim_mtbf": "5y", "spofsim_availability": "99.9%" });
    pages.push(overlay("dcim/devices", "overlay/dcim__devices.json", vec![bogus, both]));
    let imported = import(&pages, &Options { sites: vec!["ncsu-065".into(), "ncsu128".into()], ..Options::default() });
    model_of(&imported);
    let nb005: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB005").map(|d| d.message.as_str()).collect();
    assert!(
        nb005.iter().any(|m| m.contains("spofsim_availability") && m.contains("spofsim_mtbf is set too")),
        "{nb005:?}"
    );
    let nb012: Vec<_> = imported.diagnostics.iter().filter(|d| d.code == "NB012").collect();
    assert_eq!(nb012.len(), 1, "{:#?}", imported.diagnostics);
    assert!(nb012[0].help.as_deref().unwrap_or("").contains("ncsu-128"), "{:?}", nb012[0]);
    let all = import(&pages, &Options::default());
    model_of(&all);
    assert!(
        all.diagnostics.iter().any(|d| d.code == "NB005" && d.message.contains("\"bogus\"")),
        "{:#?}",
        all.diagnostics
    );

    // PDU B plugged into PDU A: both PSUs of the r105 switches trace back to Panel 1.
    let chained = import(&with_ports_on_outlets(&[(83, 156)]), &Options::default());
    let panel: Vec<&str> = chained
        .diagnostics
        .iter()
        .filter(|d| d.code == "NB207" && d.message.contains("power panel"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(panel.len(), 2, "{panel:?}");
    assert!(panel.iter().all(|m| m.contains("ncsu-065-panel-1")), "{panel:?}");
}

/// Wrong types are said, never dropped in silence (NB013): an FHRP priority written as
/// the text "200" is read as 200 (so coreswitch1 stays the master), a draw of "150W" is
/// left out, a site that is a plain string leaves the device without a site. A group
/// wholly outside `--site` is not this import's business: no NB504.
#[test]
fn wrong_types_are_said_and_groups_outside_the_scope_are_quiet() {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let mut assignment = recorded(&pages, "ipam/fhrp-group-assignments", 1);
    assignment["priority"] = "200".into();
    let mut port = recorded(&pages, "dcim/power-ports", 61);
    port["allocated_draw"] = serde_json::Value::Null;
    port["maximum_draw"] = "150W".into();
    let mut device = recorded(&pages, "dcim/devices", 7);
    device["site"] = "dm-pittsfield".into();
    pages.push(overlay("ipam/fhrp-group-assignments", "overlay/assignments.json", vec![assignment]));
    pages.push(overlay("dcim/power-ports", "overlay/dcim__power-ports.json", vec![port]));
    pages.push(overlay("dcim/devices", "overlay/dcim__devices.json", vec![device]));
    let imported = import(&pages, &Options::default());
    model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    assert!(text.contains(r#""mdf-vlan100-gw": { "kind": "vrrp", "members": ["ncsu-coreswitch1", "ncsu-coreswitch2"], "priorities": [200, 100]"#), "{text}");
    let nb013: Vec<&str> =
        imported.diagnostics.iter().filter(|d| d.code == "NB013").map(|d| d.message.as_str()).collect();
    assert_eq!(nb013.len(), 3, "{nb013:?}");
    assert!(nb013.iter().any(|m| m.contains("priority is the text \"200\"")), "{nb013:?}");
    assert!(nb013.iter().any(|m| m.contains("maximum_draw is a string") && m.contains("left out")), "{nb013:?}");
    assert!(nb013.iter().any(|m| m.contains("dmi01-pittsfield-rtr01's site")), "{nb013:?}");

    let akron = import(&pages, &Options { sites: vec!["dm-akron".into()], ..Options::default() });
    assert!(!akron.diagnostics.iter().any(|d| d.code == "NB504"), "{:#?}", akron.diagnostics);
}

/// Every entry names the NetBox object it comes from: a comment with its web page (the
/// API URL without `/api`, as NetBox's `display_url`), or "NOT IN NETBOX" for the
/// assumed supplies, which are no NetBox object.
#[test]
fn every_entry_names_its_netbox_object() {
    let imported = with_examples();
    let text = imported.scenario.as_deref().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut entries = 0;
    for (i, line) in lines.iter().enumerate() {
        let is_entry = line.starts_with("    { \"id\"") || (line.starts_with("    \"") && line.contains(": {"));
        if !is_entry {
            continue;
        }
        entries += 1;
        let comments: Vec<&str> =
            lines[..i].iter().rev().take_while(|l| l.trim_start().starts_with("//")).copied().collect();
        assert!(
            comments.iter().any(|c| c.contains("http://netbox.example.com/") && !c.contains("/api/"))
                || comments.iter().any(|c| c.contains("NOT IN NETBOX")),
            "{line}: {comments:?}"
        );
    }
    assert!(entries > 200, "{entries}");
}

/// `circuits/circuits` gives a circuit's state and its own figures: Akron's Level 3
/// circuit KKDG4923 decommissioned is no uplink (NB310), and with custom fields MTBF 2 y
/// and MTTR 8 h it replaces the assumed 99.9% SLA.
#[test]
fn circuit_status_and_custom_fields_are_read() {
    let circuit = |status: &str, fields: serde_json::Value| {
        overlay(
            "circuits/circuits",
            "circuits__circuits.json",
            vec![serde_json::json!({ "id": 1, "url": "http://netbox.example.com/api/circuits/circuits/1/",
                "cid": "KKDG4923", "status": { "value": status }, "custom_fields": fields })],
        )
    };
    let uplink = "\"uplink-dmi01-akron-rtr01-gigabitethernet0-0-0\"";
    let mut pages = folder("api");
    pages.push(circuit("decommissioned", serde_json::json!({})));
    let gone = import(&pages, &Options::default());
    model_of(&gone);
    assert!(!gone.scenario.as_deref().unwrap().contains(uplink));
    assert_eq!(gone.diagnostics.iter().filter(|d| d.code == "NB310").count(), 1, "{:#?}", gone.diagnostics);
    let mut pages = folder("api");
    pages.push(circuit("active", serde_json::json!({ "spofsim_mtbf": "2y", "spofsim_mttr": "8h" })));
    let own = import(&pages, &Options::default());
    model_of(&own);
    let text = own.scenario.as_deref().unwrap();
    assert!(text.contains(uplink));
    assert!(
        component(text, "circuit-kkdg4923").contains(r#"{ "kind": "srlg", "mttr": "8h", "mtbf": "2y" }"#),
        "{}",
        component(text, "circuit-kkdg4923")
    );
}

/// Power cables have a status too: PDU A's inlet cable #128 planned leaves PDU A
/// unpowered under `--status active` (both r105 switches on PDU B alone), and the PSU
/// cable #130 (r105-torsw:1 PSU0 → PDU A) decommissioning is no supply even by default.
#[test]
fn power_cables_that_are_not_connected_supply_nothing() {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let status = |value: &str| serde_json::json!({ "value": value, "label": value });
    let mut inlet = recorded(&pages, "dcim/cables", 128);
    inlet["status"] = status("planned");
    let mut psu = recorded(&pages, "dcim/cables", 130);
    psu["status"] = status("decommissioning");
    let mut only_inlet = pages.clone();
    only_inlet.push(overlay("dcim/cables", "overlay/dcim__cables.json", vec![inlet]));
    let today = import(&only_inlet, &Options { statuses: vec!["active".into()], ..Options::default() });
    model_of(&today);
    let text = today.scenario.as_deref().unwrap();
    for member in ["r105-torsw-1", "r105-torsw-2"] {
        assert!(component(text, member).contains(r#""power": ["mdf-r105-pdu-b"]"#), "{}", component(text, member));
    }
    assert!(today.diagnostics.iter().any(|d| d.code == "NB307" && d.message.contains("power cable #128")));

    pages.push(overlay("dcim/cables", "overlay/dcim__cables.json", vec![psu]));
    let planned = import(&pages, &Options::default());
    model_of(&planned);
    let text = planned.scenario.as_deref().unwrap();
    assert!(
        component(text, "r105-torsw-1").contains(r#""power": ["mdf-r105-pdu-b"]"#),
        "{}",
        component(text, "r105-torsw-1")
    );
    assert!(component(text, "r105-torsw-2").contains(r#""power": ["mdf-r105-pdu-a", "mdf-r105-pdu-b"]"#));
}

/// A disabled port-channel (Akron router's Po1, interface 833) carries nothing over its
/// members (cables 35 and 36); an FHRP member whose interface is disabled
/// (ncsu-coreswitch2 irb.100, interface 1620) is no member, so VRRP group 100 is left
/// with one member and out (NB504).
#[test]
fn disabled_lags_and_fhrp_interfaces_carry_nothing() {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let mut lag = recorded(&pages, "dcim/interfaces", 833);
    lag["enabled"] = false.into();
    let mut irb = recorded(&pages, "dcim/interfaces", 1620);
    irb["enabled"] = false.into();
    pages.push(overlay("dcim/interfaces", "overlay/dcim__interfaces.json", vec![lag, irb]));
    let imported = import(&pages, &Options::default());
    model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    assert!(!text.contains("\"cable-35\"") && !text.contains("\"cable-36\""));
    assert!(text.contains("\"cable-37\""));
    assert!(!text.contains("\"mdf-vlan100-gw\"") && text.contains("\"mdf-vlan200-gw\""));
    let nb308 = imported.diagnostics.iter().filter(|d| d.code == "NB308").count();
    assert_eq!(nb308, 3, "{:#?}", imported.diagnostics); // two LAG members, one FHRP interface
}

/// A core switch in RMA (ncsu-coreswitch2 failed in NetBox) stays in the design by
/// default, as working with NB015, so both FHRP groups keep it; `--status active` leaves
/// it out, and the groups with it.
#[test]
fn a_failed_device_stays_in_the_design_with_a_warning() {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let mut switch = recorded(&pages, "dcim/devices", 97);
    switch["status"] = serde_json::json!({ "value": "failed", "label": "Failed" });
    pages.push(overlay("dcim/devices", "overlay/dcim__devices.json", vec![switch]));
    let imported = import(&pages, &Options::default());
    model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    assert!(text.contains("\"mdf-vlan100-gw\"") && text.contains("\"mdf-vlan200-gw\""));
    let nb015: Vec<_> = imported.diagnostics.iter().filter(|d| d.code == "NB015").collect();
    assert_eq!(nb015.len(), 1, "{nb015:#?}");
    assert!(nb015[0].message.contains("ncsu-coreswitch2 is failed"), "{}", nb015[0].message);
    let today = import(&pages, &Options { statuses: vec!["active".into()], ..Options::default() });
    assert!(!today.scenario.as_deref().unwrap().contains("\"mdf-vlan100-gw\""));
}

/// Missing endpoints are said: without power feeds, panels and outlets (NB201) or
/// virtual chassis (NB309) what runs through them is not silently folded away; without
/// circuits/circuits every circuit is taken as active (NB311). A PSU marked connected
/// with no cable (ncsu-coreswitch1 PSU2, port 54) is on the site's unrecorded power,
/// not "not cabled".
#[test]
fn missing_endpoints_and_marked_connections_are_said() {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let mut marked = recorded(&pages, "dcim/power-ports", 54);
    marked["mark_connected"] = true.into();
    pages.push(overlay("dcim/power-ports", "overlay/dcim__power-ports.json", vec![marked]));
    let imported = import(&pages, &Options::default());
    model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    assert!(
        component(text, "ncsu-coreswitch1").contains(r#""power": ["p1-3a", "p2-3b", "ncsu-065-unrecorded-power"]"#),
        "{}",
        component(text, "ncsu-coreswitch1")
    );
    assert!(imported.diagnostics.iter().any(|d| d.code == "NB202" && d.message.contains("marked connected")));
    assert!(imported.diagnostics.iter().any(|d| d.code == "NB311"));
    let cut: Vec<Page> = folder("api")
        .into_iter()
        .filter(|p| !["dcim/power-feeds", "dcim/power-panels", "dcim/virtual-chassis"].contains(&p.endpoint.as_str()))
        .collect();
    let imported = import(&cut, &Options::default());
    let said = |code: &str, what: &str| imported.diagnostics.iter().any(|d| d.code == code && d.message.contains(what));
    assert!(said("NB201", "/api/dcim/power-feeds/, /api/dcim/power-panels/"), "{:#?}", imported.diagnostics);
    assert!(said("NB309", "virtual-chassis"), "{:#?}", imported.diagnostics);
}

/// The r105 switches' PSUs are rated 650 W (maximum_draw) with 210 W allocated on each:
/// one carries the 420 W, so they stay redundant (the list form). Rated 300 W, one PSU
/// cannot: the power gets `psu_capacity_watts` and NB213 says so.
#[test]
fn psus_rated_below_the_draw_are_not_redundant() {
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let text = import(&pages, &Options::default()).scenario.unwrap();
    assert!(component(&text, "r105-torsw-1").contains(r#""power": ["mdf-r105-pdu-a", "mdf-r105-pdu-b"]"#));
    let ports: Vec<serde_json::Value> = [60, 61]
        .into_iter()
        .map(|id| {
            let mut p = recorded(&pages, "dcim/power-ports", id);
            p["maximum_draw"] = 300.into();
            p
        })
        .collect();
    pages.push(overlay("dcim/power-ports", "overlay/dcim__power-ports.json", ports));
    let imported = import(&pages, &Options::default());
    let model = model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    assert!(
        component(text, "r105-torsw-1")
            .contains(r#""power": { "from": ["mdf-r105-pdu-a", "mdf-r105-pdu-b"], "psu_capacity_watts": 300 }"#),
        "{}",
        component(text, "r105-torsw-1")
    );
    assert!(imported.diagnostics.iter().any(|d| d.code == "NB213" && d.message.contains("r105-torsw:1")));
    let e = model.elements.iter().find(|e| e.name == "r105-torsw-1").unwrap();
    assert_eq!((e.psus.len(), e.psus_needed), (2, 2));

    // ncsu-coreswitch1: PSU0 and PSU1 cabled (1100 W allocated each), PSU2 and PSU3
    // empty bays with no figures. Rated 1200 W, one cabled PSU cannot carry 2200 W; the
    // empty bays do not hide it.
    let mut pages = folder("api");
    pages.extend(folder("api-examples"));
    let ports: Vec<serde_json::Value> = [52, 53]
        .into_iter()
        .map(|id| {
            let mut p = recorded(&pages, "dcim/power-ports", id);
            p["maximum_draw"] = 1200.into();
            p
        })
        .collect();
    pages.push(overlay("dcim/power-ports", "overlay/dcim__power-ports.json", ports));
    let imported = import(&pages, &Options::default());
    model_of(&imported);
    let text = imported.scenario.as_deref().unwrap();
    assert!(
        component(text, "ncsu-coreswitch1")
            .contains(r#""power": { "from": ["p1-3a", "p2-3b"], "psu_capacity_watts": 1200 }"#),
        "{}",
        component(text, "ncsu-coreswitch1")
    );
}
