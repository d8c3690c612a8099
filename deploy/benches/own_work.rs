//! The deploy command's own work on an unchanged project, warm: building (cargo finds them up
//! to date) and hashing the two Lambda zips, compiling the flows with the number, reading the
//! template and hashing the definitions it reads from S3 — everything `deploy` does before and
//! between its AWS calls. Target ≤ 5 s. The AWS calls themselves (change sets that find nothing
//! to change, HeadObject per upload) are not included: they depend on the network.
//!
//! `cargo bench -p switchboard-deploy --bench own_work`

use std::time::{Duration, Instant};

use switchboard_deploy::{artifacts, deploy, root};

fn main() {
    let config = root().join("workflows/switchboard.toml");
    let mut runs: Vec<(Duration, [Duration; 3])> = Vec::new();
    // The first run builds whatever is not built yet; it is not counted.
    for i in 0..6 {
        let t = Instant::now();
        artifacts::lambda_zip(artifacts::ROUTER, None).expect("router zip");
        artifacts::lambda_zip(artifacts::PROVIDER, None).expect("provider zip");
        let zips = t.elapsed();
        let t = Instant::now();
        let dir = deploy::compile(
            &config,
            "business",
            Some("business-phone.number"),
            "+12125550100",
        )
        .expect("compile");
        let compile = t.elapsed();
        let t = Instant::now();
        let text = std::fs::read_to_string(dir.join("business.template.json")).unwrap();
        let template: serde_json::Value = serde_json::from_str(&text).unwrap();
        let defs = deploy::definitions(&template, &dir).expect("definitions");
        let hashing = t.elapsed();
        if i > 0 {
            runs.push((zips + compile + hashing, [zips, compile, hashing]));
        }
        assert!(!defs.is_empty() || template.to_string().contains("\"Definition\""));
    }
    runs.sort_by_key(|r| r.0);
    let (total, [zips, compile, hashing]) = runs[runs.len() / 2];
    println!(
        "deploy's own work, unchanged project, warm: median {:.2} s (zips {:.2} s, compile {:.2} s, template and definitions {:.3} s), best {:.2} s over {} runs (target <= 5 s) {}",
        total.as_secs_f64(),
        zips.as_secs_f64(),
        compile.as_secs_f64(),
        hashing.as_secs_f64(),
        runs[0].0.as_secs_f64(),
        runs.len(),
        if total <= Duration::from_secs(5) { "OK" } else { "OVER" }
    );
}
