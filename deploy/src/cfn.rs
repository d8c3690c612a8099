//! Applying a template to a stack through a change set, showing CloudFormation's progress, and
//! deleting a stack: the CloudFormation part of `deploy` and `destroy`.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::types::{
    Capability, ChangeSetStatus, ChangeSetType, Parameter, ResourceStatus, StackStatus, Tag,
};
use aws_sdk_cloudformation::Client;

use crate::progress::Progress;
use crate::Error;

/// How often stack status and events are read while CloudFormation works.
const POLL: Duration = Duration::from_millis(1500);

/// Where a template comes from: inline, or an object in S3 (above
/// [`switchboard_stack::template::MAX_TEMPLATE_BODY`]).
#[derive(Debug, Clone)]
pub enum TemplateSource {
    Body(String),
    Url(String),
}

/// What applying a template did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    Created,
    Updated,
    /// The template and parameters are what the stack already has: no change set executed.
    Unchanged,
}

/// A stack's outputs, by key.
pub type Outputs = BTreeMap<String, String>;

/// The stack's status, `None` when there is no such stack.
pub async fn status(cfn: &Client, name: &str) -> Result<Option<StackStatus>, Error> {
    match cfn.describe_stacks().stack_name(name).send().await {
        Ok(out) => Ok(out.stacks().first().and_then(|s| s.stack_status().cloned())),
        // DescribeStacks on a stack that does not exist fails with a ValidationError whose
        // message says so; there is no other signal
        // (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html).
        Err(e) if is_missing(&e) => Ok(None),
        Err(e) => Err(Error::aws(format!("reading stack {name}"), e)),
    }
}

fn is_missing<E: std::fmt::Debug>(e: &aws_sdk_cloudformation::error::SdkError<E>) -> bool
where
    E: aws_sdk_cloudformation::error::ProvideErrorMetadata,
{
    e.as_service_error().is_some_and(|s| {
        s.code() == Some("ValidationError")
            && s.message().is_some_and(|m| m.contains("does not exist"))
    })
}

/// The outputs of a stack that exists.
pub async fn outputs(cfn: &Client, name: &str) -> Result<Outputs, Error> {
    let out = cfn
        .describe_stacks()
        .stack_name(name)
        .send()
        .await
        .map_err(|e| Error::aws(format!("reading stack {name}"), e))?;
    Ok(out
        .stacks()
        .first()
        .map(|s| {
            s.outputs()
                .iter()
                .filter_map(|o| Some((o.output_key()?.to_owned(), o.output_value()?.to_owned())))
                .collect()
        })
        .unwrap_or_default())
}

/// A stack's resources: logical id → (type, physical id).
pub async fn resources(
    cfn: &Client,
    name: &str,
) -> Result<BTreeMap<String, (String, String)>, Error> {
    let mut out = BTreeMap::new();
    let mut pages = cfn
        .list_stack_resources()
        .stack_name(name)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Error::aws(format!("listing the resources of {name}"), e))?;
        for r in page.stack_resource_summaries() {
            out.insert(
                r.logical_resource_id().unwrap_or_default().to_owned(),
                (
                    r.resource_type().unwrap_or_default().to_owned(),
                    r.physical_resource_id().unwrap_or_default().to_owned(),
                ),
            );
        }
    }
    Ok(out)
}

/// Refuses to work on a stack another deploy or destroy is changing, or one CloudFormation
/// left in a state only a person can resolve; a stack whose first create rolled back holds
/// nothing and is deleted so that it can be created again.
async fn ready(
    cfn: &Client,
    name: &str,
    progress: &mut Progress,
) -> Result<Option<StackStatus>, Error> {
    let Some(status) = status(cfn, name).await? else {
        return Ok(None);
    };
    let s = status.as_str();
    if s.ends_with("_IN_PROGRESS") && s != "REVIEW_IN_PROGRESS" {
        return Err(Error::user(format!(
            "stack {name} is {s}: another deploy or destroy is changing it; wait until it ends (aws cloudformation describe-stacks --stack-name {name})"
        )));
    }
    match status {
        StackStatus::RollbackComplete | StackStatus::RollbackFailed => {
            progress.note(&format!(
                "stack {name} is {s} (its first create failed and holds nothing): deleting it to create it again"
            ));
            delete(cfn, name, progress).await?;
            Ok(None)
        }
        StackStatus::UpdateRollbackFailed => Err(Error::user(format!(
            "stack {name} is UPDATE_ROLLBACK_FAILED: CloudFormation could not roll back its last update. Fix what its events name, then run `aws cloudformation continue-update-rollback --stack-name {name}` and deploy again"
        ))),
        StackStatus::DeleteFailed => Err(Error::user(format!(
            "stack {name} is DELETE_FAILED: run destroy again to finish removing it, then deploy"
        ))),
        StackStatus::DeleteComplete => Ok(None),
        other => Ok(Some(other)),
    }
}

/// Creates or updates stack `name` with `template` and `parameters` (`None`: the value the stack
/// has) through a change set, showing each resource as CloudFormation reports it; returns what
/// it did and the outputs.
pub async fn apply(
    cfn: &Client,
    name: &str,
    template: TemplateSource,
    parameters: &[(&str, Option<String>)],
    progress: &mut Progress,
) -> Result<(Applied, Outputs), Error> {
    let existing = ready(cfn, name, progress).await?;
    let create = matches!(existing, None | Some(StackStatus::ReviewInProgress));
    let set_name = format!(
        "switchboard-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default()
    );
    let mut req = cfn
        .create_change_set()
        .stack_name(name)
        .change_set_name(&set_name)
        .change_set_type(if create {
            ChangeSetType::Create
        } else {
            ChangeSetType::Update
        })
        .capabilities(Capability::CapabilityIam)
        .tags(Tag::builder().key("switchboard:stack").value(name).build());
    req = match template {
        TemplateSource::Body(b) => req.template_body(b),
        TemplateSource::Url(u) => req.template_url(u),
    };
    for (k, v) in parameters {
        let p = Parameter::builder().parameter_key(*k);
        req = req.parameters(match v {
            Some(v) => p.parameter_value(v).build(),
            None => p.use_previous_value(true).build(),
        });
    }
    req.send()
        .await
        .map_err(|e| Error::aws(format!("creating a change set for stack {name}"), e))?;
    // Wait for the change set to be computed.
    let set = loop {
        let d = cfn
            .describe_change_set()
            .stack_name(name)
            .change_set_name(&set_name)
            .send()
            .await
            .map_err(|e| Error::aws(format!("reading the change set of stack {name}"), e))?;
        match d.status() {
            Some(ChangeSetStatus::CreateComplete) => break d,
            Some(ChangeSetStatus::Failed) => {
                let reason = d.status_reason().unwrap_or_default().to_owned();
                // An update that changes nothing fails with this reason, and no changes
                // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets-create.html).
                if d.changes().is_empty()
                    && (reason.contains("didn't contain changes") || reason.contains("No updates"))
                {
                    let _ = cfn
                        .delete_change_set()
                        .stack_name(name)
                        .change_set_name(&set_name)
                        .send()
                        .await;
                    return Ok((Applied::Unchanged, outputs(cfn, name).await?));
                }
                return Err(Error::user(format!(
                    "CloudFormation refused the change set for stack {name}: {reason}"
                )));
            }
            _ => tokio::time::sleep(POLL).await,
        }
    };
    progress.note(&format!(
        "stack {name}: {} change{}",
        set.changes().len(),
        if set.changes().len() == 1 { "" } else { "s" }
    ));
    let since = newest_event(cfn, name).await?;
    cfn.execute_change_set()
        .stack_name(name)
        .change_set_name(&set_name)
        .send()
        .await
        .map_err(|e| Error::aws(format!("executing the change set of stack {name}"), e))?;
    let end = watch(cfn, name, since, progress).await?;
    match end.as_str() {
        "CREATE_COMPLETE" => Ok((Applied::Created, outputs(cfn, name).await?)),
        "UPDATE_COMPLETE" => Ok((Applied::Updated, outputs(cfn, name).await?)),
        other => Err(Error::user(format!(
            "stack {name} ended {other}: {}",
            progress.failures().join("; ")
        ))),
    }
}

/// Deletes stack `name` (nothing when it does not exist), showing its progress.
pub async fn delete(cfn: &Client, name: &str, progress: &mut Progress) -> Result<bool, Error> {
    if status(cfn, name).await?.is_none() {
        return Ok(false);
    }
    let since = newest_event(cfn, name).await?;
    cfn.delete_stack()
        .stack_name(name)
        .send()
        .await
        .map_err(|e| Error::aws(format!("deleting stack {name}"), e))?;
    let end = watch(cfn, name, since, progress).await?;
    if end == "DELETE_COMPLETE" {
        Ok(true)
    } else {
        Err(Error::user(format!(
            "stack {name} ended {end}: {}",
            progress.failures().join("; ")
        )))
    }
}

/// The id of the stack's newest event: what a watch that follows shows comes after it. (An id,
/// not a time, so a clock that differs from CloudFormation's loses no event.)
async fn newest_event(cfn: &Client, name: &str) -> Result<Option<String>, Error> {
    let out = cfn
        .describe_stack_events()
        .stack_name(name)
        .send()
        .await
        .map_err(|e| Error::aws(format!("reading the events of stack {name}"), e))?;
    Ok(out
        .stack_events()
        .first()
        .and_then(|e| e.event_id())
        .map(str::to_owned))
}

/// Follows the stack's events after the event `since` until its status ends in `_COMPLETE` or
/// `_FAILED`; returns that status (`DELETE_COMPLETE` once the stack is gone).
async fn watch(
    cfn: &Client,
    name: &str,
    since: Option<String>,
    progress: &mut Progress,
) -> Result<String, Error> {
    let started = Instant::now();
    let mut seen: HashSet<String> = HashSet::new();
    // A deleted stack is only reachable by its id.
    let id = match cfn.describe_stacks().stack_name(name).send().await {
        Ok(o) => o
            .stacks()
            .first()
            .and_then(|s| s.stack_id())
            .unwrap_or(name)
            .to_owned(),
        Err(_) => name.to_owned(),
    };
    loop {
        let mut fresh = Vec::new();
        let mut pages = cfn
            .describe_stack_events()
            .stack_name(&id)
            .into_paginator()
            .send();
        'pages: while let Some(page) = pages.next().await {
            let page =
                page.map_err(|e| Error::aws(format!("reading the events of stack {name}"), e))?;
            for e in page.stack_events() {
                if e.event_id().is_some() && e.event_id() == since.as_deref() {
                    break 'pages;
                }
                if seen.insert(e.event_id().unwrap_or_default().to_owned()) {
                    fresh.push(e.clone());
                }
            }
        }
        fresh.reverse();
        for e in &fresh {
            progress.event(
                started.elapsed(),
                e.logical_resource_id().unwrap_or_default(),
                e.resource_type().unwrap_or_default(),
                e.resource_status()
                    .map(ResourceStatus::as_str)
                    .unwrap_or_default(),
                e.resource_status_reason(),
            );
        }
        let status = match status(cfn, &id).await? {
            None => return Ok("DELETE_COMPLETE".into()),
            Some(s) => s.as_str().to_owned(),
        };
        let done = !status.ends_with("_IN_PROGRESS");
        if done {
            return Ok(status);
        }
        progress.waiting(started.elapsed());
        tokio::time::sleep(POLL).await;
    }
}
