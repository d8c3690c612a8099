//! The command lines of `deploy` and `destroy`.

use std::path::PathBuf;

use switchboard::pstn::regions::{runs_in, PSTN_AUDIO_REGIONS};
use switchboard::pstn::E164;

/// How the business number is obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberChoice {
    /// Order one in this US area code.
    AreaCode(String),
    /// Adopt this number of the account (never released).
    Adopt(E164),
    /// Keep the number the number stack already has.
    Keep,
}

/// What both commands share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common {
    pub region: String,
    pub profile: Option<String>,
    /// The `[stack.<name>]` to work on (`None`: the only one the configuration declares).
    pub stack: Option<String>,
    /// The configuration file (default `workflows/switchboard.toml`).
    pub config: Option<PathBuf>,
}

/// `deploy`'s options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployArgs {
    pub common: Common,
    pub number: NumberChoice,
    /// The router's and the provider's `bootstrap.zip`, prebuilt (default: built with
    /// `cargo run -p … --bin package`).
    pub router_zip: Option<PathBuf>,
    pub provider_zip: Option<PathBuf>,
    /// Secrets to write even if they are set (`--set-secret ID`, repeatable).
    pub set_secrets: Vec<String>,
}

/// `destroy`'s options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestroyArgs {
    pub common: Common,
    /// Keep tables and buckets (and what they hold).
    pub keep_data: bool,
}

pub const DEPLOY_USAGE: &str =
    "usage: deploy --region REGION [--profile P] [--stack NAME] [--area-code 212 | --number +1…]
              [--config FILE] [--router-zip FILE] [--provider-zip FILE] [--set-secret ID]…
  orders (--area-code) or adopts (--number) the business number on the first deploy, compiles the
  flows with it, uploads what the stacks need and creates or updates them; a second run with
  nothing changed changes nothing. A secret the stack declares (e.g. owner-pin) is written once,
  from SWITCHBOARD_SECRET_<ID> or asked for at the terminal; --set-secret ID replaces it";

pub const DESTROY_USAGE: &str =
    "usage: destroy --region REGION [--profile P] [--stack NAME] [--keep-data] [--config FILE]
  removes everything deploy created (releasing a number it ordered, never an adopted one) and
  checks nothing is left; --keep-data keeps the tables and buckets";

/// Reads `--flag value` pairs and bare flags; `None` for `--help`.
fn pairs(
    args: impl IntoIterator<Item = String>,
    valued: &[&str],
    bare: &[&str],
    usage: &str,
) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        if a == "-h" || a == "--help" {
            return Err(usage.to_owned());
        }
        if valued.contains(&a.as_str()) {
            let v = it
                .next()
                .ok_or_else(|| format!("{a} needs a value\n{usage}"))?;
            out.push((a, Some(v)));
        } else if bare.contains(&a.as_str()) {
            out.push((a, None));
        } else {
            return Err(format!("unknown argument `{a}`\n{usage}"));
        }
    }
    Ok(out)
}

fn common(pairs: &[(String, Option<String>)], usage: &str) -> Result<Common, String> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(a, _)| a == k)
            .and_then(|(_, v)| v.clone())
    };
    let region = get("--region").ok_or_else(|| {
        format!(
            "--region is required: one of the Regions PSTN audio runs in ({})\n{usage}",
            PSTN_AUDIO_REGIONS.join(", ")
        )
    })?;
    if !runs_in(&region) {
        return Err(format!(
            "--region {region}: PSTN audio does not run there; use one of {} ({})",
            PSTN_AUDIO_REGIONS.join(", "),
            switchboard::pstn::regions::DOC
        ));
    }
    Ok(Common {
        region,
        profile: get("--profile"),
        stack: get("--stack"),
        config: get("--config").map(PathBuf::from),
    })
}

/// Parses `deploy`'s arguments.
pub fn deploy(args: impl IntoIterator<Item = String>) -> Result<DeployArgs, String> {
    let p = pairs(
        args,
        &[
            "--region",
            "--profile",
            "--stack",
            "--config",
            "--area-code",
            "--number",
            "--router-zip",
            "--provider-zip",
            "--set-secret",
        ],
        &[],
        DEPLOY_USAGE,
    )?;
    let get = |k: &str| p.iter().find(|(a, _)| a == k).and_then(|(_, v)| v.clone());
    let number = match (get("--area-code"), get("--number")) {
        (Some(_), Some(_)) => {
            return Err(
                "give --area-code (order a number) or --number (adopt one), not both".into(),
            )
        }
        (Some(a), None) => {
            // A US area code: three digits, the first 2–9 (NANP).
            let ok =
                a.len() == 3 && a.bytes().all(|b| b.is_ascii_digit()) && !a.starts_with(['0', '1']);
            if !ok {
                return Err(format!(
                    "--area-code {a}: a US area code is three digits, the first 2–9 (e.g. 212)"
                ));
            }
            NumberChoice::AreaCode(a)
        }
        (None, Some(n)) => NumberChoice::Adopt(
            E164::try_from(n.clone()).map_err(|e| format!("--number {n}: {e}"))?,
        ),
        (None, None) => NumberChoice::Keep,
    };
    Ok(DeployArgs {
        common: common(&p, DEPLOY_USAGE)?,
        number,
        router_zip: get("--router-zip").map(PathBuf::from),
        provider_zip: get("--provider-zip").map(PathBuf::from),
        set_secrets: p
            .iter()
            .filter(|(a, _)| a == "--set-secret")
            .filter_map(|(_, v)| v.clone())
            .collect(),
    })
}

/// Parses `destroy`'s arguments.
pub fn destroy(args: impl IntoIterator<Item = String>) -> Result<DestroyArgs, String> {
    let p = pairs(
        args,
        &["--region", "--profile", "--stack", "--config"],
        &["--keep-data"],
        DESTROY_USAGE,
    )?;
    Ok(DestroyArgs {
        common: common(&p, DESTROY_USAGE)?,
        keep_data: p.iter().any(|(a, _)| a == "--keep-data"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn a_region_without_pstn_audio_is_refused_with_the_list() {
        let e = deploy(args("--region eu-west-3 --area-code 212")).unwrap_err();
        assert!(e.starts_with("--region eu-west-3: PSTN audio does not run there; use one of us-east-1, us-west-2,"), "{e}");
        let e = deploy(args("--area-code 212")).unwrap_err();
        assert!(e.starts_with("--region is required"), "{e}");
    }

    #[test]
    fn the_number_is_ordered_adopted_or_kept() {
        let a = deploy(args("--region us-east-1 --area-code 212")).unwrap();
        assert_eq!(a.number, NumberChoice::AreaCode("212".into()));
        let a = deploy(args("--region us-east-1 --number +12125550100")).unwrap();
        assert!(matches!(a.number, NumberChoice::Adopt(_)));
        assert_eq!(
            deploy(args("--region us-east-1")).unwrap().number,
            NumberChoice::Keep
        );
        assert!(deploy(args("--region us-east-1 --area-code 112"))
            .unwrap_err()
            .contains("first 2–9"));
        assert!(deploy(args("--region us-east-1 --number 2125550100")).is_err());
        assert!(deploy(args(
            "--region us-east-1 --area-code 212 --number +12125550100"
        ))
        .unwrap_err()
        .contains("not both"));
    }

    #[test]
    fn destroy_reads_keep_data() {
        let d = destroy(args("--region us-west-2 --stack shop --keep-data")).unwrap();
        assert!(d.keep_data);
        assert_eq!(d.common.stack.as_deref(), Some("shop"));
        assert!(destroy(args("--region us-west-2 --bogus"))
            .unwrap_err()
            .starts_with("unknown argument `--bogus`"));
    }
}
