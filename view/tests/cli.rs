//! The `view` command as a user runs it: what it writes, and its errors.

use std::path::PathBuf;
use std::process::Command;

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("view-cli-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn view(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_view"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn repo(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
        .display()
        .to_string()
}

#[test]
fn writes_the_page_and_the_call() {
    let d = dir("ok");
    let page = d.join("flow.html");
    let (code, out, err) = view(&[
        "--flow",
        &repo("dist/hello.asl.json"),
        "--out",
        page.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("12 states"), "{out}");
    let html = std::fs::read_to_string(&page).unwrap();
    // The links resolve against the repository the comments' paths are relative to.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap();
    let expected = switchboard_view::cli::relative(&d.canonicalize().unwrap(), &root);
    assert!(
        html.contains(&format!("data-source-root=\"{expected}\"")),
        "{expected}"
    );

    let call = d.join("call.html");
    let (code, out, err) = view(&[
        "--flow",
        &repo("dist/business-phone.asl.json"),
        "--history",
        &repo("view/tests/fixtures/business-phone-voicemail.history.json"),
        "--out",
        call.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("7 steps of the call"), "{out}");
    assert!(std::fs::read_to_string(&call)
        .unwrap()
        .contains("id=\"trace\""));
}

#[test]
fn refuses_what_it_cannot_read() {
    let d = dir("bad");
    let (code, _, err) = view(&[]);
    assert_eq!(code, 2);
    assert!(err.starts_with("--flow is required\nusage: view"), "{err}");

    let bad = d.join("bad.asl.json");
    std::fs::write(
        &bad,
        "{\n  \"StartAt\": \"A\",\n  \"States\": {\"A\": {\"Type\": \"Passs\"}}\n}\n",
    )
    .unwrap();
    let (code, _, err) = view(&["--flow", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with(&format!("error: {}:3:", bad.display())),
        "{err}"
    );
    assert!(err.contains("state `A`") && err.contains("Passs"), "{err}");

    // A history of another state machine.
    let other = d.join("other.json");
    std::fs::write(&other, r#"{"events": [{"timestamp": 1, "type": "PassStateEntered", "id": 1, "stateEnteredEventDetails": {"name": "Init"}}]}"#).unwrap();
    let (code, _, err) = view(&[
        "--flow",
        &repo("dist/hello.asl.json"),
        "--history",
        other.to_str().unwrap(),
        "--out",
        d.join("x.html").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("enters the state `Init`, which this definition does not have"),
        "{err}"
    );
    assert!(!d.join("x.html").exists(), "nothing is written on an error");
}
