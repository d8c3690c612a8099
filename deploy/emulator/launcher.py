"""Starts ministack (pinned in requirements.txt) on 127.0.0.1 with the patches that make its
CloudFormation behave as AWS documents where Switchboard's deploy/destroy tests depend on it.

Usage: launcher.py PORT   (run.sh starts it; the port is the only argument)

Each patch names the AWS page it follows and is checked by probe/probe.py (a probe point fails
without it). Everything else is ministack as published; docs/emulators.md lists what was verified.
"""
import os
import sys
import threading


def configure(port: str) -> None:
    # Read by ministack at import time: bind to loopback only, and name the gateway 127.0.0.1 in
    # the URLs it hands out (queue URLs, custom-resource ResponseURLs) so nothing depends on how
    # `localhost` resolves.
    os.environ["GATEWAY_PORT"] = port
    os.environ["BIND_HOST"] = "127.0.0.1"
    os.environ.setdefault("MINISTACK_HOST", "127.0.0.1")
    os.environ.setdefault("MINISTACK_REGION", "us-east-1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Lambda functions run as host processes, never in Docker (there is none here).
    os.environ.setdefault("LAMBDA_EXECUTOR", "local")
    # A Lambda on AWS reaches AWS's endpoints; here its SDK reaches this emulator: ministack
    # gives its functions AWS_ENDPOINT_URL only when it has one itself. A service-specific
    # override in the environment (AWS_ENDPOINT_URL_CHIME_SDK_VOICE, the fake of Chime SDK Voice)
    # is inherited too and wins over it, as the SDKs document
    # (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
    os.environ.setdefault("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")


def camel(value):
    """CloudFormation's PascalCase property keys as the service API's camelCase keys."""
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


def patch_state_machine_logging() -> None:
    """AWS::StepFunctions::StateMachine LoggingConfiguration reaches the state machine.

    ministack 1.5.33 stores the template's PascalCase block (`Level`, `Destinations`,
    `CloudWatchLogsLogGroup`, `LogGroupArn`) as is, so DescribeStateMachine answers an empty
    `loggingConfiguration`. The property is the API's LoggingConfiguration
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-stepfunctions-statemachine-loggingconfiguration.html,
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_LoggingConfiguration.html):
    pass it on in the API's casing, on create and on update."""
    from ministack.services.cloudformation import provisioners as p

    handlers = p._RESOURCE_HANDLERS["AWS::StepFunctions::StateMachine"]
    create, update = handlers["create"], handlers["update"]

    def fix(props):
        if isinstance(props, dict) and isinstance(props.get("LoggingConfiguration"), dict):
            props = dict(props, LoggingConfiguration=camel(props["LoggingConfiguration"]))
        return props

    def patched_create(logical_id, props, stack_name):
        return create(logical_id, fix(props), stack_name)

    def patched_update(physical_id, old_props, new_props, stack_name, logical_id=None):
        return update(physical_id, fix(old_props), fix(new_props), stack_name, logical_id)

    handlers["create"] = patched_create
    handlers["update"] = patched_update
    # The module-level names are what the replacement path (`_rename_replacement`) calls.
    p._sfn_state_machine_create = patched_create


def patch_bucket_delete_keeps_objects() -> None:
    """DeleteStack does not empty buckets: a bucket with objects fails to delete.

    ministack 1.5.33 drops the bucket with its objects. AWS: "CloudFormation ... can't delete a
    non-empty Amazon S3 bucket" — the resource ends DELETE_FAILED and the stack DELETE_FAILED
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html,
    https://repost.aws/knowledge-center/cloudformation-s3-custom-resources). `destroy` must empty
    buckets itself; this keeps the emulator from hiding a missing step."""
    from ministack.services import s3
    from ministack.services.cloudformation import provisioners as p

    handlers = p._RESOURCE_HANDLERS["AWS::S3::Bucket"]
    delete = handlers["delete"]

    def patched_delete(physical_id, props):
        bucket = s3._buckets.get(physical_id)
        if bucket is not None and (bucket.get("objects") or s3._bucket_has_versions(physical_id)):
            raise ValueError(
                "The bucket you tried to delete is not empty (Service: S3, Status Code: 409, "
                "Error Code: BucketNotEmpty)"
            )
        return delete(physical_id, props)

    handlers["delete"] = patched_delete


def patch_delete_after_failed_create() -> None:
    """A custom resource whose Create answered FAILED gets a Delete.

    On AWS, when a custom resource's Create fails, CloudFormation's rollback sends it a Delete
    carrying the PhysicalResourceId of the FAILED response (the AWS CDK maintainers document this
    in aws/aws-cdk#5525; the provider must treat it as a no-op when nothing was created —
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-delete.html).
    ministack 1.5.33 never sends it. This sends it right after the FAILED answer, before the
    stack's rollback deletes the resources the custom resource depends on (so its Lambda still
    exists, as in AWS's reverse-order rollback). Conservative reading where AWS is silent: no
    Delete when the provider never answered (timeout), since no PhysicalResourceId exists then."""
    from ministack.services.cloudformation import custom_resource as cr

    local = threading.local()
    answers: dict = {}
    register, deliver, invoke = cr.register_token, cr.deliver_response, cr.invoke_custom_resource

    def patched_register(token):
        local.token = token
        return register(token)

    def patched_deliver(token, response):
        answers[token] = response
        return deliver(token, response)

    def patched_invoke(request_type, logical_id, props, stack_name, stack_id, resource_type,
                       physical_id=None, old_props=None):
        try:
            return invoke(request_type, logical_id, props, stack_name, stack_id, resource_type,
                          physical_id, old_props)
        except RuntimeError:
            answer = answers.pop(getattr(local, "token", None), None) or {}
            failed_id = answer.get("PhysicalResourceId")
            if request_type == "Create" and failed_id:
                try:
                    invoke("Delete", logical_id, props, stack_name, stack_id, resource_type,
                           failed_id, None)
                except Exception as exc:  # the Create's failure is what the stack reports
                    print(f"launcher: Delete after failed Create of {logical_id}: {exc}",
                          file=sys.stderr)
            raise
        finally:
            answers.pop(getattr(local, "token", None), None)

    cr.register_token = patched_register
    cr.deliver_response = patched_deliver
    # provisioners.py calls it as `_cr.invoke_custom_resource`, looked up at each call.
    cr.invoke_custom_resource = patched_invoke


def patch_virtual_hosted_template_url() -> None:
    """TemplateURL in the virtual-hosted form `https://BUCKET.s3.REGION.amazonaws.com/KEY`.

    CreateStack/CreateChangeSet take any S3 object URL
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html,
    "TemplateURL"); S3 documents virtual-hosted URLs as the standard form
    (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html). ministack 1.5.33
    reads only path-style URLs and rejects this one, so a deploy command would need an
    emulator-only branch. Rewritten here to the path-style URL ministack reads."""
    import re
    from urllib.parse import urlparse

    from ministack.services.cloudformation import helpers

    resolve = helpers._resolve_document
    host = re.compile(r"^(?P<bucket>.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$")

    def patched_resolve(params, body_key, url_key, label):
        url = helpers._p(params, url_key)
        if url and not helpers._p(params, body_key):
            parsed = urlparse(url)
            m = host.match(parsed.hostname or "")
            if m:
                params = dict(params)
                params[url_key] = [f"https://s3.amazonaws.com/{m['bucket']}{parsed.path}"]
        return resolve(params, body_key, url_key, label)

    helpers._resolve_document = patched_resolve


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit("usage: launcher.py PORT")
    configure(sys.argv[1])
    sys.argv = [sys.argv[0]]  # ministack parses its own flags
    # SWITCHBOARD_CFN_UNPATCHED=1 runs ministack as published: after an upgrade, the probe run
    # that way shows which patches are still needed (each one's point fails without it).
    if os.environ.get("SWITCHBOARD_CFN_UNPATCHED") != "1":
        patch_state_machine_logging()
        patch_bucket_delete_keeps_objects()
        patch_delete_after_failed_create()
        patch_virtual_hosted_template_url()
    from ministack import app

    app.main()


if __name__ == "__main__":
    main()
