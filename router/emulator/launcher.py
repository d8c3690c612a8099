"""Runs moto 5.2.5's server on 127.0.0.1 with Step Functions execution switched on and the gaps
that matter to deployed call flows filled, for the router's end-to-end tests:

1. the interpreter's JSONata hook is unset (every JSONata expression and `$var` reference fails
   with "'NoneType' object is not callable"): plug in the pure-Python jsonata-python;
2. its `$hash` is a stub that returns "Function $hash is currently not supported": replace it
   with Step Functions' documented function (see `sfn_hash`);
3. a JSONata expression that fails fails its state with moto's catch-all States.Runtime: raise
   States.QueryEvaluationError, as AWS does;
4. Lambda without Docker (`use_docker: false`) only echoes the payload back: run the function's
   Python handler from the zip that CreateFunction uploaded (see `run_python_handler`);
5. SendTaskFailure drops `cause`: pass it through;
6. StartExecution without a name gives the ARN suffix "None" and collides: name it with a UUID;
7. `--clock` starts the clock that JSONata's `$now()` and `$millis()` read at a given time, so
   flows that depend on opening hours take the same path whenever the tests run.

Usage: python launcher.py PORT [--clock 2026-03-03T12:00:00-05:00]
"""

import argparse
import datetime
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile

import jsonata
from jsonata import timebox
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.core.config import default_user_config
from moto.server import ThreadedMotoServer
from moto.stepfunctions import responses as sfn_responses
from moto.stepfunctions.parser import models as parser_models
from moto.stepfunctions.parser.api import EvaluationFailedEventDetails, HistoryEventType
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.common.string.string_expression import StringJSONata
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.component.intrinsic import jsonata as moto_intrinsics
from moto.stepfunctions.parser.asl.jsonata import jsonata as moto_jsonata

# --- JSONata ---------------------------------------------------------------------------------

# `$hash(value, algorithm)`: "JSONata equivalent of States.Hash"; the algorithms are MD5, SHA-1,
# SHA-256, SHA-384 and SHA-512, spelled so; the result is the digest in lowercase hex.
# https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
# https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-hash-calc
# The docs give no default algorithm and call it with two arguments everywhere, so both are
# required here (the conservative reading); States.Hash's limit of 10,000 characters is applied
# too, as the docs call one the equivalent of the other.
HASH_ALGORITHMS = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}
HASH_MAX_CHARS = 10_000


class HashError(ValueError):
    pass


def sfn_hash(value=None, algorithm=None):
    if not isinstance(value, str):
        raise HashError(f"$hash: argument 1 (value) must be a string, got {json.dumps(value)}")
    if algorithm not in HASH_ALGORITHMS:
        raise HashError(
            f"$hash: unsupported algorithm {json.dumps(algorithm)}; use one of "
            + ", ".join(HASH_ALGORITHMS)
        )
    if len(value) > HASH_MAX_CHARS:
        raise HashError(f"$hash: the value is longer than {HASH_MAX_CHARS} characters")
    return HASH_ALGORITHMS[algorithm](value.encode("utf-8")).hexdigest()


def eval_jsonata(expression):
    evaluator = jsonata.Jsonata(expression)
    evaluator.register_lambda("hash", sfn_hash)
    result = evaluator.evaluate(None)
    # jsonata-python returns its own sequence types; hand the interpreter plain JSON values.
    return None if result is None else json.loads(json.dumps(result))


_eval_string_jsonata = StringJSONata._eval_body


def eval_string_jsonata(self, env):
    """An expression that fails to evaluate fails the state with States.QueryEvaluationError, as
    on AWS (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html),
    not with moto's catch-all States.Runtime."""
    try:
        _eval_string_jsonata(self, env)
    except FailureEventException:
        raise
    except Exception as e:
        error = StatesErrorName(typ=StatesErrorNameType.StatesQueryEvaluationError)
        cause = f"The JSONata expression '{self.expression}' failed: {e}"
        details = EvaluationFailedEventDetails(error=error.error_name, cause=cause)
        raise FailureEventException(
            failure_event=FailureEvent(
                env=env,
                error_name=error,
                event_type=HistoryEventType.EvaluationFailed,
                event_details=EventDetails(evaluationFailedEventDetails=details),
            )
        ) from e


def start_clock_at(start):
    """Shift the clock JSONata's $now()/$millis() read so that it reads `start` now; it runs on
    at the real pace, so successive calls still get increasing times."""
    offset_ms = int(start.timestamp() * 1000) - int(time.time() * 1000)
    real = timebox.Timebox.current_milli_time
    timebox.Timebox.current_milli_time = staticmethod(lambda: real() + offset_ms)


# --- Lambda ----------------------------------------------------------------------------------

# Runs in a fresh interpreter: imports the handler from the unpacked zip, calls it with the
# event and a context, and writes {"result": ...} or {"error": {...}} (Lambda's shape for an
# unhandled error) to the file named by argv[3].
RUNNER = r"""
import importlib, json, os, sys, time, traceback
code_dir, handler_name, out_path, deadline = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
sys.path.insert(0, code_dir)

class Context:
    function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
    function_version = "$LATEST"
    invoked_function_arn = os.environ["SWITCHBOARD_FUNCTION_ARN"]
    memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
    aws_request_id = os.environ["SWITCHBOARD_REQUEST_ID"]
    def get_remaining_time_in_millis(self):
        return max(0, int((deadline - time.time()) * 1000))

try:
    module_name, _, function_name = handler_name.rpartition(".")
    handler = getattr(importlib.import_module(module_name), function_name)
    out = {"result": handler(json.load(sys.stdin), Context())}
except Exception as e:
    out = {"error": {"errorMessage": str(e), "errorType": type(e).__name__,
                     "stackTrace": traceback.format_tb(e.__traceback__)}}
with open(out_path, "w") as f:
    json.dump(out, f)
"""

_code_dirs = {}
_code_lock = threading.Lock()


def unpacked_code(fn):
    """The function's zip, unpacked once per code version into a temporary folder."""
    digest = hashlib.sha256(fn.code_bytes).hexdigest()
    with _code_lock:
        if digest not in _code_dirs:
            folder = tempfile.mkdtemp(prefix=f"lambda-{fn.function_name}-")
            with zipfile.ZipFile(io.BytesIO(fn.code_bytes)) as z:
                z.extractall(folder)
            _code_dirs[digest] = folder
        return _code_dirs[digest]


def function_error(error_type, message):
    return {"errorType": error_type, "errorMessage": message}


def run_python_handler(fn, event, port):
    """Invokes `fn` as Lambda would a python3.x function: its handler, its environment
    variables, its timeout; AWS SDK calls inside go to this server. Returns (payload, errored)."""
    if not (fn.run_time or "").startswith("python3"):
        return function_error(
            "Runtime.Unsupported",
            f"the e2e launcher runs only python3.x functions; {fn.function_name} is {fn.run_time}",
        ), True
    deadline = time.time() + float(fn.timeout)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_REGION": fn.region,
        "AWS_DEFAULT_REGION": fn.region,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_LAMBDA_FUNCTION_NAME": fn.function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory_size),
        "SWITCHBOARD_FUNCTION_ARN": fn.function_arn,
        "SWITCHBOARD_REQUEST_ID": str(uuid.uuid4()),
        **{k: str(v) for k, v in (fn.environment_vars or {}).items()},
    }
    with tempfile.TemporaryDirectory() as scratch:
        out_path = os.path.join(scratch, "out.json")
        try:
            done = subprocess.run(
                [sys.executable, "-c", RUNNER, unpacked_code(fn), fn.handler, out_path, str(deadline)],
                input=json.dumps(event).encode(),
                env=env,
                capture_output=True,
                timeout=float(fn.timeout),
            )
        except subprocess.TimeoutExpired:
            return function_error(
                "Sandbox.Timedout", f"Task timed out after {float(fn.timeout):.2f} seconds"
            ), True
        sys.stderr.write(done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace"))
        if not os.path.exists(out_path):
            return function_error(
                "Runtime.ExitError",
                f"the handler's process exited with {done.returncode} before returning: "
                + done.stderr.decode(errors="replace")[-2000:],
            ), True
        with open(out_path) as f:
            out = json.load(f)
    if "error" in out:
        return out["error"], True
    return out["result"], False


def make_invoke(port):
    def invoke(self, function_name, qualifier, body, headers, response_headers):
        fn = self.get_function(function_name, qualifier)  # an unknown function: 404, as AWS
        event = json.loads(body) if body else {}
        payload, errored = run_python_handler(fn, event, port)
        if errored:
            response_headers["x-amz-function-error"] = "Unhandled"
        return json.dumps(payload).encode()

    return invoke


# --- Step Functions API ------------------------------------------------------------------------


def send_task_failure_with_cause(self):
    self.stepfunction_backend.send_task_failure(
        self._get_param("taskToken"),
        error=self._get_param("error"),
        cause=self._get_param("cause"),
    )
    return sfn_responses.EmptyResult()


_start_execution = parser_models.StepFunctionsParserBackend.start_execution


def start_execution_named(self, state_machine_arn, name=None, execution_input=None, trace_header=None):
    return _start_execution(self, state_machine_arn, name or str(uuid.uuid4()), execution_input, trace_header)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int, nargs="?", default=5000)
    parser.add_argument(
        "--clock",
        type=datetime.datetime.fromisoformat,
        help="the time JSONata's $now()/$millis() read at start-up, ISO 8601 with an offset",
    )
    args = parser.parse_args()
    if args.clock is not None:
        if args.clock.tzinfo is None:
            parser.error(f"--clock {args.clock.isoformat()}: give an offset, e.g. 2026-03-03T12:00:00-05:00")
        start_clock_at(args.clock)
    # The interpreter's service integrations call back into this server at localhost:MOTO_PORT.
    os.environ["MOTO_PORT"] = str(args.port)
    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    default_user_config["lambda"] = {"use_docker": False}
    moto_jsonata._eval_jsonata = eval_jsonata
    StringJSONata._eval_body = eval_string_jsonata
    # The stub is prepended to every expression that names $hash and would shadow ours.
    moto_intrinsics._DECLARATION_BY_VARIABLE_REFERENCE.pop("$hash")
    LambdaSimpleBackend.invoke = make_invoke(args.port)
    sfn_responses.StepFunctionResponse.send_task_failure = send_task_failure_with_cause
    parser_models.StepFunctionsParserBackend.start_execution = start_execution_named
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=args.port, verbose=False)
    server.start()
    print(f"moto ready on http://127.0.0.1:{args.port}", flush=True)
    try:
        server._thread.join()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
