#!/usr/bin/env bash
# `ktriage lint -o sarif` on a fixture set with several findings must pass `validate` of the SARIF
# Multitool (issue 6). Usage: sarif_validate.sh KTRIAGE SOURCE_DIR.
#
# What the Multitool does here (npm @microsoft/sarif-multitool 5.7.0, its self-contained Linux
# build, installed by scripts/bootstrap): it runs (libicu from Debian, or
# DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1), reports JSON syntax errors and the upper levels of the
# schema, but (1) always exits 0, so its own log is read for results, and (2) loads none of its
# SARIF1xxx/SARIF2xxx rules and misses schema errors below runs[0].tool (a trimmed single-file
# build). A probe with such an error shows whether that is still so; the whole 2.1.0 schema the
# package ships is then checked with python3-jsonschema as well, so a gap in the tool is said, not
# passed over.
set -euo pipefail
ktriage=$1
src=$2
tool_dir="$src/tools/sarif-multitool"
multitool="$tool_dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
schema="$tool_dir/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json"
if [ ! -x "$multitool" ]; then
  echo "FAIL: the SARIF Multitool is not installed at $tool_dir: run scripts/bootstrap" >&2
  exit 1
fi
# The .NET runtime fails at start without libicu unless told to do without it.
if ! ldconfig -p 2>/dev/null | grep -q libicuuc; then export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Relative paths, as CI runs it from the repository: artifact URIs stay relative.
(cd "$src/tests/report/testdata/sarif" && "$ktriage" lint . --target-version 1.25 -o sarif) \
  > "$work/lint.sarif" || [ $? -eq 1 ]  # exit 1: findings at or above --fail-on, as intended

# Results of `validate` on $1 (its exit code says nothing): "LEVEL RULE message" per line.
validate() {
  "$multitool" validate "$1" -o "$work/validation.sarif" --log ForceOverwrite --quiet >/dev/null
  python3 - "$work/validation.sarif" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
for r in run.get("results", []):
    m = r.get("message", {})
    print(r.get("level", "warning"), r["ruleId"], m.get("text") or " | ".join(m.get("arguments", [])))
PY
}

found=$(validate "$work/lint.sarif")
if [ -n "$found" ]; then
  echo "FAIL: SARIF Multitool validate reports on ktriage's SARIF:" >&2
  echo "$found" >&2
  exit 1
fi
echo "SARIF Multitool validate: no errors, no warnings"

# The probe: a nested schema error (result.level "bogus") the tool should flag.
cat > "$work/probe.sarif" <<'JSON'
{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "probe"}},
  "results": [{"ruleId": "x", "level": "bogus", "message": {"text": "A probe."}}]}]}
JSON
if [ -z "$(validate "$work/probe.sarif")" ]; then
  echo "NOTE: this SARIF Multitool build did not flag a schema error nested in runs[].results[]" \
    "(it loads no SARIF rules here); checking the full 2.1.0 schema with python3-jsonschema too"
fi
python3 - "$schema" "$work/lint.sarif" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
cls = jsonschema.validators.validator_for(schema)
errors = sorted(cls(schema).iter_errors(log), key=lambda e: list(e.path))
for e in errors:
    print("FAIL: schema:", "/".join(map(str, e.path)), e.message, file=sys.stderr)
results = log["runs"][0]["results"]
located = [r for r in results if r.get("locations", [{}])[0].get("physicalLocation")]
print(f"schema check: {len(errors)} errors; {len(results)} results, {len(located)} with a region")
if len(results) < 5 or len(located) != len(results):
    print("FAIL: expected 5 results, each with a physical location", file=sys.stderr)
    sys.exit(1)
sys.exit(1 if errors else 0)
PY
