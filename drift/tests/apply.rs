//! `--apply` end to end, on a flow crate of its own (`tests/fixture/main.rs`, copied into a
//! scratch directory with a manifest naming this workspace's crates): compile it, edit its
//! definition as Workflow Studio would (a text, an option, a text built by `format!`), run
//! `--drift --apply`, and check that exactly the two literals were rewritten — and that the
//! flow compiled again has no drift but the one `--apply` refused.
//!
//! The fixture is built with cargo, offline, against this workspace's `Cargo.lock`, in a target
//! directory of its own kept between runs (the first run builds its dependencies).

use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// The fixture crate in a fresh scratch directory.
fn fixture() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("drift-fixture");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(here.join("tests/fixture/main.rs"), dir.join("src/main.rs")).unwrap();
    let ws = workspace();
    let dep = |name: &str, folder: &str| {
        format!(
            "{name} = {{ path = {:?} }}\n",
            ws.join(folder).display().to_string()
        )
    };
    let manifest = format!(
        "[package]\nname = \"drift-fixture\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{}{}{}\n[workspace]\n\n[profile.dev]\ndebug = false\n",
        dep("switchboard", "dsl"),
        dep("switchboard-compiler", "compiler"),
        dep("switchboard-drift", "drift"),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

/// `cargo run -- ARGS` in the fixture: exit status and output.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("drift-fixture-target");
    let out = Command::new(env!("CARGO"))
        .args(["run", "--offline", "--quiet", "--"])
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    assert!(code.is_some_and(|c| c <= 2), "cargo failed: {stderr}");
    (code, String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn apply_rewrites_exactly_the_literals_and_the_flow_compiled_again_has_no_other_drift() {
    let dir = fixture();
    let (code, out) = run(&dir, &["--out", "dist"]);
    assert_eq!(code, Some(0), "{out}");
    let compiled = std::fs::read_to_string(dir.join("dist/greeter.asl.json")).unwrap();
    let mut def: Json = serde_json::from_str(&compiled).unwrap();
    let states = def["States"].as_object_mut().unwrap();
    let prompt = states
        .values_mut()
        .filter_map(|s| {
            s.pointer_mut("/Arguments/MessageBody/Actions")?
                .as_array_mut()
        })
        .flatten()
        .find(|a| a["Type"] == "SpeakAndGetDigits")
        .expect("the prompt");
    // Edits that leave the waiting Task's timeout as it was: the compiler derives it from the
    // length of the texts (12 characters a second) and the retries, so a longer text or more
    // retries would give the recompiled Task a longer one (reported, not drift of the literal).
    prompt["Parameters"]["SpeechParameters"]["Text"] = json!("Press 1 to hear it once more.");
    prompt["Parameters"]["MaxNumberOfDigits"] = json!(2);
    let edited = serde_json::to_string_pretty(&def)
        .unwrap()
        .replace("\"You pressed one.\"", "\"You chose one.\"");
    std::fs::write(dir.join("edited.json"), &edited).unwrap();
    let before = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();

    let (code, report) = run(&dir, &["--drift", "edited.json", "--apply"]);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains(
            "applied: `\"Press 1 to hear it again.\"` is now `\"Press 1 to hear it once more.\"`"
        ),
        "{report}"
    );
    assert!(report.contains("applied: `1` is now `2`"), "{report}");
    assert!(
        report.contains("not applied: the argument is built by `format!(…)` from several pieces"),
        "{report}"
    );
    let after = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [
            (
                "    let choice = speak_and_get_digits(\"Press 1 to hear it again.\")",
                "    let choice = speak_and_get_digits(\"Press 1 to hear it once more.\")"
            ),
            ("        .digits(1..=1)", "        .digits(1..=2)"),
        ]
    );
    assert_eq!(before.lines().count(), after.lines().count());

    // Compiled again: only the `format!` text, which --apply left, still differs.
    let (code, report) = run(&dir, &["--drift", "edited.json"]);
    assert_eq!(code, Some(1), "{report}");
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 3, "{report}");
    assert!(lines[0].starts_with("src/main.rs:17:9: text: "), "{report}");
    let fixed = edited.replace("\"You chose one.\"", "\"You pressed one.\"");
    std::fs::write(dir.join("edited.json"), fixed).unwrap();
    let (code, report) = run(&dir, &["--drift", "edited.json"]);
    assert_eq!(
        (code, report.as_str()),
        (
            Some(0),
            "no drift: edited.json means what flow `greeter` compiles to\n"
        )
    );
}
