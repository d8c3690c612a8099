"""Checks, point by point, that the local CloudFormation emulator runs what Switchboard's stack
needs, and prints PASS/FAIL per point (docs/emulators.md says what each point means).

Run through the launcher, from the repository root:
    deploy/emulator/run.sh target/ministack-venv/bin/python deploy/emulator/probe/probe.py
(with CARGO_TARGET_DIR set, the venv is under it). Needs SWITCHBOARD_CFN_URL (run.sh sets it) and
`rustc` to build the probe's provided.al2023 bootstrap from relay.rs. Exits 1 if a point fails.
"""
import hashlib
import http.server
import io
import json
import os
import pathlib
import subprocess
import sys
import threading
import time
import traceback
import zipfile

import boto3
from botocore.exceptions import ClientError

HERE = pathlib.Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
URL = os.environ.get("SWITCHBOARD_CFN_URL")
if not URL:
    sys.exit("SWITCHBOARD_CFN_URL is not set: run me through deploy/emulator/run.sh")
REGION = "us-east-1"
# The PSTN audio regions to lint for (https://docs.aws.amazon.com/chime-sdk/latest/dg/sdk-available-regions.html).
PSTN_REGIONS = ["us-east-1", "us-west-2", "ca-central-1", "eu-central-1", "eu-west-2",
                "ap-northeast-1", "ap-southeast-1", "ap-southeast-2"]


def client(name):
    return boto3.client(name, endpoint_url=URL, region_name=REGION,
                        aws_access_key_id="test", aws_secret_access_key="test")


cfn, s3, sfn, iam, lam, logs, sqs, ddb, sch, ssm, sts = map(client, [
    "cloudformation", "s3", "stepfunctions", "iam", "lambda", "logs", "sqs", "dynamodb",
    "scheduler", "ssm", "sts"])
ACCOUNT = sts.get_caller_identity()["Account"]
timings = {}


class Failed(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failed(what)


def short(value, n=300):
    text = str(value)
    return text if len(text) <= n else text[:n] + f"... ({len(text)} chars)"


# --- the probe's HTTP server on 127.0.0.1: the relay Lambda asks it what to do --------------------
seen = []  # (headers, event) for every event the relay Lambda forwarded


class Probe(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        seen.append((dict(self.headers), event))
        if "ResponseURL" in event:
            answer = self.custom_resource(event)
        else:
            answer = "RETURN\n" + json.dumps({
                "greeting": self.headers.get("X-Probe-Greeting"),
                "function": self.headers.get("X-Probe-Function"), "event": event})
        body = answer.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    @staticmethod
    def custom_resource(event):
        mode = event["ResourceProperties"].get("Mode", "SUCCESS")
        kind = event["RequestType"]
        if mode == "HANG" and kind == "Create":
            return "HANG\n"
        failed = (mode == "FAILED" and kind == "Create") or (
            mode.startswith("FAIL_UPDATES") and kind == "Update")
        status = "FAILED" if failed else "SUCCESS"
        physical = event.get("PhysicalResourceId") or f"thing-{event['RequestId'][:8]}"
        response = {"Status": status, "Reason": f"probe answered {status} to {kind}",
                    "PhysicalResourceId": physical, "StackId": event["StackId"],
                    "RequestId": event["RequestId"],
                    "LogicalResourceId": event["LogicalResourceId"], "Data": {"Answer": "42"}}
        return f"PUT {event['ResponseURL']}\n{json.dumps(response)}"

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Probe)
threading.Thread(target=server.serve_forever, daemon=True).start()
ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}"


# --- helpers --------------------------------------------------------------------------------------
def wait_stack(name, timeout=120):
    """The stack once no longer *_IN_PROGRESS, or None once deleted."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        except ClientError as e:
            if "does not exist" in str(e):
                return None
            raise
        if not stack["StackStatus"].endswith("_IN_PROGRESS"):
            return stack
        time.sleep(0.05)
    raise Failed(f"stack {name} still in progress after {timeout}s")


def change_set(name, kind, template, params, tag):
    cfn.create_change_set(StackName=name, ChangeSetName=tag, ChangeSetType=kind,
                          TemplateBody=template, Parameters=params,
                          Capabilities=["CAPABILITY_IAM"])
    for _ in range(400):
        cs = cfn.describe_change_set(StackName=name, ChangeSetName=tag)
        if cs["Status"] in ("CREATE_COMPLETE", "FAILED"):
            return cs
        time.sleep(0.05)
    raise Failed(f"change set {tag} not ready")


def outputs(stack):
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def events(name):
    return list(reversed(cfn.describe_stack_events(StackName=name)["StackEvents"]))


def params(**kw):
    return [{"ParameterKey": k, "ParameterValue": str(v)} for k, v in kw.items()]


def timed(label, fn):
    start = time.time()
    result = fn()
    timings[label] = time.time() - start
    return result


def relay_zip():
    """relay.rs built with rustc into the target dir (rebuilt when the source changes), zipped."""
    source = HERE / "relay.rs"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "ministack-probe"
    binary = target / f"bootstrap-{digest}"
    if not binary.exists():
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(["rustc", "--edition", "2021", "-O", "-C", "strip=symbols",
                        str(source), "-o", str(binary)], check=True)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o755 << 16
        z.writestr(info, binary.read_bytes())
    return data.getvalue()


state = {}  # what one point leaves for the next


# --- the points -----------------------------------------------------------------------------------
def point1():
    """CreateChangeSet/ExecuteChangeSet (CREATE, UPDATE), 'no changes', DescribeStackEvents"""
    s3.create_bucket(Bucket="probe-artifacts")
    s3.put_object(Bucket="probe-artifacts", Key="flows/probe.asl.json",
                  Body=(TEMPLATES / "flow.asl.json").read_bytes())
    template = (TEMPLATES / "flow.json").read_text()
    p = params(ArtifactBucket="probe-artifacts", DefinitionKey="flows/probe.asl.json",
               QueuePrefix="sb-probe-")
    start = time.time()
    cs = change_set("probe-flow", "CREATE", template, p, "create")
    check(cs["Status"] == "CREATE_COMPLETE", f"CREATE change set: {cs['Status']} {cs.get('StatusReason')}")
    actions = sorted((c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"])
                     for c in cs["Changes"])
    check(actions == [("Add", "Flow"), ("Add", "FlowLogs"), ("Add", "FlowRole")], f"changes {actions}")
    cfn.execute_change_set(StackName="probe-flow", ChangeSetName="create")
    stack = wait_stack("probe-flow")
    timings["flow stack create"] = time.time() - start
    check(stack["StackStatus"] == "CREATE_COMPLETE", f"create: {stack['StackStatus']}")
    done = {(e["LogicalResourceId"], e["ResourceStatus"]) for e in events("probe-flow")}
    for lid in ("FlowLogs", "FlowRole", "Flow"):
        check((lid, "CREATE_IN_PROGRESS") in done and (lid, "CREATE_COMPLETE") in done,
              f"events for {lid}: {sorted(done)}")
    same = change_set("probe-flow", "UPDATE", template, p, "same")
    check(same["Status"] == "FAILED" and "didn't contain changes" in same.get("StatusReason", ""),
          f"identical template: {same['Status']} {same.get('StatusReason')!r}")
    p2 = params(ArtifactBucket="probe-artifacts", DefinitionKey="flows/probe.asl.json",
                QueuePrefix="sb-probe2-")
    upd = change_set("probe-flow", "UPDATE", template, p2, "update")
    check(upd["Status"] == "CREATE_COMPLETE", f"UPDATE change set: {upd.get('StatusReason')}")
    modified = sorted(c["ResourceChange"]["LogicalResourceId"] for c in upd["Changes"]
                      if c["ResourceChange"]["Action"] == "Modify")
    check(modified == ["Flow", "FlowRole"], f"modified {modified}")
    cfn.execute_change_set(StackName="probe-flow", ChangeSetName="update")
    stack = wait_stack("probe-flow")
    check(stack["StackStatus"] == "UPDATE_COMPLETE", f"update: {stack['StackStatus']}")
    state["flow"] = outputs(stack)
    return f"no-change reason: {same['StatusReason']!r}"


def point2():
    """StateMachine from DefinitionS3Location + DefinitionSubstitutions, RoleArn, logging"""
    out = state["flow"]
    sm = sfn.describe_state_machine(stateMachineArn=out["FlowArn"])
    expected = json.loads((TEMPLATES / "flow.asl.json").read_text()
                          .replace("${QueuePrefix}", "sb-probe2-")
                          .replace("${LogGroup}", out["FlowLogGroupArn"].split(":log-group:")[1]
                                   .removesuffix(":*")))
    check(json.loads(sm["definition"]) == expected, f"definition {short(sm['definition'])}")
    role_arn = iam.get_role(RoleName=out["FlowRoleName"])["Role"]["Arn"]
    check(sm["roleArn"] == role_arn, f"roleArn {sm['roleArn']} != {role_arn}")
    check(sm["type"] == "STANDARD", f"type {sm['type']}")
    lc = sm.get("loggingConfiguration", {})
    dest = [d["cloudWatchLogsLogGroup"]["logGroupArn"] for d in lc.get("destinations", [])]
    check(lc.get("level") == "ALL" and lc.get("includeExecutionData") is True
          and dest == [out["FlowLogGroupArn"]], f"loggingConfiguration {lc}")
    return "definition = file with substitutions applied; logging to the stack's log group"


def point3():
    """IAM role inline policies readable (GetRolePolicy)"""
    role = state["flow"]["FlowRoleName"]
    names = iam.list_role_policies(RoleName=role)["PolicyNames"]
    check(names == ["flow"], f"policies {names}")
    doc = iam.get_role_policy(RoleName=role, PolicyName="flow")["PolicyDocument"]
    if isinstance(doc, str):
        doc = json.loads(doc)
    want = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sqs:SendMessage",
        "Resource": f"arn:aws:sqs:{REGION}:{ACCOUNT}:sb-probe2-*"}]}
    check(doc == want, f"policy {doc}")
    trust = iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
    check("states.amazonaws.com" in json.dumps(trust), f"trust {trust}")
    return "inline policy read back as written, Fn::Sub resolved"


def point8():
    """Step Functions executions: JSONata, sqs:sendMessage.waitForTaskToken, $hash"""
    q = sqs.create_queue(QueueName="sb-probe2-calls")["QueueUrl"]
    ex = sfn.start_execution(stateMachineArn=state["flow"]["FlowArn"], name="probe-1",
                             input=json.dumps({"QueueUrl": q}))["executionArn"]
    msg = None
    for _ in range(20):
        msgs = sqs.receive_message(QueueUrl=q, WaitTimeSeconds=1).get("Messages")
        if msgs:
            msg = json.loads(msgs[0]["Body"])
            break
    check(msg is not None, "no task message on the queue")
    check(msg["Prefix"] == "sb-probe2-", f"message {msg}")
    sfn.send_task_success(taskToken=msg["WaitToken"], output=json.dumps({"Digits": "1"}))
    for _ in range(100):
        desc = sfn.describe_execution(executionArn=ex)
        if desc["status"] != "RUNNING":
            break
        time.sleep(0.05)
    check(desc["status"] == "SUCCEEDED", f"execution {desc['status']} {desc.get('error')} {desc.get('cause')}")
    want = {"digits": "1", "hash": hashlib.sha256(b"1234").hexdigest()}
    check(json.loads(desc["output"]) == want, f"output {desc['output']}")
    kinds = [e["type"] for e in sfn.get_execution_history(executionArn=ex)["events"]]
    sqs.delete_queue(QueueUrl=q)
    return "history: " + ", ".join(kinds)


def point4():
    """provided.al2023 Lambda from an S3 zip runs natively, with its Environment"""
    s3.put_object(Bucket="probe-artifacts", Key="code/relay.zip", Body=relay_zip())
    p = params(CodeBucket="probe-artifacts", CodeKey="code/relay.zip", ProbeEndpoint=ENDPOINT)
    seen.clear()
    cfn.create_stack(StackName="probe-provider", TemplateBody=(TEMPLATES / "provider.json").read_text(),
                     Parameters=p, Capabilities=["CAPABILITY_IAM"])
    stack = timed("provider stack create", lambda: wait_stack("probe-provider"))
    check(stack["StackStatus"] == "CREATE_COMPLETE",
          f"create: {stack['StackStatus']} {[e.get('ResourceStatusReason') for e in events('probe-provider')]}")
    out = state["provider"] = outputs(stack)
    conf = lam.get_function_configuration(FunctionName=out["ProviderName"])
    check(conf["Runtime"] == "provided.al2023", f"runtime {conf['Runtime']}")
    reply = lam.invoke(FunctionName=out["ProviderName"], Payload=b'{"direct": true}')
    body = json.loads(reply["Payload"].read())
    check("FunctionError" not in reply, f"invoke error {body}")
    check(body == {"greeting": "hello from the template", "function": out["ProviderName"],
                   "event": {"direct": True}}, f"invoke answered {body}")
    return "the Rust bootstrap ran as a host process and saw its Environment variables"


def point5():
    """custom resource: documented requests, ResponseURL, FAILED, Delete, ServiceTimeout"""
    out = state["provider"]
    created = [e for _, e in seen if e.get("RequestType") == "Create"]
    check(len(created) == 1, f"{len(created)} Create requests")
    ev = created[0]
    for field in ("RequestType", "RequestId", "ResponseURL", "ResourceType", "LogicalResourceId",
                  "StackId", "ResourceProperties"):
        check(field in ev, f"Create request lacks {field}: {short(ev)}")
    check(ev["ResourceType"] == "Custom::Thing" and ev["LogicalResourceId"] == "Thing", short(ev))
    props = ev["ResourceProperties"]
    check(props["ServiceToken"].startswith(f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:"), short(props))
    check(props["Nested"] == {"Count": "3", "Flag": "true", "List": ["a", "b"]},
          f"properties not stringified as AWS does: {props['Nested']}")
    check(out["ThingAnswer"] == "42" and out["ThingId"].startswith("thing-"), f"outputs {out}")
    # Update: new properties, the old ones, the physical id.
    seen.clear()
    p = params(CodeBucket="probe-artifacts", CodeKey="code/relay.zip", ProbeEndpoint=ENDPOINT,
               Mode="SUCCESS-AGAIN")
    cfn.update_stack(StackName="probe-provider", TemplateBody=(TEMPLATES / "provider.json").read_text(),
                     Parameters=p, Capabilities=["CAPABILITY_IAM"])
    stack = wait_stack("probe-provider")
    check(stack["StackStatus"] == "UPDATE_COMPLETE", f"update: {stack['StackStatus']}")
    upd = [e for _, e in seen if e.get("RequestType") == "Update"]
    check(len(upd) == 1 and upd[0]["PhysicalResourceId"] == out["ThingId"]
          and upd[0]["OldResourceProperties"]["Mode"] == "SUCCESS"
          and upd[0]["ResourceProperties"]["Mode"] == "SUCCESS-AGAIN", f"Update requests {short(upd)}")
    # Delete on DeleteStack.
    seen.clear()
    cfn.delete_stack(StackName="probe-provider")
    gone = timed("provider stack delete", lambda: wait_stack("probe-provider"))
    check(gone is None, f"delete: {gone and gone['StackStatus']}")
    dels = [e for _, e in seen if e.get("RequestType") == "Delete"]
    check(len(dels) == 1 and dels[0]["PhysicalResourceId"] == out["ThingId"], f"Delete requests {short(dels)}")
    # FAILED on Create: CREATE_FAILED with the provider's Reason, rollback, Delete with its id.
    seen.clear()
    p = params(CodeBucket="probe-artifacts", CodeKey="code/relay.zip", ProbeEndpoint=ENDPOINT, Mode="FAILED")
    cfn.create_stack(StackName="probe-failed", TemplateBody=(TEMPLATES / "provider.json").read_text(),
                     Parameters=p, Capabilities=["CAPABILITY_IAM"])
    stack = wait_stack("probe-failed")
    check(stack["StackStatus"] == "ROLLBACK_COMPLETE", f"FAILED create: {stack['StackStatus']}")
    failed = [e for e in events("probe-failed") if e["ResourceStatus"] == "CREATE_FAILED"]
    check(failed and failed[0]["ResourceStatusReason"] == "probe answered FAILED to Create",
          f"CREATE_FAILED events {[(e['LogicalResourceId'], e.get('ResourceStatusReason')) for e in failed]}")
    kinds = [(e["RequestType"], e.get("PhysicalResourceId")) for _, e in seen]
    check(len(kinds) == 2 and kinds[0][0] == "Create" and kinds[1][0] == "Delete"
          and kinds[1][1] and kinds[1][1].startswith("thing-"),
          f"requests after a FAILED Create: {kinds} (AWS sends a Delete with the FAILED answer's id)")
    cfn.delete_stack(StackName="probe-failed")
    check(wait_stack("probe-failed") is None, "ROLLBACK_COMPLETE stack not deleted")
    # No answer: ServiceTimeout ends the wait.
    seen.clear()
    p = params(CodeBucket="probe-artifacts", CodeKey="code/relay.zip", ProbeEndpoint=ENDPOINT,
               Mode="HANG", ServiceTimeout=2)
    start = time.time()
    cfn.create_stack(StackName="probe-hang", TemplateBody=(TEMPLATES / "provider.json").read_text(),
                     Parameters=p, Capabilities=["CAPABILITY_IAM"])
    stack = wait_stack("probe-hang", timeout=60)
    took = time.time() - start
    check(stack["StackStatus"] == "ROLLBACK_COMPLETE" and took < 30, f"HANG: {stack['StackStatus']} after {took:.1f}s")
    reasons = [e.get("ResourceStatusReason", "") for e in events("probe-hang") if e["ResourceStatus"] == "CREATE_FAILED"]
    cfn.delete_stack(StackName="probe-hang")
    wait_stack("probe-hang")
    return f"ServiceTimeout=2 failed the create after {took:.1f}s: {reasons}"


def point6():
    """bucket + policy, table, schedule group, parameter, queue, outputs, failure states, size limits"""
    start = time.time()
    cfn.create_stack(StackName="probe-data", TemplateBody=(TEMPLATES / "data.json").read_text())
    stack = wait_stack("probe-data")
    timings["data stack create"] = time.time() - start
    check(stack["StackStatus"] == "CREATE_COMPLETE", f"create: {stack['StackStatus']}")
    out = state["data"] = outputs(stack)
    policy = json.loads(s3.get_bucket_policy(Bucket=out["Bucket"])["Policy"])
    want = {"Version": "2012-10-17", "Statement": [{
        "Sid": "PstnAudioPlays", "Effect": "Allow",
        "Principal": {"Service": "voiceconnector.chime.amazonaws.com"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{out['Bucket']}/prompts/*",
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]}
    check(policy == want, f"bucket policy {policy}")
    check(ddb.describe_table(TableName=out["Table"])["Table"]["TableStatus"] == "ACTIVE", "table")
    check(sch.get_schedule_group(Name=out["ScheduleGroup"])["State"] == "ACTIVE", "schedule group")
    check(ssm.get_parameter(Name=out["Parameter"])["Parameter"]["Value"] == "0000", "parameter")
    check(sqs.get_queue_attributes(QueueUrl=out["QueueUrl"], AttributeNames=["QueueArn"]), "queue")
    # UPDATE_ROLLBACK_FAILED: the provider fails the update and the rollback's update too.
    p = params(CodeBucket="probe-artifacts", CodeKey="code/relay.zip", ProbeEndpoint=ENDPOINT, Mode="FAIL_UPDATES")
    body = (TEMPLATES / "provider.json").read_text()
    cfn.create_stack(StackName="probe-stuck", TemplateBody=body, Parameters=p, Capabilities=["CAPABILITY_IAM"])
    check(wait_stack("probe-stuck")["StackStatus"] == "CREATE_COMPLETE", "probe-stuck create")
    p = params(CodeBucket="probe-artifacts", CodeKey="code/relay.zip", ProbeEndpoint=ENDPOINT, Mode="FAIL_UPDATES-2")
    cfn.update_stack(StackName="probe-stuck", TemplateBody=body, Parameters=p, Capabilities=["CAPABILITY_IAM"])
    stuck = wait_stack("probe-stuck")
    check(stuck["StackStatus"] == "UPDATE_ROLLBACK_FAILED", f"stuck: {stuck['StackStatus']}")
    cfn.continue_update_rollback(StackName="probe-stuck", ResourcesToSkip=["Thing"])
    check(wait_stack("probe-stuck")["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE", "ContinueUpdateRollback")
    cfn.delete_stack(StackName="probe-stuck")
    check(wait_stack("probe-stuck") is None, "probe-stuck delete")
    # The 51,200-byte TemplateBody quota, and a larger template through TemplateURL.
    big = json.loads((TEMPLATES / "data.json").read_text())
    big["Metadata"] = {"Padding": "x" * 52000}
    try:
        cfn.create_stack(StackName="probe-big", TemplateBody=json.dumps(big))
        raise Failed("a 52 kB TemplateBody was accepted")
    except ClientError as e:
        check(e.response["Error"]["Code"] == "ValidationError" and "51200" in str(e), short(e))
    s3.put_object(Bucket="probe-artifacts", Key="templates/big.json", Body=json.dumps(big).encode())
    for name, url in (("probe-big-path", f"{URL}/probe-artifacts/templates/big.json"),
                      ("probe-big-vhost", "https://probe-artifacts.s3.us-east-1.amazonaws.com/templates/big.json")):
        cfn.create_stack(StackName=name, TemplateURL=url)
        got = wait_stack(name)
        check(got["StackStatus"] == "CREATE_COMPLETE", f"{url}: {got['StackStatus']}")
        cfn.delete_stack(StackName=name)
        check(wait_stack(name) is None, f"{name} delete")
    return "ROLLBACK_COMPLETE (point 5), UPDATE_ROLLBACK_FAILED and ContinueUpdateRollback, 51,200-byte limit, TemplateURL both forms"


def point7():
    """DeleteStack removes everything; a non-empty bucket fails the delete (as on AWS)"""
    out = state["data"]
    s3.put_object(Bucket=out["Bucket"], Key="prompts/beep.wav", Body=b"RIFF")
    sch.create_schedule(Name="probe-left", GroupName=out["ScheduleGroup"],
                        ScheduleExpression="at(2030-01-01T00:00:00)", FlexibleTimeWindow={"Mode": "OFF"},
                        Target={"Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:x",
                                "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/x"})
    cfn.delete_stack(StackName="probe-data")
    stack = wait_stack("probe-data")
    check(stack is not None and stack["StackStatus"] == "DELETE_FAILED",
          f"DeleteStack with a non-empty bucket: {stack and stack['StackStatus']}")
    check(s3.list_objects_v2(Bucket=out["Bucket"]).get("KeyCount") == 1, "the bucket's object is gone")
    s3.delete_object(Bucket=out["Bucket"], Key="prompts/beep.wav")
    cfn.delete_stack(StackName="probe-data")
    check(timed("data stack delete", lambda: wait_stack("probe-data")) is None, "second DeleteStack")
    cfn.delete_stack(StackName="probe-flow")
    check(timed("flow stack delete", lambda: wait_stack("probe-flow")) is None, "flow DeleteStack")
    s3.delete_object(Bucket="probe-artifacts", Key="flows/probe.asl.json")
    for key in ("code/relay.zip", "templates/big.json"):
        s3.delete_object(Bucket="probe-artifacts", Key=key)
    s3.delete_bucket(Bucket="probe-artifacts")
    left = {
        "buckets": [b["Name"] for b in s3.list_buckets()["Buckets"]],
        "tables": ddb.list_tables()["TableNames"],
        "schedule groups": [g["Name"] for g in sch.list_schedule_groups()["ScheduleGroups"] if g["Name"] != "default"],
        "schedules": [s["Name"] for s in sch.list_schedules()["Schedules"]],
        "parameters": [p["Name"] for p in ssm.describe_parameters()["Parameters"]],
        "queues": sqs.list_queues().get("QueueUrls", []),
        "state machines": [m["name"] for m in sfn.list_state_machines()["stateMachines"]],
        "roles": [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("probe-")],
        "functions": [f["FunctionName"] for f in lam.list_functions()["Functions"]],
        "log groups": [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]
                       if "probe" in g["logGroupName"] and not g["logGroupName"].startswith("/aws/lambda/")],
        "stacks": [s["StackName"] for s in cfn.list_stacks()["StackSummaries"]
                   if s["StackStatus"] != "DELETE_COMPLETE"],
    }
    left = {k: v for k, v in left.items() if v}
    check(not left, f"left after DeleteStack: {left}")
    # As on AWS, the log groups Lambda creates by itself (/aws/lambda/<function>) are no stack
    # resources and stay: `destroy` deletes them, or the template declares them.
    implicit = [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/probe-")["logGroups"]]
    for name in implicit:
        logs.delete_log_group(logGroupName=name)
    return ("every service listed empty after DeleteStack; the schedule went with its group; "
            f"{len(implicit)} implicit /aws/lambda/ log groups stayed, as on AWS")


def lint():
    """cfn-lint on the probe templates for every PSTN audio region"""
    exe = os.environ.get("SWITCHBOARD_CFN_LINT") or str(pathlib.Path(sys.executable).parent / "cfn-lint")
    files = [str(TEMPLATES / n) for n in ("flow.json", "provider.json", "data.json")]
    start = time.time()
    run = subprocess.run([exe, "--regions", *PSTN_REGIONS, "--", *files], capture_output=True, text=True)
    timings["cfn-lint, 3 templates x 8 regions"] = time.time() - start
    check(run.returncode == 0, f"cfn-lint exit {run.returncode}: {short(run.stdout + run.stderr, 800)}")
    return f"{len(files)} templates clean in {', '.join(PSTN_REGIONS)}"


POINTS = [("1", point1), ("2", point2), ("3", point3), ("8", point8), ("4", point4),
          ("5", point5), ("6", point6), ("7", point7), ("lint", lint)]


def main():
    passed = failed = 0
    for label, fn in POINTS:
        try:
            detail = fn()
            print(f"PASS point {label}: {fn.__doc__.strip()} — {detail}", flush=True)
            passed += 1
        except Exception as e:  # one point's failure must not hide the others
            why = str(e) if isinstance(e, Failed) else traceback.format_exc(limit=3)
            print(f"FAIL point {label}: {fn.__doc__.strip()} — {short(why, 1500)}", flush=True)
            failed += 1
    for label, seconds in timings.items():
        print(f"time: {label}: {seconds:.2f} s")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
