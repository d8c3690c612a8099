//! Opt-in smoke test against a real AWS account: never run by CI (it orders a real phone number,
//! which is billed while it exists). It deploys the business app as a stack of its own, checks the
//! number is ordered and routed to the stack's SIP media application, and destroys it — in a
//! guard that runs even when a check fails, and checks the stacks are gone.
//!
//! ```sh
//! SWITCHBOARD_LIVE=1 SWITCHBOARD_LIVE_REGION=us-east-1 SWITCHBOARD_LIVE_AREA_CODE=212 \
//!     cargo test -p switchboard-deploy --test live -- --nocapture
//! ```
//!
//! Credentials come from the usual chain (`AWS_PROFILE`, …). `SWITCHBOARD_LIVE_NUMBER=+1…`
//! adopts a number instead of ordering one (it is then never released). The stack is
//! `sblive<unix seconds>`; its bucket and table names are made unique the same way, in a
//! configuration written next to `workflows/switchboard.toml` and removed afterwards.

use std::path::PathBuf;
use std::process::Command;

struct Live {
    region: String,
    config: PathBuf,
    stack: String,
}

impl Live {
    fn destroy(&self) -> bool {
        let out = Command::new(env!("CARGO_BIN_EXE_destroy"))
            .args(["--region", &self.region, "--stack", &self.stack, "--config"])
            .arg(&self.config)
            .status()
            .expect("running destroy");
        out.success()
    }
}

impl Drop for Live {
    /// Whatever happened, remove what the test created; say so loudly when that fails.
    fn drop(&mut self) {
        let ok = self.destroy() || self.destroy();
        let _ = std::fs::remove_file(&self.config);
        if !ok {
            eprintln!(
                "LIVE TEST LEFT RESOURCES: delete the CloudFormation stacks {0}, {0}-number and {0}-artifacts in {1} (the number stack releases the number it ordered)",
                self.stack, self.region
            );
        }
    }
}

#[test]
fn deploy_a_live_number_and_destroy_it() {
    if std::env::var("SWITCHBOARD_LIVE").as_deref() != Ok("1") {
        eprintln!("SKIPPED: set SWITCHBOARD_LIVE=1 (and SWITCHBOARD_LIVE_REGION, SWITCHBOARD_LIVE_AREA_CODE or SWITCHBOARD_LIVE_NUMBER) to run against a real account");
        return;
    }
    let region = std::env::var("SWITCHBOARD_LIVE_REGION").expect("SWITCHBOARD_LIVE_REGION");
    let number_args = match (
        std::env::var("SWITCHBOARD_LIVE_AREA_CODE"),
        std::env::var("SWITCHBOARD_LIVE_NUMBER"),
    ) {
        (Ok(a), _) => vec!["--area-code".to_owned(), a],
        (_, Ok(n)) => vec!["--number".to_owned(), n],
        _ => panic!("set SWITCHBOARD_LIVE_AREA_CODE or SWITCHBOARD_LIVE_NUMBER"),
    };
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let stack = format!("sblive{stamp}");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let original = std::fs::read_to_string(root.join("workflows/switchboard.toml")).unwrap();
    let config = root.join(format!("workflows/.{stack}.toml"));
    let text = original
        .replace("[stack.business", &format!("[stack.{stack}"))
        .replace("acme-business-phone", &format!("{stack}-phone"))
        .replace("BusinessPhoneMessages", &format!("{stack}Messages"));
    std::fs::write(&config, text).unwrap();
    let live = Live {
        region: region.clone(),
        config: config.clone(),
        stack: stack.clone(),
    };

    let out = Command::new(env!("CARGO_BIN_EXE_deploy"))
        .args(["--region", &region, "--stack", &stack, "--config"])
        .arg(&config)
        .args(&number_args)
        .output()
        .expect("running deploy");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{stdout}");
    assert!(out.status.success(), "deploy failed");
    let call = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Call "))
        .expect("deploy names the number to call");
    let number: String = call.chars().filter(|c| *c != ' ').collect();

    // The number is routed: its SIP rule targets the stack's application.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region.clone()))
            .load()
            .await;
        let cfn = aws_sdk_cloudformation::Client::new(&config);
        let outputs = cfn
            .describe_stacks()
            .stack_name(&stack)
            .send()
            .await
            .unwrap();
        let outputs = outputs.stacks()[0].outputs();
        let get = |k: &str| {
            outputs
                .iter()
                .find(|o| o.output_key() == Some(k))
                .and_then(|o| o.output_value())
                .map(str::to_owned)
        };
        assert_eq!(get("PhoneNumber").as_deref(), Some(number.as_str()));
        assert!(get("SipMediaApplicationId").is_some_and(|id| !id.is_empty()));
        // Chime SDK Voice says the number is assigned, to a SIP rule.
        let voice = aws_sdk_chimesdkvoice::Client::new(&config);
        let got = voice
            .get_phone_number()
            .phone_number_id(&number)
            .send()
            .await
            .unwrap();
        let n = got.phone_number().expect("the number");
        assert_eq!(n.status().map(|s| s.as_str()), Some("Assigned"), "{n:?}");
        assert!(
            n.associations()
                .iter()
                .any(|a| a.name().map(|x| x.as_str()) == Some("SipRuleId")),
            "not routed by a SIP rule: {n:?}"
        );
    });

    assert!(live.destroy(), "destroy failed");
}
