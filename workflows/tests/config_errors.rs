//! The real `compile` binary on broken configuration files: every error names the file, the
//! line and the field and says what to do, unknown keys and sections are refused (they would be
//! silently ignored), and nothing is written.

use std::path::PathBuf;
use std::process::Command;

/// `hello`'s section, correct.
const HELLO: &str = "[hello]\nname = \"Acme\"\nsales = \"+12065550100\"\n";

/// Runs `compile --flow hello` on `toml` (plus `args`); returns (success, stderr, out dir).
fn compile(name: &str, toml: &str, args: &[&str]) -> (bool, String, PathBuf) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("config-errors-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("switchboard.toml");
    std::fs::write(&file, toml).unwrap();
    let out = dir.join("dist");
    let output = Command::new(env!("CARGO_BIN_EXE_compile"))
        .args(["--flow", "hello", "--config"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(args)
        .output()
        .expect("the compile binary runs");
    let stderr =
        String::from_utf8_lossy(&output.stderr).replace(&format!("{}", dir.display()), "DIR");
    (output.status.success(), stderr, out)
}

fn fails_with(name: &str, toml: &str, args: &[&str], expected: &[&str]) {
    let (ok, stderr, out) = compile(name, toml, args);
    assert!(!ok, "{name}: compiled; stderr:\n{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{name}: expected {e:?} in:\n{stderr}");
    }
    assert!(!out.exists(), "{name}: wrote {}", out.display());
}

#[test]
fn a_correct_file_compiles() {
    let (ok, stderr, out) = compile("correct", HELLO, &[]);
    assert!(ok, "{stderr}");
    assert!(out.join("hello.asl.json").exists());
}

#[test]
fn an_unknown_key_is_refused_at_its_line() {
    fails_with(
        "unknown-key",
        &format!("{HELLO}salse = \"+12065550101\"\n"),
        &[],
        &[
            "error: DIR/switchboard.toml:4:1: flow `hello`: [hello.salse]: `salse` is not a setting of this flow: remove it or correct its spelling",
        ],
    );
}

#[test]
fn a_missing_field_names_the_section_line_and_the_set_to_pass() {
    fails_with(
        "missing-field",
        "# the greeting\n[hello]\nname = \"Acme\"\n",
        &[],
        &[
            "error: DIR/switchboard.toml:2:2: flow `hello`: [hello]: missing field `sales`; add `sales = …` to [hello] or pass --set hello.sales=<value>",
        ],
    );
}

#[test]
fn a_value_of_the_wrong_type_names_its_line_and_field() {
    fails_with(
        "wrong-type",
        "[hello]\nname = 42\nsales = \"+12065550100\"\n",
        &[],
        &["error: DIR/switchboard.toml:2:1: flow `hello`: [hello.name]: invalid type: integer `42`, expected a string"],
    );
}

#[test]
fn a_section_no_flow_reads_is_refused() {
    fails_with(
        "unknown-section",
        &format!("{HELLO}\n[helo]\nname = \"Acme\"\n"),
        &[],
        &["error: DIR/switchboard.toml:5:2: [helo] is not the configuration of any flow: remove it or correct its name (the sections are "],
    );
}

#[test]
fn a_bad_set_names_the_set() {
    fails_with(
        "bad-set",
        HELLO,
        &["--set", "hello.name=[1]"],
        &["error: --set hello.name=[1]: flow `hello`: [hello.name]: invalid type: sequence, expected a string"],
    );
    fails_with(
        "unknown-set",
        HELLO,
        &["--set", "hello.nmae=Acme"],
        &["error: --set hello.nmae=Acme: flow `hello`: [hello.nmae]: `nmae` is not a setting"],
    );
}
