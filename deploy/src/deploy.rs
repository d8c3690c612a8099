//! `deploy`: the artifacts stack, the Lambda zips, the number stack, the flows compiled with the
//! number, their uploads, the app stack, the files the buckets must hold, in that order.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;
use switchboard_stack::number;
use switchboard_stack::template::MAX_TEMPLATE_BODY;

use crate::args::{DeployArgs, NumberChoice};
use crate::artifacts::{self, Object};
use crate::cfn::{self, Applied, TemplateSource};
use crate::progress::{clock, Progress};
use crate::secrets;
use crate::{spoken, stack_names, target, Aws, Error};

/// What a deploy did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub stack: String,
    pub region: String,
    pub number: String,
    pub stacks: Vec<(String, Applied)>,
    pub uploaded: Vec<String>,
    pub secrets: Vec<secrets::Report>,
}

impl Summary {
    /// Whether the run changed nothing at all.
    pub fn unchanged(&self) -> bool {
        self.uploaded.is_empty()
            && self.stacks.iter().all(|(_, a)| *a == Applied::Unchanged)
            && self
                .secrets
                .iter()
                .all(|s| s.outcome != secrets::Outcome::Set)
    }

    /// The closing lines: what changed, and what to do.
    pub fn report(&self) -> String {
        let mut out = String::new();
        if self.unchanged() {
            out.push_str("Nothing changed: every stack and upload is as the project is.\n");
        } else {
            for (name, applied) in &self.stacks {
                out.push_str(&format!("  {name}: {applied:?}\n"));
            }
            for key in &self.uploaded {
                out.push_str(&format!("  uploaded {key}\n"));
            }
        }
        for s in &self.secrets {
            out.extend(s.line(&self.stack, &self.region));
        }
        out.push_str(&format!("Call {}\n", spoken(&self.number)));
        out
    }
}

/// Runs `deploy`.
pub async fn run(args: &DeployArgs, progress: &mut Progress) -> Result<Summary, Error> {
    let started = Instant::now();
    let t = target(&args.common)?;
    let known = secrets::values_from_env(&t, &args.set_secrets, |v| std::env::var(v).ok())?;
    let aws = Aws::connect(&args.common).await?;
    progress.note(&format!(
        "deploying stack {} to account {} in {}",
        t.name, aws.account, aws.region
    ));
    let cfn = aws.cfn();
    let s3 = aws.s3();
    let [artifacts_stack, number_stack, app_stack] = stack_names(&t.name);
    let mut summary = Summary {
        stack: t.name.clone(),
        region: aws.region.clone(),
        number: String::new(),
        stacks: Vec::new(),
        uploaded: Vec::new(),
        secrets: Vec::new(),
    };

    // 1. The bucket everything else is uploaded to.
    progress.note(&format!("stack {artifacts_stack}"));
    let (applied, out) = cfn::apply(
        &cfn,
        &artifacts_stack,
        TemplateSource::Body(number::artifacts().to_string()),
        &[],
        progress,
    )
    .await?;
    summary.stacks.push((artifacts_stack.clone(), applied));
    let bucket = output(&out, "ArtifactBucket", &artifacts_stack)?;

    // 2. The Lambda code, built (or given) and uploaded by content.
    progress.note("the router's and the provider's Lambda code");
    let router = artifacts::lambda_zip(artifacts::ROUTER, args.router_zip.as_deref())?;
    let provider = artifacts::lambda_zip(artifacts::PROVIDER, args.provider_zip.as_deref())?;
    for o in [&router, &provider] {
        if artifacts::upload(&s3, &bucket, o).await? {
            summary.uploaded.push(o.key.clone());
        }
    }

    // 3. The number, before the flows that speak it are compiled.
    progress.note(&format!(
        "stack {number_stack} (the provider and the business number)"
    ));
    let existing = cfn::status(&cfn, &number_stack).await?;
    let (area, adopt) = match &args.number {
        NumberChoice::AreaCode(a) => (Some(a.clone()), Some(String::new())),
        NumberChoice::Adopt(n) => (Some(String::new()), Some(n.as_str().to_owned())),
        NumberChoice::Keep if existing.is_some() => (None, None),
        NumberChoice::Keep => {
            return Err(Error(format!(
                "stack {} has no number yet: pass --area-code 212 to order one in that area code, or --number +1… to use one your account already has",
                t.name
            )))
        }
    };
    let (applied, out) = cfn::apply(
        &cfn,
        &number_stack,
        TemplateSource::Body(number::number().to_string()),
        &[
            ("ArtifactBucket", Some(bucket.clone())),
            ("ProviderCodeKey", Some(provider.key.clone())),
            ("AreaCode", area),
            ("Number", adopt),
        ],
        progress,
    )
    .await?;
    summary.stacks.push((number_stack.clone(), applied));
    let phone = output(&out, "PhoneNumber", &number_stack)?;
    let provider_arn = output(&out, "ProviderArn", &number_stack)?;
    summary.number = phone.clone();

    // 4. The flows, compiled with that number; the app stack's template with them.
    progress.note(&format!("compiling the flows with {}", spoken(&phone)));
    let dir = compile(&t.config_path, &t.name, t.stack.number.as_deref(), &phone)?;
    let template_path = dir.join(format!("{}.template.json", t.name));
    let template_text = std::fs::read_to_string(&template_path)
        .map_err(|e| Error(format!("reading {}: {e}", template_path.display())))?;
    let template: Value = serde_json::from_str(&template_text)
        .map_err(|e| Error(format!("{}: {e}", template_path.display())))?;
    for o in definitions(&template, &dir)? {
        if artifacts::upload(&s3, &bucket, &o).await? {
            summary.uploaded.push(o.key.clone());
        }
    }
    let source = if template_text.len() > MAX_TEMPLATE_BODY {
        let o = Object::addressed("templates", "json", template_text.into_bytes());
        if artifacts::upload(&s3, &bucket, &o).await? {
            summary.uploaded.push(o.key.clone());
        }
        TemplateSource::Url(artifacts::template_url(&bucket, &aws.region, &o.key))
    } else {
        TemplateSource::Body(template_text)
    };

    // 5. The app.
    progress.note(&format!("stack {app_stack}"));
    let (applied, _) = cfn::apply(
        &cfn,
        &app_stack,
        source,
        &[
            ("ArtifactBucket", Some(bucket.clone())),
            ("RouterCodeKey", Some(router.key.clone())),
            ("ProviderArn", Some(provider_arn)),
            ("PhoneNumber", Some(phone.clone())),
        ],
        progress,
    )
    .await?;
    summary.stacks.push((app_stack.clone(), applied));

    // 6. The files the flows play, into the buckets the stack made.
    let resources = cfn::resources(&cfn, &app_stack).await?;
    for (bucket_name, b) in &t.stack.buckets {
        let id = switchboard_stack::policy::bucket_id(bucket_name);
        let Some((_, physical)) = resources.get(&id) else {
            return Err(Error(format!("stack {app_stack} has no {id}")));
        };
        for (key, file) in &b.upload {
            let path = t.config_path.parent().unwrap_or(Path::new(".")).join(file);
            let bytes = std::fs::read(&path).map_err(|e| {
                Error(format!(
                    "[stack.{}.buckets.{bucket_name}.upload] \"{key}\": reading {}: {e}",
                    t.name,
                    path.display()
                ))
            })?;
            if put_if_changed(&s3, physical, key, bytes).await? {
                summary.uploaded.push(format!("s3://{physical}/{key}"));
            }
        }
    }

    // 7. The secrets the flows check, into the tables the stack made.
    let tables = t
        .stack
        .tables
        .keys()
        .filter_map(|name| {
            let id = switchboard_stack::policy::table_id(name);
            Some((name.clone(), resources.get(&id)?.1.clone()))
        })
        .collect();
    summary.secrets = secrets::apply(
        &aws.dynamodb(),
        &t,
        &tables,
        &phone,
        &args.set_secrets,
        known,
    )
    .await?;
    progress.note(&format!("done in {}", clock(started.elapsed())));
    Ok(summary)
}

fn output(out: &cfn::Outputs, key: &str, stack: &str) -> Result<String, Error> {
    out.get(key)
        .cloned()
        .ok_or_else(|| Error(format!("stack {stack} has no output {key}")))
}

/// Compiles every flow with the number into `target/switchboard-deploy/<stack>/`, with the
/// `compile` command itself (the flows are Rust code of the workflows package).
pub fn compile(
    config: &Path,
    stack: &str,
    setting: Option<&str>,
    phone: &str,
) -> Result<PathBuf, Error> {
    let dir = crate::root().join("target/switchboard-deploy").join(stack);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(&cargo);
    cmd.current_dir(crate::root())
        .args(["run", "--quiet", "--bin", "compile", "--", "--out"])
        .arg(&dir)
        .arg("--config")
        .arg(config);
    if let Some(setting) = setting {
        cmd.arg("--set").arg(format!("{setting}={phone}"));
    }
    let out = cmd
        .output()
        .map_err(|e| Error(format!("running {cargo} run --bin compile: {e}")))?;
    if !out.status.success() {
        return Err(Error(format!(
            "compiling the flows with the number {phone} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(dir)
}

/// The definitions the template reads from S3 (`DefinitionS3Location`), from the compiled files
/// whose content hash is their key.
pub fn definitions(template: &Value, dir: &Path) -> Result<Vec<Object>, Error> {
    let mut wanted: Vec<String> = Vec::new();
    for r in template["Resources"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
    {
        if let Some(key) = r["Properties"]["DefinitionS3Location"]["Key"].as_str() {
            wanted.push(key.to_owned());
        }
    }
    let mut out = Vec::new();
    if wanted.is_empty() {
        return Ok(out);
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error(format!("{}: {e}", dir.display())))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.to_string_lossy().ends_with(".asl.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error(format!("{}: {e}", path.display())))?;
        let key = switchboard_stack::template::definition_key(&text);
        if wanted.contains(&key) {
            out.push(Object {
                key,
                bytes: text.into_bytes(),
            });
        }
    }
    if out.len() != wanted.len() {
        return Err(Error(format!(
            "the template in {} reads definitions that are not there: run `cargo run --bin compile` and deploy again",
            dir.display()
        )));
    }
    Ok(out)
}

/// Puts a file into a bucket unless the object there has the same SHA-256 (kept in its
/// metadata). Returns whether it uploaded.
async fn put_if_changed(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    bytes: Vec<u8>,
) -> Result<bool, Error> {
    use sha2::{Digest, Sha256};
    let sum = format!("{:x}", Sha256::digest(&bytes));
    if let Ok(head) = s3.head_object().bucket(bucket).key(key).send().await {
        if head.metadata().and_then(|m| m.get("sha256")) == Some(&sum) {
            return Ok(false);
        }
    }
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .metadata("sha256", sum)
        .body(bytes.into())
        .send()
        .await
        .map_err(|e| Error::aws(format!("uploading s3://{bucket}/{key}"), e))?;
    Ok(true)
}
