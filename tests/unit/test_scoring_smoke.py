from pathlib import Path

from cyberdip import assessment
from cyberdip.scoring import score

DATA = Path(__file__).resolve().parent.parent / "data"


def test_mini_assessment_scores_every_area():
    checked = assessment.load(str(DATA / "assessments" / "mini-answered.yaml"))
    card = score(checked.rubric, checked.assessment)
    assert [a.id for a in card.areas] == ["policy", "outreach"]
    assert card.index is not None and 0 <= card.index <= 100
