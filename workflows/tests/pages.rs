//! `compile` writes each flow's page beside its definition, also with `--flow`, and `--check`
//! fails on a page that is stale or missing, as it does on a definition.

use std::path::PathBuf;
use std::process::Command;

fn compile(out: &PathBuf, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_compile"))
        .args(["--flow", "hello", "--out"])
        .arg(out)
        .args(args)
        .output()
        .expect("the compile binary runs");
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[test]
fn the_page_is_written_beside_the_definition_and_checked() {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pages");
    let _ = std::fs::remove_dir_all(&out);
    let (ok, text) = compile(&out, &[]);
    assert!(ok, "{text}");
    let page = out.join("hello.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
    assert!(html.contains(" data-state=\"If choice.digits = &#39;1&#39;\""));
    assert!(
        text.contains("hello.html") && text.contains("written"),
        "{text}"
    );

    let (ok, text) = compile(&out, &["--check"]);
    assert!(ok, "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("hello.html") && l.ends_with("up to date")),
        "{text}"
    );

    std::fs::write(&page, html.replace("Which key?", "Which keys?")).unwrap();
    let (ok, text) = compile(&out, &["--check"]);
    assert!(!ok, "a stale page passed --check:\n{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("hello.html") && l.contains("STALE")),
        "{text}"
    );

    std::fs::remove_file(&page).unwrap();
    let (ok, text) = compile(&out, &["--check"]);
    assert!(!ok, "a missing page passed --check:\n{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("hello.html") && l.contains("MISSING")),
        "{text}"
    );
}
