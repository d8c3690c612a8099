//! The templates of `dist/` pass `cfn-lint` for every Region PSTN audio runs in
//! (`switchboard::pstn::regions`). `cfn-lint` comes from PyPI: `test.sh` runs this test through
//! `deploy/emulator/run.sh`, which installs it and sets `SWITCHBOARD_CFN_LINT`; a plain
//! `cargo test` without it says it skipped.

use std::path::Path;
use std::process::Command;

use switchboard::pstn::regions::PSTN_AUDIO_REGIONS;

#[test]
fn templates_pass_cfn_lint_in_every_pstn_audio_region() {
    let Some(lint) = std::env::var_os("SWITCHBOARD_CFN_LINT") else {
        eprintln!("SKIPPED: SWITCHBOARD_CFN_LINT is not set (test.sh runs this through deploy/emulator/run.sh)");
        return;
    };
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist");
    let mut templates: Vec<String> = std::fs::read_dir(&dist)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".template.json"))
        .map(|p| p.display().to_string())
        .collect();
    templates.sort();
    assert!(
        templates.len() >= 4,
        "expected the templates in dist/: {templates:?}"
    );
    let out = Command::new(&lint)
        .arg("--regions")
        .args(PSTN_AUDIO_REGIONS)
        .arg("--")
        .args(&templates)
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", Path::new(&lint).display()));
    assert!(
        out.status.success(),
        "cfn-lint found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
