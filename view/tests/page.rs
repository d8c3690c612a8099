//! The page: self-contained, deterministic, one node per state with its source link, the
//! business app within its size budget, a traced call embedded as steps.

use std::path::PathBuf;

use switchboard_asl::StateMachine;
use switchboard_view::page::{self, Options};
use switchboard_view::{history, Graph};

fn graph(name: &str) -> Graph {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../dist/{name}.asl.json"));
    let m = StateMachine::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    Graph::from_machine(name, &m).unwrap()
}

/// Values of `attr="…"` in `html`.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let key = format!(" {attr}=\"");
    html.match_indices(&key)
        .map(|(i, _)| {
            let rest = &html[i + key.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn the_same_graph_gives_the_same_bytes() {
    let g = graph("business-phone");
    assert_eq!(page::render(&g, None), page::render(&g, None));
}

#[test]
fn one_node_per_state_each_linking_its_source() {
    for name in [
        "business-phone",
        "hello",
        "front-desk",
        "transfer",
        "voicemail",
    ] {
        let g = graph(name);
        let html = page::render(&g, None);
        let mut states: Vec<String> = attrs(&html, "data-state")
            .into_iter()
            .map(|s| {
                s.replace("&#39;", "'")
                    .replace("&amp;", "&")
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
            })
            .collect();
        states.sort();
        let mut names: Vec<String> = g.nodes.iter().map(|n| n.name.clone()).collect();
        names.sort();
        assert_eq!(states, names, "{name}");
        let links = attrs(&html, "href");
        let with_source = g.nodes.iter().filter(|n| n.source.is_some()).count();
        assert!(
            links.len() >= with_source,
            "{name}: {} links for {with_source} states",
            links.len()
        );
        assert!(
            links.iter().all(|l| l.starts_with("vscode://file/")),
            "{name}"
        );
    }
    let html = page::render(&graph("hello"), None);
    assert!(html.contains("href=\"vscode://file/workflows/src/flows/hello.rs:15\" data-path=\"workflows/src/flows/hello.rs:15\""));
}

#[test]
fn the_page_loads_nothing() {
    let html = page::render(&graph("business-phone"), None);
    for a in ["src", "href", "action", "poster", "data"] {
        for v in attrs(&html, a) {
            assert!(
                !v.contains("://") || v.starts_with("vscode://file/"),
                "{a}=\"{v}\""
            );
        }
    }
    assert!(
        !html.contains("@import") && !html.contains("url(http") && !html.contains("@font-face")
    );
    // The only URL-looking text is the SVG namespace, which is a name, not a request.
    let urls: Vec<&str> = html
        .match_indices("http")
        .map(|(i, _)| &html[i..i + 30.min(html.len() - i)])
        .collect();
    assert!(
        urls.iter()
            .all(|u| u.starts_with("http://www.w3.org/2000/svg")),
        "{urls:?}"
    );
}

#[test]
fn the_business_app_fits_its_budget() {
    let html = page::render(&graph("business-phone"), None);
    assert!(html.len() <= 300 * 1024, "{} bytes", html.len());
}

#[test]
fn a_traced_call_is_embedded_as_steps_on_the_drawing() {
    let g = graph("business-phone");
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/business-phone-voicemail.history.json");
    let t = history::read(&fixture, &g).unwrap();
    let html = page::render_with(
        &g,
        Some(&t),
        &Options {
            source_root: Some("..".into()),
        },
    );
    assert_eq!(
        html,
        page::render_with(
            &g,
            Some(&t),
            &Options {
                source_root: Some("..".into())
            }
        )
    );
    assert!(html.contains("<body class=\"traced\" data-source-root=\"..\">"));
    let start = html
        .find("<script type=\"application/json\" id=\"trace\">")
        .unwrap();
    let end = start + html[start..].find("</script>").unwrap();
    let json = &html[start + html[start..].find('>').unwrap() + 1..end];
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    let steps = data["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 7);
    // Every step lights a box; every step after the first came along an edge or a badge.
    for (i, s) in steps.iter().enumerate() {
        let b = s["box"].as_u64().unwrap();
        assert!(html.contains(&format!(" id=\"b{b}\" ")), "step {i}");
        if i > 0 {
            assert!(
                s["edge"].is_u64() || s["badge"].is_string(),
                "step {i}: {s}"
            );
        }
    }
    // The caller's hang-up at the goodbye ends the call through the badge, at the end drawn
    // beside the goodbye.
    assert!(steps[6]["badge"].as_str().unwrap().ends_with("-hangup"));
    let layout = page::layout_of(&g);
    let end = &layout.boxes[steps[6]["box"].as_u64().unwrap() as usize];
    assert_eq!(g.nodes[end.node].name, "Call ended");
    assert_eq!(
        g.edges[end.copy_for.unwrap()].from,
        "Speak Thank you, your message has been saved. Goodbye."
    );
    // The path taken is drawn.
    assert!(html.matches("class=\"edge").filter(|_| true).count() > 0);
    assert_eq!(html.matches(" taken\" id=\"e").count(), 5);
}

#[test]
fn failed_expectations_are_red() {
    let g = graph("hello");
    let mut t = switchboard_view::Trace {
        title: "sales is busy".into(),
        status: "SUCCEEDED".into(),
        failed: vec!["heard: \"Goodbye\" never said".into()],
        ..Default::default()
    };
    for state in [
        "Start call",
        "Speak Thanks for calling Acme Plumbing. - Ask Press 1 for sales.",
        "If choice.digits = '1'",
    ] {
        t.steps.push(switchboard_view::Step {
            state: state.into(),
            ..Default::default()
        });
    }
    t.steps[2].failed = vec!["expected to be bridged to +12065550100".into()];
    let html = page::render(&g, Some(&t));
    // The step's state, its entry in the list and the trace's own failure are marked.
    assert_eq!(
        html.matches(" failed\" id=\"b").count(),
        1,
        "one box marked failed"
    );
    assert!(html.contains("<li data-step=\"2\" class=\"failed\">"));
    assert!(html.contains("<p class=\"failed\">✗ heard: &quot;Goodbye&quot; never said</p>"));
    assert!(html.contains("expected to be bridged to +12065550100"));
    // A passing trace marks nothing.
    t.steps[2].failed.clear();
    t.failed.clear();
    let html = page::render(&g, Some(&t));
    assert!(!html.contains("class=\"failed\"") && !html.contains(" failed\" id="));
}

#[test]
fn any_definition_draws_without_panicking() {
    // Parallel branches and a Map's item processor (states nested in scopes), a state that
    // catches its own failure (a loop onto itself), a state nothing reaches, a Pass that ends.
    let text = r#"{
      "StartAt": "Fan out",
      "States": {
        "Fan out": {"Type": "Parallel", "Branches": [
          {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}},
          {"StartAt": "Right", "States": {"Right": {"Type": "Wait", "Seconds": 90, "End": true}}}
        ], "Next": "Each"},
        "Each": {"Type": "Map", "ItemProcessor": {"StartAt": "Item", "States": {
          "Item": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:notify"}, "End": true}}},
          "Next": "Retry me"},
        "Retry me": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
          "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Retry me"}], "Next": "Done"},
        "Orphan": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Pass", "End": true}
      }
    }"#;
    let m = StateMachine::from_json(text).unwrap();
    let g = Graph::from_machine("odd", &m).unwrap();
    assert_eq!(g.nodes.len(), 8);
    assert_eq!(
        g.nodes
            .iter()
            .find(|n| n.name == "Item")
            .unwrap()
            .parent
            .as_deref(),
        Some("Each")
    );
    assert_eq!(
        g.nodes.iter().find(|n| n.name == "Item").unwrap().label,
        "Runs the function notify"
    );
    assert_eq!(
        g.nodes.iter().find(|n| n.name == "Right").unwrap().label,
        "Waits 1 min 30 s"
    );
    let html = page::render(&g, None);
    let mut states = attrs(&html, "data-state");
    states.sort();
    assert_eq!(
        states,
        ["Done", "Each", "Fan out", "Item", "Left", "Orphan", "Retry me", "Right"]
    );
    let l = page::layout_of(&g);
    for b in &l.boxes {
        assert!(
            b.x.is_finite() && b.y.is_finite() && b.x >= 0.0 && b.y >= 0.0,
            "{b:?}"
        );
    }
    assert_eq!(l.routes.len(), g.edges.len());
}

#[test]
fn a_transition_to_a_missing_state_is_refused_by_name() {
    let m = StateMachine::from_json(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#,
    )
    .unwrap();
    let e = Graph::from_machine("x", &m).unwrap_err();
    assert_eq!(
        e.to_string(),
        "state `A`: Next names `B`, which is not a state of this definition: correct the name or add the state"
    );
}

#[test]
fn a_graph_built_by_hand_with_mistakes_still_draws() {
    // No states at all; an edge naming states that are not there.
    let mut g = graph("hello");
    g.edges.push(switchboard_view::graph::Edge {
        from: "Nowhere".into(),
        to: "Start call".into(),
        kind: switchboard_view::graph::EdgeKind::Next,
        label: None,
        errors: Vec::new(),
    });
    assert!(page::render(&g, None).contains("data-state=\"Start call\""));
    g.nodes.clear();
    g.edges.clear();
    assert!(page::render(&g, None).contains("<svg"));
}

#[test]
fn the_areas_of_two_files_never_overlap() {
    // A decision whose three branches alternate between two files, drawn with no crossing.
    let text = r#"{"StartAt": "S", "States": {
      "S": {"Type": "Choice", "Comment": "a.rs:1 — match", "Choices": [
        {"Condition": "{% $x = 1 %}", "Next": "X"}, {"Condition": "{% $x = 2 %}", "Next": "Y"}], "Default": "Z"},
      "X": {"Type": "Pass", "Comment": "b.rs:1 — let", "Assign": {"y": 1}, "End": true},
      "Y": {"Type": "Pass", "Comment": "a.rs:2 — let", "Assign": {"y": 2}, "End": true},
      "Z": {"Type": "Pass", "Comment": "b.rs:2 — let", "Assign": {"y": 3}, "End": true}}}"#;
    let alternating =
        Graph::from_machine("alternating", &StateMachine::from_json(text).unwrap()).unwrap();
    let flows = [
        "business-phone",
        "front-desk",
        "transfer",
        "voicemail",
        "hello",
    ];
    for (name, g) in flows
        .iter()
        .map(|f| (*f, graph(f)))
        .chain([("alternating", alternating)])
    {
        let l = page::layout_of(&g);
        for (a, ra) in l.groups.iter().enumerate() {
            for (b, rb) in l.groups.iter().enumerate().skip(a + 1) {
                for x in ra {
                    for y in rb {
                        let overlap = x.x < y.x + y.w - 0.01
                            && y.x < x.x + x.w - 0.01
                            && x.y < y.y + y.h - 0.01
                            && y.y < x.y + x.h - 0.01;
                        assert!(
                            !overlap,
                            "{name}: {} and {} overlap: {x:?} {y:?}",
                            g.groups[a], g.groups[b]
                        );
                    }
                }
            }
        }
        // And no two boxes overlap.
        for (i, p) in l.boxes.iter().enumerate() {
            for q in &l.boxes[i + 1..] {
                let overlap =
                    p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h;
                assert!(!overlap, "{name}: boxes overlap: {p:?} {q:?}");
            }
        }
    }
}

#[test]
fn loops_are_counted() {
    // The owner presses a wrong key, hears the menu again, then gives up.
    let g = graph("business-phone");
    let menu = "Ask ...Press 1 to hear your messages, 2 to call a customer, or 3 to schedule...";
    let mut t = switchboard_view::Trace {
        title: "wrong key".into(),
        status: "SUCCEEDED".into(),
        ..Default::default()
    };
    for state in [
        menu,
        "Match choice.digits",
        menu,
        "Match choice.digits",
        "Speak I did not get a choice. Goodbye.",
    ] {
        t.steps.push(switchboard_view::Step {
            state: state.into(),
            ..Default::default()
        });
    }
    let html = page::render(&g, Some(&t));
    let node = |name: &str| {
        let at = html
            .find(&format!("data-state=\"{}\"", name.replace('\'', "&#39;")))
            .unwrap();
        let end = at + html[at..].find("</g>\n").unwrap();
        html[at..end].to_owned()
    };
    assert!(
        node(menu).contains(">×2</text>"),
        "the menu was entered twice"
    );
    assert!(node("Match choice.digits").contains(">×2</text>"));
    assert!(!node("Speak I did not get a choice. Goodbye.").contains('×'));
    let edge = |from: &str, to: &str| {
        let key = format!("data-from=\"{from}\" data-to=\"{to}\"");
        let at = html
            .find(&key)
            .unwrap_or_else(|| panic!("no edge {from} → {to}"));
        let start = html[..at].rfind("<g class=\"edge").unwrap();
        let end = at + html[at..].find("</g>\n").unwrap();
        html[start..end].to_owned()
    };
    let into_match = edge(menu, "Match choice.digits");
    assert!(
        into_match.contains(" taken\"") && into_match.contains(">×2</text>"),
        "{into_match}"
    );
    let back = edge("Match choice.digits", menu);
    assert!(
        back.contains(" back taken\"") && !back.contains('×'),
        "{back}"
    );
}
