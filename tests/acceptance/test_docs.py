"""The docs stay true: CLI reference fresh, every error code documented, examples valid."""

from __future__ import annotations

import re
import typing

import pytest
from pydantic import BaseModel

from cyberdip.errors import CODES
from cyberdip.model.fields import _unwrap
from cyberdip.model.rubric import Rubric
from tests.conftest import ROOT, load_script

DOCS = ROOT / "docs"


def _gen():
    return load_script("gen_cli_docs")


GEN = _gen()
COMMANDS = GEN.commands()


def test_cli_reference_is_fresh():
    # our own help formatter (cyberdip/cli/helpfmt.py) writes the same text under every
    # typer version we allow, so this holds in the oldest-versions run too
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == GEN.render(), (
        f"docs/cli.md is stale; run `{GEN.COMMAND}` and commit docs/cli.md")


def test_every_command_and_option_is_in_the_cli_reference():
    doc = (DOCS / "cli.md").read_text(encoding="utf-8")
    missing = []
    for title, _, options in GEN.help_texts():
        section = doc.split(f"\n## {title}\n", 1)
        if len(section) != 2:
            missing.append(title)
            continue
        body = section[1].split("\n## ", 1)[0]
        missing += [f"{title} {opt}" for opt in options if opt not in body]
    assert missing == [], f"missing from docs/cli.md (run `{GEN.COMMAND}`): {missing}"


def test_the_known_commands_are_discovered():
    assert {"validate", "rubrics", "schema", "score"} <= set(COMMANDS)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_works_on_every_command(cli, command):
    r = cli(*([command] if command else []), "--help")
    assert (r.code, r.stderr) == (0, "")
    assert r.stdout.startswith(f"Usage: cyberdip {command}".rstrip() + " ")


def test_version(cli):
    from cyberdip import __version__

    r = cli("--version")
    assert (r.code, r.stdout, r.stderr) == (0, f"cyberdip {__version__}\n", "")


def test_version_in_a_real_process(subprocess_cli):
    """main() answers a bare --version itself; the answer must match the app's."""
    from cyberdip import __version__

    r = subprocess_cli("--version")
    assert (r.code, r.stdout, r.stderr) == (0, f"cyberdip {__version__}\n", "")
    r = subprocess_cli("--version", "validate")  # not bare: typer's eager option answers
    assert (r.code, r.stdout) == (0, f"cyberdip {__version__}\n")


# -- error codes ------------------------------------------------------------------------------


def test_every_error_code_is_documented():
    doc = (DOCS / "error-codes.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^### (CD\d{3}) ([a-z0-9-]+)$", doc, re.M))
    missing = {c: n for c, n in CODES.items() if documented.get(c) != n}
    assert missing == {}, f"docs/error-codes.md lacks (or misnames) these codes: {missing}"
    assert set(documented) <= set(CODES), "docs/error-codes.md documents unknown codes"


def test_every_documented_code_has_when_example_and_fix():
    doc = (DOCS / "error-codes.md").read_text(encoding="utf-8")
    for code in CODES:
        section = doc.split(f"### {code} ", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
        assert "**When" in section and "**Fix:**" in section, code
        assert re.search(r"```text\n.+```", section, re.S), code


# -- rubric format ------------------------------------------------------------------------------


def _yaml_blocks(path):
    return re.findall(r"```yaml\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def test_rubric_format_examples_validate(cli, tmp_path):
    blocks = _yaml_blocks(DOCS / "rubric-format.md")
    complete = [b for b in blocks if re.search(r"^areas:", b, re.M)]
    assert complete, "docs/rubric-format.md has no complete example"
    for i, block in enumerate(complete):
        path = tmp_path / f"example{i}.yaml"
        path.write_text(block, encoding="utf-8")
        r = cli("validate", path)
        assert (r.code, r.stdout) == (0, ""), r.stdout
        # each kind is shown
        assert all(k in block for k in ("kind: level", "kind: boolean", "kind: metric"))


def _keys(model: type[BaseModel], seen: set) -> set[str]:
    if model in seen:
        return set()
    seen.add(model)
    out = set()
    for name, f in model.model_fields.items():
        out.add(f.alias or name)
        stack = [f.annotation]
        while stack:
            t = _unwrap(stack.pop())
            if isinstance(t, type) and issubclass(t, BaseModel):
                out |= _keys(t, seen)
            else:
                stack += [a for a in typing.get_args(t) if a is not type(None)]
    return out


def test_rubric_format_documents_every_key():
    doc = (DOCS / "rubric-format.md").read_text(encoding="utf-8")
    keys = _keys(Rubric, set())
    assert {"thresholds", "better", "met", "not_met", "itu_gci", "topic"} <= keys
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert missing == [], f"docs/rubric-format.md does not mention: {missing}"


@pytest.mark.parametrize("path, pattern", [
    ("README.md", r"`cyberdip-core` (\d+\.\d+) \((\d+) criteria"),
    ("docs/limits.md", r"the built-in rubric, cyberdip-core (\d+\.\d+), has (\d+)\s+criteria"),
])
def test_the_built_in_rubrics_size_is_stated_as_shipped(path, pattern):
    import yaml

    rubric = yaml.safe_load((ROOT / "rubrics" / "cyberdip-core.yaml").read_text("utf-8"))
    stated = re.search(pattern, (ROOT / path).read_text(encoding="utf-8"))
    assert stated, f"{path}: the built-in rubric's size is not stated as {pattern}"
    shipped = (".".join(str(rubric["version"]).split(".")[:2]),
               str(sum(len(a.get("criteria", [])) for a in rubric["areas"])))
    assert stated.groups() == shipped, f"{path} states {stated.groups()}, ships {shipped}"
