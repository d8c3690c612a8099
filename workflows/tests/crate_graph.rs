//! The crate boundaries of DESIGN.md's crate table, checked on the real dependency graph
//! (`cargo tree`, normal dependencies, each package resolved on its own as `cargo build -p` would):
//! what a crate must not depend on stays out, so the structure cannot drift back (the simulator
//! reaching into the compiler, the AWS SDK in the flow author's build, syn in a runtime crate).

use std::process::Command;

/// `cargo tree -p <package>`: (direct dependencies, every dependency), normal edges only.
fn deps(package: &str) -> (Vec<String>, Vec<String>) {
    let tree = |depth: &str| {
        let out = Command::new(env!("CARGO"))
            .args(["tree", "--offline", "--edges", "normal", "--prefix", "none"])
            .args(["--format", "{p}", "--depth", depth, "-p", package])
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .output()
            .expect("cargo tree runs");
        assert!(
            out.status.success(),
            "cargo tree -p {package}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut names: Vec<String> = text
            .lines()
            .skip(1) // the package itself
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_owned)
            .collect();
        names.sort();
        names.dedup();
        names
    };
    (tree("1"), tree("99"))
}

fn is_aws(name: &str) -> bool {
    name.starts_with("aws-") || name.starts_with("lambda_runtime") || name == "hyper-rustls"
}

/// Fails with every broken rule of `package`, naming the dependency and the rule.
fn check(package: &str, direct_not: &[&str], none_of: &[&str], no_aws: bool) {
    let (direct, all) = deps(package);
    let mut broken = Vec::new();
    for d in &direct {
        if direct_not.contains(&d.as_str()) {
            broken.push(format!("{package} depends on {d} directly"));
        }
    }
    for d in &all {
        if none_of.contains(&d.as_str()) {
            broken.push(format!("{package} depends on {d}"));
        }
        if no_aws && is_aws(d) {
            broken.push(format!("{package} builds the AWS SDK crate {d}"));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_pstn_facts_have_no_dependencies() {
    let (direct, _) = deps("switchboard-pstn");
    assert!(direct.is_empty(), "switchboard-pstn depends on {direct:?}");
}

#[test]
fn the_flow_language_has_no_syn_and_no_sdk() {
    check("switchboard", &["syn"], &[], true);
}

#[test]
fn the_macro_does_not_depend_on_the_crate_it_expands_for() {
    check("switchboard-macros", &[], &["switchboard"], true);
}

#[test]
fn the_asl_model_stands_alone() {
    check(
        "switchboard-asl",
        &["syn"],
        &["switchboard", "switchboard-compiler"],
        true,
    );
}

#[test]
fn the_compiler_has_no_syn_and_no_sdk() {
    check("switchboard-compiler", &["syn"], &[], true);
}

#[test]
fn the_drift_command_builds_no_sdk() {
    check("switchboard-drift", &[], &["switchboard-sim"], true);
}

#[test]
fn the_simulator_reads_asl_without_the_compiler() {
    check("switchboard-sim", &["syn"], &["switchboard-compiler"], true);
}

#[test]
fn flow_authors_never_build_the_sdk() {
    check("switchboard-workflows", &[], &[], true);
}

#[test]
fn the_router_has_no_syn() {
    check(
        "switchboard-router",
        &["syn"],
        &["switchboard-compiler"],
        false,
    );
}

#[test]
fn the_lambdas_shared_packaging_has_no_sdk() {
    check("switchboard-lambda", &["syn"], &[], true);
}

#[test]
fn the_provider_has_no_syn_and_no_flow_language() {
    check(
        "switchboard-provider",
        &["syn"],
        &["switchboard", "switchboard-compiler"],
        false,
    );
}
