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
    // The caller's hang-up at the goodbye ends the call through the badge.
    assert!(steps[6]["badge"].as_str().unwrap().ends_with("-hangup"));
    // The path taken is drawn.
    assert!(html.matches("class=\"edge").filter(|_| true).count() > 0);
    assert_eq!(html.matches(" taken\" id=\"e").count(), 5);
}
