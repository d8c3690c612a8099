//! Coverage of a flow by calls: the states and transitions they went through, what the page
//! marks as never reached, and the percentages.

use std::path::PathBuf;

use switchboard_asl::StateMachine;
use switchboard_view::coverage::{percent, render, Coverage};
use switchboard_view::history;
use switchboard_view::page::Options;
use switchboard_view::{Graph, Step, Trace};

fn business() -> Graph {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist/business-phone.asl.json");
    let m = StateMachine::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    Graph::from_machine("business-phone", &m).unwrap()
}

fn voicemail_call(g: &Graph) -> Trace {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/business-phone-voicemail.history.json");
    history::read(&path, g).unwrap()
}

#[test]
fn one_call_covers_the_states_and_transitions_it_went_through() {
    let g = business();
    let t = voicemail_call(&g);
    let mut c = Coverage::new(&g);
    c.add(&g, &t);
    assert_eq!(c.calls, 1);
    assert_eq!(c.states_reached(), (7, g.nodes.len()));
    let reached: Vec<&str> = g
        .nodes
        .iter()
        .zip(&c.states)
        .filter(|(_, n)| **n > 0)
        .map(|(n, _)| n.name.as_str())
        .collect();
    let mut steps: Vec<&str> = t.steps.iter().map(|s| s.state.as_str()).collect();
    steps.sort_unstable();
    let mut sorted = reached.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, steps);
    // Six passages between seven steps, the last through the hang-up badge.
    let (taken, all) = c.transitions_taken();
    assert_eq!(taken, 6);
    assert_eq!(
        all,
        g.edges.len() + g.nodes.iter().map(|n| n.badges.len()).sum::<usize>()
    );
    assert_eq!(c.badges.iter().flatten().filter(|n| **n > 0).count(), 1);
    assert_eq!(c.unreached_states(&g).len(), g.nodes.len() - 7);
    assert!(!c.unreached_states(&g).contains(&"Call ended"));
    assert_eq!(c.untaken_transitions(&g).len(), all - 6);

    // The same call twice: counts double, coverage does not move.
    let once = c.summary();
    c.add(&g, &t);
    assert_eq!(c.summary(), once);
    assert_eq!(c.calls, 2);
    assert!(c.states.iter().all(|n| n % 2 == 0));
}

#[test]
fn the_page_dashes_what_no_call_reached() {
    let g = business();
    let mut c = Coverage::new(&g);
    c.add(&g, &voicemail_call(&g));
    let page = render(&g, &c, &Options::default());
    let (s, st) = c.states_reached();
    let (t, tt) = c.transitions_taken();
    assert!(page.contains(&format!(
        "data-states=\"{s}/{st}\" data-transitions=\"{t}/{tt}\""
    )));
    assert!(page.contains("<body class=\"coverage\">"));
    // A state no call reached has no box drawn visited; a reached one has at least one (an end
    // state's copy near a use counts the calls that came along its edges).
    let mut visited = vec![0; g.nodes.len()];
    let mut boxes = 0;
    for line in page.lines().filter(|l| l.starts_with("<g class=\"node ")) {
        let name = line
            .split("data-state=\"")
            .nth(1)
            .or_else(|| line.split("data-copy-of=\"").nth(1))
            .and_then(|r| r.split('"').next())
            .unwrap();
        let node = g.nodes.iter().position(|n| esc(&n.name) == name).unwrap();
        visited[node] += usize::from(line.contains(" visited"));
        boxes += 1;
    }
    assert!(boxes >= g.nodes.len());
    for (n, v) in visited.iter().enumerate() {
        assert_eq!(*v > 0, c.states[n] > 0, "{}", g.nodes[n].name);
    }
    // `Call ended`, drawn near each of its uses, is lit only where the call arrived.
    let ended = g.node_index("Call ended").unwrap();
    assert!(page.matches("data-copy-of=\"Call ended\"").count() > 1);
    assert_eq!(visited[ended], 1);
    // Badges nobody left through are styled by id; the one the call took is not.
    let taken = c
        .badges
        .iter()
        .enumerate()
        .find_map(|(n, b)| b.iter().position(|x| *x > 0).map(|k| (n, k)))
        .unwrap();
    let kind = format!("{:?}", g.nodes[taken.0].badges[taken.1].kind).to_lowercase();
    assert!(!page.contains(&format!(".coverage #n{}-{kind} rect", taken.0)));
    assert!(page.contains(".coverage #n0-") || g.nodes[0].badges.is_empty());
    assert!(page.contains("States no call reached"));
    assert!(page.contains("Transitions no call took"));
    for u in c.unreached_states(&g) {
        assert!(page.contains(&format!("<li>{}</li>", esc(u))), "{u}");
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn an_end_state_is_counted_at_the_copy_the_call_arrived_at() {
    let g = business();
    let layout = switchboard_view::layout::layout(&g, &Sizes);
    // An edge into an end state drawn again near its use.
    let route = layout
        .routes
        .iter()
        .find(|r| !layout.boxes[r.to_box].primary)
        .expect("an end state drawn near a use");
    let e = &g.edges[route.edge];
    let step = |s: &str| Step {
        state: s.to_owned(),
        ..Step::default()
    };
    let t = Trace {
        steps: vec![step(&e.from), step(&e.to)],
        ..Trace::default()
    };
    let mut c = Coverage::new(&g);
    c.add(&g, &t);
    let page = render(&g, &c, &Options::default());
    let copy = format!("id=\"b{}\"", route.to_box);
    let line = page.lines().find(|l| l.contains(&copy)).unwrap();
    assert!(line.contains(" visited"), "{line}");
    let primary = layout
        .boxes
        .iter()
        .position(|b| b.primary && b.node == layout.boxes[route.to_box].node)
        .unwrap();
    let own = format!("id=\"b{primary}\"");
    let line = page.lines().find(|l| l.contains(&own)).unwrap();
    assert!(!line.contains(" visited"), "{line}");
}

/// Sizes as good as any: the layout's box and route numbering does not depend on them here,
/// only on the graph, and the page uses its own.
struct Sizes;

impl switchboard_view::layout::Sizes for Sizes {
    fn node(&self, _: usize, _: bool) -> (f64, f64) {
        (250.0, 60.0)
    }
    fn label(&self, text: &str) -> (f64, f64) {
        (text.len() as f64 * 6.0, 16.0)
    }
}

#[test]
fn leaving_a_parallel_takes_its_next() {
    let m = StateMachine::from_json(
        r#"{"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "After", "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]},
            "After": {"Type": "Succeed"}}}"#,
    )
    .unwrap();
    let g = Graph::from_machine("p", &m).unwrap();
    let step = |s: &str| Step {
        state: s.to_owned(),
        ..Step::default()
    };
    let t = Trace {
        steps: vec![step("P"), step("A"), step("B"), step("After")],
        ..Trace::default()
    };
    let mut c = Coverage::new(&g);
    c.add(&g, &t);
    assert_eq!(c.states_reached(), (4, 4));
    assert_eq!(c.transitions_taken(), (3, 3), "{:?}", g.edges);
    assert_eq!(
        c.summary(),
        "4 of 4 states (100.0%), 3 of 3 transitions (100.0%)"
    );
}

#[test]
fn percentages_round_down() {
    assert_eq!(percent(2, 3), "66.6%");
    assert_eq!(percent(1999, 2000), "99.9%");
    assert_eq!(percent(0, 7), "0.0%");
    assert_eq!(percent(0, 0), "100.0%");
}
