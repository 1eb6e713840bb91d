#!/usr/bin/env python3
"""Validates normwerk's machine outputs against their JSON Schemas.

usage: validate_outputs.py NORMWERK   (run from the repository root)

Runs the real binary and checks:
- `check --format json` and `report --format json` against docs/schema/report.schema.json;
- `rules --format json` against docs/schema/rules.schema.json;
- `check --format sarif` and `report --format sarif` against the SARIF 2.1.0
  schema (tests/cli/schemas/sarif-2.1.0-rtm.5.json);
- `--format html` is self-contained (no scripts, stylesheets or images fetched);
- `explain` and `report --explain` rebuild an explanation for every finding.
Both with the fixed test rules (tests/cli/rules) and with the shipped rules
(an audit of a generated month: bench/gen_worklog.py).
Prints `N passed, N failed` and exits non-zero on any failure.
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

ROOT = os.getcwd()
passed = 0
failed = 0


def load(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return json.load(f)


REPORT = load("docs/schema/report.schema.json")
RULES = load("docs/schema/rules.schema.json")
SARIF = load("tests/cli/schemas/sarif-2.1.0-rtm.5.json")
STORE = {REPORT["$id"]: REPORT, RULES["$id"]: RULES, SARIF["id"]: SARIF}


def validator(schema):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    resolver = jsonschema.RefResolver.from_schema(schema, store=STORE)
    return cls(schema, resolver=resolver)


def run(nw, args, ok_codes=(0, 1)):
    env = dict(os.environ, NO_COLOR="1", LANG="C.UTF-8")
    env.pop("NORMWERK_RULES", None)
    p = subprocess.run([nw] + args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    if p.returncode not in ok_codes:
        raise RuntimeError(f"exit {p.returncode}: {p.stderr.strip()[:2000]}")
    return p.stdout


def check(name, fn):
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"ok   {name}")
    except (jsonschema.ValidationError, jsonschema.SchemaError) as e:
        failed += 1
        where = "/".join(str(p) for p in e.absolute_path)
        print(f"FAIL {name}: at /{where}: {e.message[:500]}")
    except Exception as e:  # noqa: BLE001 - any failure of a case is reported, not raised
        failed += 1
        print(f"FAIL {name}: {e}")


def validate_json(schema, text, expect=None):
    doc = json.loads(text)
    validator(schema).validate(doc)
    if expect:
        expect(doc)


def html_self_contained(text):
    low = text.lower()
    for bad in ("<script", "<link", "@import", "<img", "<iframe", "url(http", "src=\"http"):
        if bad in low:
            raise AssertionError(f"the HTML report fetches something: `{bad}`")
    if not low.startswith("<!doctype html>"):
        raise AssertionError("not an HTML document")


def main():
    nw = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="nw-schema-")
    db = os.path.join(tmp, "audit.db")
    for label, rules in (("test rules", ["--rules", "tests/cli/rules"]), ("shipped rules", [])):
        check_args = rules + ["check", "tests/cli/data/request-late.json", "--as-of", "2024-06-30"]

        def has_findings(doc):
            if not doc["findings"]:
                raise AssertionError("expected findings")
            und = [f for f in doc["findings"] if f["kind"] == "undetermined"]
            for f in und:
                if not f["missing"]:
                    raise AssertionError("undetermined finding without missing facts")

        check(f"check --format json ({label})",
              lambda: validate_json(REPORT, run(nw, check_args + ["--format", "json"]), has_findings))
        check(f"check --format sarif ({label})",
              lambda: validate_json(SARIF, run(nw, check_args + ["--format", "sarif"])))
        check(f"check --format html ({label})",
              lambda: html_self_contained(run(nw, check_args + ["--format", "html"])))
        check(f"rules --format json ({label})",
              lambda: validate_json(RULES, run(nw, rules + ["rules", "--format", "json"], ok_codes=(0,))))

    # A stored audit run (test rules: its findings are known).
    def audit():
        run(nw, ["--rules", "tests/cli/rules", "audit", "examples/worklog.csv", "--employer", "examples/employer.json",
                 "--as-of", "2024-06-30", "--db", db])

    check("audit examples", audit)

    def audit_json(doc):
        rows = [f["subject"].get("row") for f in doc["findings"] if "row" in f["subject"]]
        if not rows:
            raise AssertionError("expected work-log findings with a CSV row")
        if doc["run"]["status"] != "complete":
            raise AssertionError("the run is not complete")

    check("report --format json (audit)",
          lambda: validate_json(REPORT, run(nw, ["report", "--db", db, "--format", "json"], ok_codes=(0,)), audit_json))
    check("report --format sarif (audit)",
          lambda: validate_json(SARIF, run(nw, ["report", "--db", db, "--format", "sarif"], ok_codes=(0,))))
    check("report --format html (audit)",
          lambda: html_self_contained(run(nw, ["report", "--db", db, "--format", "html"], ok_codes=(0,))))
    def explained(doc):
        if "explanation" not in doc:
            raise AssertionError("explain gave no explanation")

    check("explain --format json (audit)",
          lambda: validate_json(REPORT["$defs"]["finding"] | {"$defs": REPORT["$defs"]},
                                run(nw, ["--rules", "tests/cli/rules", "explain", "--db", db, "--run", "1", "1",
                                         "--format", "json"], ok_codes=(0,)), explained))

    def all_explained(doc):
        for f in doc["findings"]:
            if "explanation" not in f:
                raise AssertionError(f"finding {f['id']} has no explanation")

    check("report --explain --format json (audit)",
          lambda: validate_json(REPORT, run(nw, ["--rules", "tests/cli/rules", "report", "--db", db, "--explain",
                                                 "--format", "json"], ok_codes=(0,)), all_explained))

    # The shipped rules on a generated month of work logs: undetermined
    # findings for facts the log does not carry are merged per employee.
    gen = os.path.join(tmp, "gen")
    subprocess.run([sys.executable, "bench/gen_worklog.py", "12", gen, "--days", "31"], check=True, cwd=ROOT)
    db2 = os.path.join(tmp, "shipped.db")

    def audit_shipped():
        run(nw, ["audit", os.path.join(gen, "worklog.csv"), "--employer", os.path.join(gen, "employer.json"),
                 "--as-of", "2024-12-31", "--db", db2])

    check("audit generated log (shipped rules)", audit_shipped)

    def merged(doc):
        covers = [f for f in doc["findings"] if "covers" in f]
        if not covers:
            raise AssertionError("expected merged undetermined findings")
        for f in covers:
            if f["kind"] != "undetermined":
                raise AssertionError(f"finding {f['id']} is merged but {f['kind']}")

    check("report --format json (shipped rules)",
          lambda: validate_json(REPORT, run(nw, ["report", "--db", db2, "--format", "json"], ok_codes=(0,)), merged))
    check("report --format sarif (shipped rules)",
          lambda: validate_json(SARIF, run(nw, ["report", "--db", db2, "--format", "sarif"], ok_codes=(0,))))
    check("report --explain --format json (shipped rules)",
          lambda: validate_json(REPORT, run(nw, ["report", "--db", db2, "--explain", "--format", "json"], ok_codes=(0,)),
                                all_explained))
    check("report --format html (shipped rules)",
          lambda: html_self_contained(run(nw, ["report", "--db", db2, "--format", "html"], ok_codes=(0,))))
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
