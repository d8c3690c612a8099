// Evaluates JSONata expressions with the reference implementation (the `jsonata` npm package),
// extended with the functions AWS Step Functions adds, for the differential test
// sim/tests/jsonata_differential.rs.
//
// Usage: node jsonata-eval.js < cases.jsonl
// Each input line: {"expr": "...", "bindings": {"states": {...}, "name": value, ...}, "now_ms": 123}
// Each output line, in the same order, exactly one per input line:
//   {"ok": <value>}       the expression's value
//   {"undefined": true}   the expression yielded nothing
//   {"error": "<code>"}   evaluation (or parsing) failed; the jsonata error code when it has one
//
// Step Functions' functions (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html):
//   $partition(array, size), $range(start, end, step), $hash(data, algorithm) (a lowercase hex
//   digest, as States.Hash gives), $parse(json), $random([seed]), $uuid(). `$now()` and
//   `$millis()` are pinned to the line's `now_ms`, so both implementations read the same instant.
//   `$random` and `$uuid` are random here; the test compares only their shape.
'use strict';
const crypto = require('crypto');
const jsonata = require('jsonata');

const HASH_ALGORITHMS = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const MAX_RANGE_ITEMS = 1000;

function fail(code, message) {
  const e = new Error(message);
  e.code = code;
  return e;
}

function isInteger(n) {
  return typeof n === 'number' && Number.isInteger(n);
}

function partition(array, size) {
  if (!Array.isArray(array)) throw fail('SFN.partition', '$partition: argument 1 must be an array');
  if (!isInteger(size) || size <= 0) throw fail('SFN.partition', '$partition: chunk size must be a positive integer');
  const out = [];
  for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
  return out;
}

function range(start, end, step) {
  if (![start, end, step].every(isInteger)) throw fail('SFN.range', '$range: arguments must be integers');
  if (step === 0) throw fail('SFN.range', '$range: step must not be 0');
  const out = [];
  for (let i = start; step > 0 ? i <= end : i >= end; i += step) {
    if (out.length === MAX_RANGE_ITEMS) throw fail('SFN.range', '$range: more than 1000 items');
    out.push(i);
  }
  return out;
}

function hash(data, algorithm) {
  if (typeof data !== 'string') throw fail('SFN.hash', '$hash: argument 1 must be a string');
  const alg = HASH_ALGORITHMS[algorithm];
  if (!alg) throw fail('SFN.hash', `$hash: unsupported algorithm ${algorithm}`);
  if ([...data].length > 10000) throw fail('SFN.hash', '$hash: data longer than 10000 characters');
  return crypto.createHash(alg).update(data, 'utf8').digest('hex');
}

function parse(text) {
  if (typeof text !== 'string') throw fail('SFN.parse', '$parse: argument 1 must be a string');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw fail('SFN.parse', `$parse: ${e.message}`);
  }
}

// `$now(picture, timezone)` formats the pinned instant exactly as `$fromMillis` does: JSONata's
// own `$now` is `datetime.fromMillis(timestamp.getTime(), picture, timezone)`, so a timezone
// applies even without a picture.
const fromMillis = jsonata('$fromMillis(millis, picture, timezone)');
const compiled = new Map();

function compile(text, nowMs) {
  let expr = compiled.get(text);
  if (!expr) {
    expr = jsonata(text);
    compiled.set(text, expr);
  }
  expr.registerFunction('millis', () => nowMs, '<:n>');
  expr.registerFunction('now', async (picture, timezone) =>
    fromMillis.evaluate({ millis: nowMs, picture, timezone }), '<s?s?:s>');
  expr.registerFunction('partition', partition, '<an:a>');
  expr.registerFunction('range', range, '<nnn:a>');
  expr.registerFunction('hash', hash, '<ss:s>');
  expr.registerFunction('parse', parse, '<s:x>');
  expr.registerFunction('random', () => Math.random(), '<n?:n>');
  expr.registerFunction('uuid', () => crypto.randomUUID(), '<:s>');
  expr.registerFunction('eval', () => {
    throw fail('SFN.eval', '$eval is not available in Step Functions');
  });
  return expr;
}

// The JSON a result stands for, or an error code when JSON cannot hold it.
function toJson(v) {
  if (typeof v === 'function') throw fail('SFN.function', 'a function cannot be represented in JSON');
  if (typeof v === 'number' && !Number.isFinite(v)) throw fail('D1001', 'number out of range');
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(toJson);
  if (v !== null && typeof v === 'object') {
    if (v instanceof RegExp) throw fail('SFN.regex', 'a regex cannot be represented in JSON');
    const out = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJson(x);
    return out;
  }
  return v;
}

async function evaluateLine(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return { error: `bad input line: ${e.message}` };
  }
  try {
    const expr = compile(req.expr, req.now_ms);
    const v = await expr.evaluate(null, req.bindings || {});
    if (v === undefined) return { undefined: true };
    return { ok: toJson(v) };
  } catch (e) {
    return { error: String(e.code || e.message || e) };
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.trim() !== '');
  const out = [];
  for (const line of lines) out.push(JSON.stringify(await evaluateLine(line)));
  process.stdout.write(out.length ? out.join('\n') + '\n' : '');
}

main().catch((e) => {
  console.error(`jsonata-eval.js: ${e.stack || e}`);
  process.exit(1);
});
