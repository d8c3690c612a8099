// Validates ASL definitions with asl-validator (https://www.npmjs.com/package/asl-validator).
// Usage: node validate.js FILE...   Exits 1 when any definition has an error, naming file and error.
'use strict';
const fs = require('fs');
const aslValidator = require('asl-validator');
const validate = aslValidator.default || aslValidator;

let failed = 0;
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('validate.js: give the .asl.json files to check');
  process.exit(2);
}
for (const file of files) {
  let definition;
  try {
    definition = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: not readable JSON: ${e.message}`);
    failed++;
    continue;
  }
  const { isValid, errors } = validate(definition);
  if (isValid) {
    console.log(`${file}: valid`);
  } else {
    failed++;
    for (const e of errors) {
      console.error(`${file}: ${e['Error code'] || ''} ${e.Message || JSON.stringify(e)}`);
    }
  }
}
process.exit(failed ? 1 : 0);
