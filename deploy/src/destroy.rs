//! `destroy`: the app stack (its buckets emptied first, or its data kept), the per-call queues a
//! call left behind, the number stack (the provider releases a number it ordered), the artifacts
//! stack; then a check that nothing of them is left. Every failure is reported, none swallowed:
//! a number still billed is worse than an error message.

use serde_json::Value;

use crate::args::DestroyArgs;
use crate::artifacts;
use crate::cfn::{self, TemplateSource};
use crate::progress::Progress;
use crate::{stack_names, target, Aws, Error};

/// What a destroy removed, kept, and could not remove.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub removed: Vec<String>,
    pub kept: Vec<String>,
    pub left: Vec<String>,
}

impl Summary {
    pub fn report(&self) -> String {
        let mut out = String::new();
        for r in &self.removed {
            out.push_str(&format!("  removed {r}\n"));
        }
        for k in &self.kept {
            out.push_str(&format!("  kept {k}\n"));
        }
        for l in &self.left {
            out.push_str(&format!("  NOT REMOVED {l}\n"));
        }
        if self.left.is_empty() {
            out.push_str("Nothing is left of the stack.\n");
        }
        out
    }
}

/// Runs `destroy`. An error stops it where it is (what was removed so far is in `progress`);
/// a finished run lists anything it found still there in [`Summary::left`].
pub async fn run(args: &DestroyArgs, progress: &mut Progress) -> Result<Summary, Error> {
    let t = target(&args.common)?;
    let aws = Aws::connect(&args.common).await?;
    let cfn = aws.cfn();
    let s3 = aws.s3();
    let mut summary = Summary::default();
    let [artifacts_stack, number_stack, app_stack] = stack_names(&t.name);
    progress.note(&format!(
        "destroying stack {} in account {}, {}",
        t.name, aws.account, aws.region
    ));

    let artifact_bucket = match cfn::status(&cfn, &artifacts_stack).await? {
        Some(_) => cfn::outputs(&cfn, &artifacts_stack)
            .await?
            .get("ArtifactBucket")
            .cloned(),
        None => None,
    };

    // 1. The app: its data kept (DeletionPolicy Retain, applied first) or its buckets emptied.
    if cfn::status(&cfn, &app_stack).await?.is_some() {
        let resources = cfn::resources(&cfn, &app_stack).await?;
        let data: Vec<(String, String, String)> = resources
            .iter()
            .filter(|(_, (kind, _))| kind == "AWS::S3::Bucket" || kind == "AWS::DynamoDB::Table")
            .map(|(id, (kind, physical))| (id.clone(), kind.clone(), physical.clone()))
            .collect();
        if args.keep_data && !data.is_empty() {
            progress.note("keeping the tables and buckets (--keep-data)");
            retain(
                &cfn,
                &app_stack,
                &s3,
                artifact_bucket.as_deref(),
                &aws.region,
                progress,
            )
            .await?;
            for (_, kind, physical) in &data {
                summary.kept.push(format!("{kind} {physical}"));
            }
        } else {
            for (_, kind, physical) in data.iter().filter(|(_, k, _)| k == "AWS::S3::Bucket") {
                let n = artifacts::empty(&s3, physical).await?;
                progress.note(&format!("emptied {kind} {physical} ({n} objects)"));
            }
        }
        progress.note(&format!("deleting stack {app_stack}"));
        cfn::delete(&cfn, &app_stack, progress).await?;
        let kept = if args.keep_data { data.len() } else { 0 };
        summary.removed.push(format!(
            "stack {app_stack} and {} of its {} resources",
            resources.len() - kept,
            resources.len()
        ));
    }

    // 2. Queues of calls that ended without the router deleting theirs.
    let prefix = format!("{}_", t.name);
    let n = delete_queues(&aws.sqs(), &prefix).await?;
    if n > 0 {
        summary
            .removed
            .push(format!("{n} per-call queues ({prefix}*)"));
    }

    // 3. The number (released by the provider if this stack ordered it) and the provider.
    if cfn::status(&cfn, &number_stack).await?.is_some() {
        let out = cfn::outputs(&cfn, &number_stack).await.unwrap_or_default();
        progress.note(&format!("deleting stack {number_stack}"));
        cfn::delete(&cfn, &number_stack, progress).await?;
        let number = out.get("PhoneNumber").cloned().unwrap_or_default();
        summary.removed.push(format!(
            "stack {number_stack}: the provider, and the number {number} (released if ordered by deploy, kept if adopted)"
        ));
    }

    // 4. The artifacts, emptied first.
    if cfn::status(&cfn, &artifacts_stack).await?.is_some() {
        if let Some(bucket) = cfn::outputs(&cfn, &artifacts_stack)
            .await?
            .get("ArtifactBucket")
        {
            let n = artifacts::empty(&s3, bucket).await?;
            progress.note(&format!(
                "emptied the artifacts bucket {bucket} ({n} objects)"
            ));
        }
        progress.note(&format!("deleting stack {artifacts_stack}"));
        cfn::delete(&cfn, &artifacts_stack, progress).await?;
        summary
            .removed
            .push(format!("stack {artifacts_stack} and its bucket"));
    }

    // 5. Nothing left.
    for name in [&app_stack, &number_stack, &artifacts_stack] {
        if let Some(s) = cfn::status(&cfn, name).await? {
            summary.left.push(format!("stack {name} ({})", s.as_str()));
        }
    }
    let queues = list_queues(&aws.sqs(), &prefix).await?;
    summary
        .left
        .extend(queues.into_iter().map(|q| format!("queue {q}")));
    Ok(summary)
}

/// Re-applies the stack's own template with `DeletionPolicy: Retain` on its tables and buckets,
/// so that deleting the stack keeps them.
async fn retain(
    cfn: &aws_sdk_cloudformation::Client,
    name: &str,
    s3: &aws_sdk_s3::Client,
    bucket: Option<&str>,
    region: &str,
    progress: &mut Progress,
) -> Result<(), Error> {
    let got = cfn
        .get_template()
        .stack_name(name)
        .send()
        .await
        .map_err(|e| Error::aws(format!("reading the template of {name}"), e))?;
    let mut template: Value = serde_json::from_str(got.template_body().unwrap_or("{}"))
        .map_err(|e| Error(format!("the template of {name} is not JSON: {e}")))?;
    let params: Vec<String> = template["Parameters"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    if let Some(resources) = template["Resources"].as_object_mut() {
        for r in resources.values_mut() {
            if r["Type"] == "AWS::S3::Bucket" || r["Type"] == "AWS::DynamoDB::Table" {
                r["DeletionPolicy"] = Value::from("Retain");
            }
        }
    }
    let previous: Vec<(&str, Option<String>)> = params.iter().map(|p| (p.as_str(), None)).collect();
    let text = template.to_string();
    let source = if text.len() > switchboard_stack::template::MAX_TEMPLATE_BODY {
        let Some(bucket) = bucket else {
            return Err(Error(format!(
                "the template of {name} is too large to pass inline and the artifacts bucket is gone: delete the stack without --keep-data, or keep its data by hand"
            )));
        };
        let o = artifacts::Object::addressed("templates", "json", text.into_bytes());
        artifacts::upload(s3, bucket, &o).await?;
        TemplateSource::Url(artifacts::template_url(bucket, region, &o.key))
    } else {
        TemplateSource::Body(text)
    };
    cfn::apply(cfn, name, source, &previous, progress).await?;
    Ok(())
}

async fn list_queues(sqs: &aws_sdk_sqs::Client, prefix: &str) -> Result<Vec<String>, Error> {
    let mut urls = Vec::new();
    let mut pages = sqs
        .list_queues()
        .queue_name_prefix(prefix)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Error::aws(format!("listing the queues {prefix}*"), e))?;
        urls.extend(page.queue_urls().iter().cloned());
    }
    Ok(urls)
}

async fn delete_queues(sqs: &aws_sdk_sqs::Client, prefix: &str) -> Result<usize, Error> {
    let urls = list_queues(sqs, prefix).await?;
    for url in &urls {
        sqs.delete_queue()
            .queue_url(url)
            .send()
            .await
            .map_err(|e| Error::aws(format!("deleting queue {url}"), e))?;
    }
    Ok(urls.len())
}
