//! Golden tests of the graph data read from every compiled definition (`dist/*.asl.json`,
//! JSONata) and from the sample's hand-built workflow (`../shared/reference/`, JSONPath).

use std::path::{Path, PathBuf};

use switchboard_asl::StateMachine;
use switchboard_view::graph::{BadgeKind, EdgeKind};
use switchboard_view::Graph;

fn graph_of(path: &Path) -> Graph {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .trim_end_matches(".asl.json");
    Graph::from_machine(name, &StateMachine::from_json(&text).unwrap()).unwrap()
}

fn reference() -> Option<Graph> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/business-phone-number-proxy.asl.json");
    if !path.exists() {
        eprintln!(
            "SKIPPED: the reference workflow is absent at {}",
            path.display()
        );
        return None;
    }
    Some(graph_of(&path))
}

#[test]
fn every_compiled_flow() {
    insta::glob!("../../dist", "*.asl.json", |path| {
        insta::assert_json_snapshot!(graph_of(path));
    });
}

#[test]
fn the_samples_hand_built_workflow() {
    let Some(g) = reference() else { return };
    insta::assert_json_snapshot!("reference", g);
}

#[test]
fn one_node_per_state_and_every_transition_drawn_once() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist/business-phone.asl.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let machine = StateMachine::from_json(&text).unwrap();
    let g = graph_of(&path);
    assert_eq!(g.nodes.len(), machine.states.len());
    let transitions: usize = machine
        .states
        .values()
        .map(|s| s.successors().count())
        .sum();
    let badges: usize = g.nodes.iter().map(|n| n.badges.len()).sum();
    assert_eq!(g.edges.len() + badges, transitions);
    // The two catches every waiting state has are badges, not edges.
    assert_eq!(g.error_handler.as_deref(), Some("Did the caller answer?"));
    for n in g.nodes.iter().filter(|n| n.waits) {
        let kinds: Vec<BadgeKind> = n.badges.iter().map(|b| b.kind).collect();
        assert!(
            kinds.contains(&BadgeKind::Hangup)
                || n.name.starts_with("Record message")
                || n.name.starts_with("Speak This line"),
            "{}: {kinds:?}",
            n.name
        );
    }
    // A hang-up that files the message left is an edge, not a badge.
    assert!(g.edges.iter().any(|e| e.kind == EdgeKind::Catch
        && e.from == "Record message - Stop recording"
        && e.to == "If m.seconds >= 1"
        && e.label.as_deref() == Some("caller hung up")));
    // An error that goes back to the owner's menu is an edge.
    assert!(g.edges.iter().any(|e| e.kind == EdgeKind::Catch
        && e.from == "Create schedule"
        && e.label.as_deref() == Some("any error")));
}

#[test]
fn the_references_error_path_is_found_from_its_structure() {
    let Some(g) = reference() else { return };
    // No HANGUP catchers there: every waiting state sends any error to `Check Error Message`.
    assert_eq!(g.error_handler.as_deref(), Some("Check Error Message"));
    assert!(g
        .nodes
        .iter()
        .flat_map(|n| &n.badges)
        .all(|b| b.kind == BadgeKind::Error));
    // `Bridge Owner` sends its errors elsewhere: an edge.
    assert!(g.edges.iter().any(|e| e.from == "Bridge Owner"
        && e.to == "Hangup Customer"
        && e.kind == EdgeKind::Catch));
    // No Comment names a Rust file: no sources, no groups.
    assert!(g.groups.is_empty() && g.nodes.iter().all(|n| n.source.is_none()));
}
