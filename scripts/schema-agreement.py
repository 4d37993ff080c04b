#!/usr/bin/env python3
"""The committed JSON Schema gives the same verdict as Slate's own schema stage.

For every shipped policy and every corpus file, Slate's verdict (`slate check --format
json`: any `schema::` diagnostic means "invalid against the schema") is compared with the
verdict of an independent validator, check-jsonschema, on the committed schema. Files
Slate refuses before schema validation (`load::`/`parse::`: not UTF-8, anchors, duplicate
keys, several documents, ...) are listed but not compared: they never reach a schema.

Usage: scripts/schema-agreement.py SLATE_BINARY
Exit 0 when all verdicts agree, 1 on any disagreement, 2 on usage errors.
"""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "slate.schema.json"


def slate_verdict(slate, path):
    run = subprocess.run([slate, "check", str(path), "--format", "json"],
                         cwd=ROOT, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"slate exited {run.returncode} on {path}: {run.stderr}")
    codes = [d["code"] for d in json.loads(run.stdout)["diagnostics"]]
    if any(c.startswith(("load::", "parse::")) for c in codes):
        return "unread", codes
    return ("invalid" if any(c.startswith("schema::") for c in codes) else "valid"), codes


def independent_verdict(path):
    run = subprocess.run(["check-jsonschema", "--schemafile", str(SCHEMA), str(path)],
                         cwd=ROOT, capture_output=True, text=True)
    return ("valid" if run.returncode == 0 else "invalid"), run.stdout + run.stderr


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    slate = str(pathlib.Path(sys.argv[1]).resolve())
    files = sorted((ROOT / "policies").rglob("*.yaml")) + sorted((ROOT / "tests" / "corpus").rglob("*.yaml"))
    compared = skipped = 0
    disagreements = []
    for path in files:
        rel = path.relative_to(ROOT)
        ours, codes = slate_verdict(slate, rel)
        if ours == "unread":
            skipped += 1
            print(f"skip  {rel}: refused before schema validation ({', '.join(codes)})")
            continue
        theirs, detail = independent_verdict(rel)
        compared += 1
        mark = "ok   " if ours == theirs else "DIFF "
        print(f"{mark} {rel}: slate {ours}, check-jsonschema {theirs}")
        if ours != theirs:
            disagreements.append((rel, ours, theirs, codes, detail))
    for rel, ours, theirs, codes, detail in disagreements:
        print(f"\n{rel}: slate says {ours} ({', '.join(codes) or 'no diagnostics'}), "
              f"check-jsonschema says {theirs}:\n{detail}")
    print(f"\n{compared} compared, {len(disagreements)} disagreed, {skipped} refused before the schema stage")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
