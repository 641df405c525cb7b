"""`cyberdip schema NAME`: valid JSON Schemas, committed copies kept fresh, usable by editors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from cyberdip import yamlio
from cyberdip.formats import schemas
from tests.conftest import DATA, OLDEST_SKIP, ROOT

REGENERATE = "python -m cyberdip.formats.schemas"


@pytest.mark.parametrize("name", schemas.NAMES)
def test_schema_is_a_valid_json_schema(cli, name):
    r = cli("schema", name)
    assert (r.code, r.stderr) == (0, "")
    s = json.loads(r.stdout)
    Draft202012Validator.check_schema(s)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["$id"].endswith(f"/{name}.schema.json")
    assert s["type"] == "object" and s["additionalProperties"] is False


@pytest.mark.parametrize("name", schemas.NAMES)
@OLDEST_SKIP
def test_committed_copy_is_fresh(cli, name):
    committed = ROOT / "schemas" / f"{name}.schema.json"
    assert committed.is_file(), f"schemas/{name}.schema.json is missing; run `{REGENERATE}`"
    assert committed.read_text() == cli("schema", name).stdout, (
        f"schemas/{name}.schema.json is stale; run `{REGENERATE}` and commit the result")


def test_write_all_writes_every_schema(tmp_path):
    schemas.write_all(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{n}.schema.json" for n in schemas.NAMES)
    assert (tmp_path / "rubric.schema.json").read_text() == schemas.schema_json("rubric")


def _as_json(path: Path):
    """What a JSON Schema tool sees: YAML int keys such as `levels: {0: ...}` become strings."""
    return json.loads(json.dumps(yamlio.load(path).data, default=str))


def _kind(path: Path) -> str | None:
    from cyberdip.formats.documents import kind_of_keys

    return kind_of_keys(yamlio.load(path).data)


EXAMPLES = sorted(p for p in (ROOT / "examples").glob("**/*.yaml") if p.name != "pack.yaml")
# a rubric's translations (`cyberdip-core.ur.yaml`) sit beside it; they are not rubrics
VALID_RUBRICS = [*sorted(p for p in (ROOT / "rubrics").glob("*.yaml")
                         if "." not in p.stem and p.name != "pack.yaml"),
                 *sorted(p for p in (DATA / "valid").iterdir() if p.suffix in (".yaml", ".yml")),
                 *[p for p in EXAMPLES if _kind(p) == "rubric"]]
VALID_ASSESSMENTS = [DATA / "assessments" / "mini-answered.yaml",
                     *[p for p in EXAMPLES if _kind(p) == "assessment"]]


@pytest.mark.parametrize("path", VALID_RUBRICS, ids=lambda p: p.name)
def test_valid_rubrics_pass_the_rubric_schema(path):
    validator = Draft202012Validator(schemas.schema("rubric"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in
              validator.iter_errors(_as_json(path))]
    assert errors == []


@pytest.mark.parametrize("path", VALID_ASSESSMENTS, ids=lambda p: p.name)
def test_valid_assessments_pass_the_assessment_schema(path):
    validator = Draft202012Validator(schemas.schema("assessment"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in
              validator.iter_errors(_as_json(path))]
    assert errors == []


def test_schema_rejects_what_validate_rejects():
    validator = Draft202012Validator(schemas.schema("rubric"))
    for name in ("unknown-key-typo", "wrong-type", "unknown-kind",
                 "yaml-boolean-number", "scale-too-short", "bad-id-and-version"):
        assert list(validator.iter_errors(_as_json(DATA / "invalid" / f"{name}.yaml"))), name
    # a criterion's title is optional in format 2, so only `validate` asks for it in
    # format 1 (missing-key.yaml); a missing question the schema refuses itself
    data = _as_json(DATA / "invalid" / "missing-key.yaml")
    assert not list(validator.iter_errors(data))
    del data["areas"][0]["criteria"][0]["question"]
    assert list(validator.iter_errors(data))


@pytest.mark.skipif(shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
                    is None, reason="check-jsonschema (test extra) is not installed")
def test_check_jsonschema_accepts_the_builtin_rubric_and_rejects_a_typo(tmp_path):
    exe = str(Path(sys.executable).parent / "check-jsonschema")
    schema = str(ROOT / "schemas" / "rubric.schema.json")
    good = [str(p) for p in VALID_RUBRICS]
    ok = subprocess.run([exe, "--schemafile", schema, *good], capture_output=True, text=True,
                        timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run([exe, "--schemafile", schema,
                          str(DATA / "invalid" / "unknown-key-typo.yaml")],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert "'wieght' was unexpected" in bad.stdout


def test_builtin_rubrics_point_editors_at_the_committed_schema():
    for path in sorted(p for p in (ROOT / "rubrics").glob("*.yaml")
                       if "." not in p.stem and p.name != "pack.yaml"):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schemas/rubric.schema.json", path
        assert (path.parent / "../schemas/rubric.schema.json").resolve().is_file()


def test_unknown_schema_name_is_a_usage_error(cli):
    r = cli("schema", "report")
    assert r.code == 2 and r.stdout == ""
    assert "Invalid value for 'NAME'" in r.stderr


def test_help(cli):
    r = cli("schema", "--help")
    assert r.code == 0 and r.stderr == ""
    assert "Which file format: rubric, assessment or scorecard." in " ".join(r.stdout.split())


def test_level_keys_are_numerals_in_the_schema():
    """YAML int keys arrive as strings in JSON; the schema accepts numerals only."""
    validator = Draft202012Validator(schemas.schema("rubric"))
    data = _as_json(DATA / "valid" / "mini.yaml")
    assert list(validator.iter_errors(data)) == []
    data["areas"][1]["criteria"][1]["levels"]["zero"] = data["areas"][1]["criteria"][1][
        "levels"].pop("0")
    assert list(validator.iter_errors(data))
