//! `deploy` works only on a stack CloudFormation can change: a stack another deploy or destroy is
//! changing, or one a person must repair, is refused with what to do, before any change set.
//! CloudFormation is mocked (aws-smithy-mocks) with the statuses it documents
//! (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html).

use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::types::{Stack, StackStatus};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use switchboard_deploy::cfn::{self, TemplateSource};
use switchboard_deploy::progress::Progress;

async fn apply_on(status: StackStatus) -> String {
    let rule = mock!(aws_sdk_cloudformation::Client::describe_stacks)
        .sequence()
        .output(move || {
            DescribeStacksOutput::builder()
                .stacks(
                    Stack::builder()
                        .stack_name("shop")
                        .stack_status(status.clone())
                        .creation_time(aws_smithy_types::DateTime::from_secs(0))
                        .build(),
                )
                .build()
        })
        .repeatedly()
        .build();
    // Any other call would find no rule and fail the test with the mock's own error.
    let client = mock_client!(aws_sdk_cloudformation, RuleMode::MatchAny, &[&rule]);
    let mut progress = Progress::new(true);
    match cfn::apply(
        &client,
        "shop",
        TemplateSource::Body("{}".into()),
        &[],
        &mut progress,
    )
    .await
    {
        Ok(r) => panic!("applied on a stack in that state: {r:?}"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn a_stack_another_deploy_is_changing_is_left_alone() {
    for s in [
        StackStatus::CreateInProgress,
        StackStatus::UpdateInProgress,
        StackStatus::DeleteInProgress,
        StackStatus::UpdateRollbackInProgress,
    ] {
        let e = apply_on(s.clone()).await;
        assert!(
            e.starts_with(&format!(
                "stack shop is {}: another deploy or destroy is changing it; wait until it ends",
                s.as_str()
            )),
            "{e}"
        );
    }
}

#[tokio::test]
async fn a_stack_only_a_person_can_repair_says_how() {
    let e = apply_on(StackStatus::UpdateRollbackFailed).await;
    assert!(
        e.contains("UPDATE_ROLLBACK_FAILED")
            && e.contains("aws cloudformation continue-update-rollback --stack-name shop"),
        "{e}"
    );
    let e = apply_on(StackStatus::DeleteFailed).await;
    assert!(e.contains("DELETE_FAILED: run destroy again"), "{e}");
}
