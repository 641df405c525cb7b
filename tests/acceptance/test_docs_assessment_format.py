"""The example in docs/assessment-format.md is a valid assessment."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "assessment-format.md"


def test_the_documented_example_validates(tmp_path, cli):
    example = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    r = cli("validate", path)
    assert (r.code, r.stdout, r.stderr) == (0, "", "1 file checked: all valid\n")
