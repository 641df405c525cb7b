"""The offline form in a real browser: Debian's chromium, driven through chromedriver
by Selenium, with the page opened from disk as an officer opens an e-mailed file.

- The round trip: answer questions of every kind by mouse and keyboard, reload (the
  answers come back from local storage), save the answers, import them, and score:
  the scorecard is the one the same answers give written as YAML.
- Carried-forward answers are shown to re-confirm; confirming one and changing another
  is what the saved file says. A section-only form holds its section's questions.
- Hostile text from the XSS corpus in every rubric field and in carried answers runs
  no script, opens no dialog and makes no request: the page is only ever the file.

Screenshots for a person to look at: ``CYBERDIP_SHOTS=/some/folder pytest -k form``.
Skips cleanly where chromium, chromedriver or Selenium is missing; CI installs them.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from cyberdip import yamlio
from tests.conftest import PATIENCE, ROOT

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
FORMAT2 = ROOT / "tests" / "data" / "rubrics" / "format2.yaml"

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)),
    reason="needs Debian's chromium and chromium-driver (CI installs them)")


class Page:
    """One headless Chromium with its own download folder, driven by Selenium."""

    def __init__(self, downloads: Path, size: tuple[int, int] = (1280, 800)) -> None:
        webdriver = pytest.importorskip("selenium.webdriver")
        from selenium.webdriver.chrome.service import Service

        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-default-apps", "--hide-scrollbars",
                  f"--window-size={size[0]},{size[1]}"):
            opts.add_argument(a)
        opts.add_experimental_option("prefs", {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False})
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        # never Selenium Manager, which reaches for the network
        self.d = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
        self.d.set_page_load_timeout(PATIENCE)
        self.downloads = downloads

    def open(self, path: Path) -> None:
        self.d.get(path.resolve().as_uri())
        self.wait(lambda: self.css(".status").text)

    def css(self, selector: str, within=None):
        from selenium.webdriver.common.by import By

        return (within or self.d).find_element(By.CSS_SELECTOR, selector)

    def all(self, selector: str, within=None):
        from selenium.webdriver.common.by import By

        return (within or self.d).find_elements(By.CSS_SELECTOR, selector)

    def criterion(self, cid: str):
        return self.css(f"[data-criterion='{cid}']")

    def wait(self, ready, what: str = "the page"):
        """Wait for ``ready()`` to be true, as long as a busy machine needs."""
        end = time.monotonic() + PATIENCE
        while time.monotonic() < end:
            got = ready()
            if got:
                return got
            time.sleep(0.05)
        status = self.all(".status")
        pytest.fail(f"{what} did not come within {PATIENCE} s; the page says: "
                    f"{status[0].text if status else self.d.page_source[:300]!r}")

    def save(self) -> Path:
        before = set(self.downloads.iterdir()) if self.downloads.exists() else set()
        self.css("button.save").click()

        def done():
            """The file Chrome saved, once whole: it names the file at once, empty,
            and writes it under ``.crdownload`` until it renames it at the end."""
            if not self.downloads.exists():
                return None
            here = list(self.downloads.iterdir())
            if any(p.name.endswith(".crdownload") for p in here):
                return None
            new = [p for p in here if p not in before and p.stat().st_size]
            return new[0] if new else None
        return self.wait(done, "the saved answers")

    def requests(self) -> list[str]:
        """Every URL the page asked for since the last call (DevTools log)."""
        out = []
        for e in self.d.get_log("performance"):
            m = json.loads(e["message"])["message"]
            if m["method"] == "Network.requestWillBeSent":
                out.append(m["params"]["request"]["url"])
        return out

    def shot(self, name: str) -> None:
        folder = os.environ.get("CYBERDIP_SHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            import base64

            m = self.d.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
            w, h = int(m["width"]), int(m["height"])
            step = 1600  # the whole page, in slices a person can look at
            for n, y in enumerate(range(0, min(h, 8 * step), step), 1):
                shot = self.d.execute_cdp_cmd("Page.captureScreenshot", {
                    "captureBeyondViewport": True, "clip": {
                        "x": 0, "y": y, "width": w, "height": min(step, h - y), "scale": 1}})
                (Path(folder) / f"{name}-{n}.png").write_bytes(
                    base64.b64decode(shot["data"]))

    def close(self) -> None:
        self.d.quit()


@pytest.fixture
def page(tmp_path):
    pytest.importorskip("selenium")
    p = Page(tmp_path / "downloads")
    yield p
    p.close()


def only_the_page(urls: list[str], page_file: Path) -> list[str]:
    """The requests that are not the page itself (nor an image the browser draws its
    own controls with, a ``data:`` URL)."""
    me = page_file.resolve().as_uri()
    return [u for u in urls if u != me and not u.startswith("data:")]


def scorecard(cli, path: Path) -> dict:
    r = cli("score", path, "--format", "json")
    assert (r.code, r.stderr) == (0, ""), r.stderr
    card = json.loads(r.stdout)
    card.pop("assessment_path", None)
    return card


# -- the round trip --------------------------------------------------------------------


SAME_AS_YAML = """\
rubric: {rubric}
rubric_version: 2.0.0
organisation: {{name: Ministry of Foreign Affairs, unit: Embassy in Berlin}}
period: "2026"
date: 2026-03-01
assessors: [Policy Planning]
profile: headquarters
answers:
  policy.strategy:
    indicators: {{drafted: true, adopted: true, funded: false, owned: false, reviewed: false}}
    evidence: [{{text: "Strategy paper, 2024", date: 2024-02-01}}]
    target: 4
    action: Put it to the cabinet
    owner: Director, Policy Planning
    due: 2026-Q3
    status: under-way
  policy.law: {{met: true, evidence: ["Prevention of Electronic Crimes Act 2016"]}}
  outreach.reach: {{value: 45}}
  outreach.replies: {{answer: PART}}
  national.strategy: {{not_applicable: Not ours to answer}}
"""


def test_fill_reload_save_import_gives_the_scorecard_of_the_same_answers_in_yaml(
        cli, page, tmp_path):
    from selenium.webdriver.common.keys import Keys

    rubric = tmp_path / "format2.yaml"
    shutil.copy(FORMAT2, rubric)
    form = tmp_path / "berlin.html"
    r = cli("init", rubric, "-o", form)
    assert (r.code, r.stdout) == (0, ""), r.stderr
    assert "berlin.answers.json" in r.stderr
    page.open(form)
    page.shot("form-1280-start")
    assert page.css(".status").text == "0 of 5 questions answered."

    meta = page.all("fieldset.meta input")
    for box, text in zip(meta, ["Ministry of Foreign Affairs", "Embassy in Berlin", "",
                                "Policy Planning", "2026"], strict=False):
        if text:
            box.send_keys(text)
    page.d.execute_script("arguments[0].value = '2026-03-01';"
                          "arguments[0].dispatchEvent(new Event('change'))", meta[5])

    strategy = page.criterion("policy.strategy")
    for iid in ("drafted", "adopted"):  # by mouse
        page.css(f"input[data-indicator='{iid}']", strategy).click()
    assert "give level 2" in page.css(".gives", strategy).text
    page.all("button", strategy)[-1].click()  # "Add evidence", then type it
    page.d.switch_to.active_element.send_keys("Strategy paper, 2024")
    day = page.css(".evidence input[type=date]", strategy)  # and the date it refers to
    page.d.execute_script("arguments[0].value = '2024-02-01';"
                          "arguments[0].dispatchEvent(new Event('change'))", day)
    target = [x for x in page.all("select", strategy)
              if x.find_element("xpath", "..").text.startswith("Target")][0]
    target.send_keys("4")  # a select takes the key of its option's text
    page.css("details.plan summary", strategy).click()  # the action plan, by keyboard
    plan = page.all("details.plan input[type=text]", strategy)
    for box, text in zip(plan, ["Put it to the cabinet", "Director, Policy Planning",
                                "2026-Q3"], strict=True):
        box.send_keys(text)
    page.css("details.plan select", strategy).send_keys("u")  # under-way

    law = page.criterion("policy.law")
    yes = page.all("input[type=radio]", law)[0]
    yes.send_keys(Keys.SPACE)  # by keyboard
    page.all("button", law)[-1].click()
    page.d.switch_to.active_element.send_keys("Prevention of Electronic Crimes Act 2016")

    page.css("input[type=number]", page.criterion("outreach.reach")).send_keys("45")
    replies = page.criterion("outreach.replies")
    page.all("input[type=radio]", replies)[1].click()

    national = page.criterion("national.strategy")
    page.css(".na input[type=checkbox]", national).click()
    page.d.switch_to.active_element.send_keys("Not ours to answer")
    assert page.css(".status").text == "5 of 5 questions answered."

    page.d.refresh()  # the answers are kept in the browser
    page.wait(lambda: page.css(".status").text == "5 of 5 questions answered.",
              "the answers restored from local storage")
    assert "give level 2" in page.css(".gives", page.criterion("policy.strategy")).text
    assert page.css("input[type=number]", page.criterion("outreach.reach")
                    ).get_attribute("value") == "45"
    page.shot("form-1280-filled")

    saved = page.save()
    assert saved.name == "berlin.answers.json"
    assert only_the_page(page.requests(), form) == []

    back = tmp_path / "berlin.yaml"
    r = cli("import", saved, "-o", back)  # saved in Downloads, far from its rubric file
    assert (r.code, r.stdout) == (1, "")
    assert r.stderr.startswith(f"{saved}:9:13: error[CD306]: rubric `format2.yaml` not found")
    assert r.stderr.endswith("beside these answers; name the rubric file the form was made "
                             "from with --rubric\n")
    r = cli("import", saved, "-o", back, "--rubric", rubric)
    assert (r.code, r.stdout) == (0, ""), r.stderr
    assert r.stderr == f"wrote {back}: 5 of 5 criteria filled in. Next: `cyberdip score " \
        f"{back}`\n"
    same = tmp_path / "same.yaml"
    same.write_text(SAME_AS_YAML.format(rubric="format2.yaml"), encoding="utf-8")
    assert scorecard(cli, back) == scorecard(cli, same)
    # and the saved file itself, beside its rubric, reads as the assessment it holds
    assert scorecard(cli, saved.replace(tmp_path / saved.name)) == scorecard(cli, same)


def test_carried_answers_are_shown_to_reconfirm_and_a_section_holds_its_questions(
        cli, page, tmp_path):
    rubric = tmp_path / "format2.yaml"
    shutil.copy(FORMAT2, rubric)
    last = tmp_path / "berlin-2025.yaml"
    last.write_text(SAME_AS_YAML.format(rubric="format2.yaml").replace('"2026"', '"2025"')
                    .replace("2026-03-01", "2025-03-01"), encoding="utf-8")
    form = tmp_path / "policy.html"
    r = cli("init", rubric, "--areas", "policy,outreach", "--respondent", "Policy Planning",
            "--from", last, "-o", form)
    assert (r.code, r.stdout) == (0, ""), r.stderr
    page.open(form)
    assert [e.get_attribute("data-criterion") for e in page.all("[data-criterion]")] == [
        "policy.strategy", "policy.law", "outreach.reach", "outreach.replies"]
    strategy = page.criterion("policy.strategy")
    assert "Carried forward from 2025 (berlin-2025.yaml)" in page.css(".carried", strategy).text
    assert page.css(".status").text == ("4 of 4 questions answered; 4 carried forward, "
                                        "still to confirm.")
    page.shot("form-1280-carried")
    page.all(".carried button", strategy)[0].click()  # confirm
    reach = page.css("input[type=number]", page.criterion("outreach.reach"))
    reach.clear()
    reach.send_keys("50")  # changed: no longer carried
    assert page.css(".status").text == ("4 of 4 questions answered; 2 carried forward, "
                                        "still to confirm.")
    saved = page.save()
    data = yamlio.load(saved).data["assessment"]
    assert data["section"] == "Policy Planning"
    assert data["organisation"]["unit"] == "Embassy in Berlin"  # carried with the answers
    answers = data["answers"]
    assert "carried" not in answers["policy.strategy"]
    assert answers["outreach.reach"] == {"value": 50}
    assert answers["policy.law"]["carried"]["source"] == "berlin-2025.yaml"
    assert answers["outreach.replies"]["carried"]["period"] == "2025"
    r = cli("status", tmp_path / "cycle.yaml")
    assert r.code == 0, r.stderr
    r = cli("import", saved, "-o", tmp_path / "policy-back.yaml", "--rubric", rubric)
    assert r.code == 0, r.stderr
    r = cli("score", tmp_path / "policy-back.yaml", "--format", "json")
    assert json.loads(r.stdout)["carried"]["unconfirmed"] == 2


def test_two_saved_forms_merge_as_two_respondents(cli, page, tmp_path):
    rubric = tmp_path / "format2.yaml"
    shutil.copy(FORMAT2, rubric)
    saved = []
    for who, level_boxes in (("Ana", ["drafted"]), ("Bo", ["drafted", "adopted", "funded",
                                                            "owned"])):
        form = tmp_path / f"{who}.html"
        assert cli("init", rubric, "-o", form).code == 0
        page.open(form)
        page.all("fieldset.meta input")[0].send_keys("Ministry of Foreign Affairs")
        page.all("fieldset.meta input")[3].send_keys(who)
        strategy = page.criterion("policy.strategy")
        for iid in level_boxes:
            page.css(f"input[data-indicator='{iid}']", strategy).click()
        got = page.save()
        saved.append(got.replace(tmp_path / got.name))
    out = tmp_path / "consensus.yaml"
    r = cli("merge", *saved, "-o", out, "--rule", "lowest")
    assert r.code == 0, r.stderr
    merged = yamlio.load(out).data
    assert merged["merged_from"]["respondents"] == ["Ana", "Bo"]
    card = scorecard(cli, out)
    strategy = next(c for c in card["criteria"] if c["id"] == "policy.strategy")
    assert strategy["level"] == 1  # the lowest of 1 and 3


# -- hostile text -------------------------------------------------------------------------


def _hostile_rubric(texts) -> dict:
    """format2.yaml with hostile ``texts`` (an endless iterator) in every text a person
    reads."""
    data = yamlio.load(FORMAT2).data

    def put(node):
        if isinstance(node, dict):
            for k in list(node):
                v = node[k]
                if k in ("title", "question", "description", "name", "meaning", "text",
                         "unit") and isinstance(v, str):
                    node[k] = next(texts)
                elif k == "levels" and isinstance(v, dict):
                    node[k] = {lv: next(texts) for lv in v}
                elif k == "question_for":
                    node[k] = {p: next(texts) for p in v}
                else:
                    put(v)
        elif isinstance(node, list):
            for v in node:
                put(v)

    put(data)
    data["glossary"] = {next(texts): next(texts) for _ in range(3)}
    return data


PER_TEXT = 6  # payloads joined in one text, so the whole corpus takes a few pages


def test_hostile_text_runs_no_script_opens_no_dialog_and_asks_for_nothing(
        cli, page, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException

    from tests.acceptance.test_report_xss import payloads

    corpus = list(payloads())
    done = 0
    n = 0
    while done < len(corpus):
        n += 1

        def texts():
            nonlocal done
            while True:
                chunk = corpus[done % len(corpus):done % len(corpus) + PER_TEXT]
                done += len(chunk)
                yield " ".join(chunk)

        words = texts()
        rubric = tmp_path / f"hostile-{n}.yaml"
        rubric.write_text(yamlio.dump(_hostile_rubric(words)), encoding="utf-8")
        last = tmp_path / f"last-{n}.yaml"
        last.write_text(yamlio.dump({
            "rubric": rubric.name, "rubric_version": "2.0.0",
            "organisation": {"name": next(words), "unit": next(words)},
            "answers": {"policy.strategy": {"level": 1, "evidence": [next(words)
                                                                     for _ in range(8)],
                                            "notes": next(words)},
                        "policy.law": {"not_applicable": next(words)}}}), encoding="utf-8")
        form = tmp_path / f"hostile-{n}.html"
        r = cli("init", rubric, "--from", last, "-o", form)
        assert r.code == 0, r.stderr
        page.open(form)
        page.css("details.help summary", page.criterion("policy.strategy")).click()
        # a dialog would make Selenium refuse the next command; none is open
        with pytest.raises(NoAlertPresentException):
            page.d.switch_to.alert.text  # noqa: B018
        state = page.d.execute_script(
            "return [document.querySelectorAll('script').length,"
            " document.querySelectorAll('style').length,"
            " document.querySelectorAll('iframe,object,embed,img,svg,link,base,"
            "meta[http-equiv=refresh],[onerror],[onload],[onclick]').length,"
            " document.styleSheets.length]")
        assert state == [2, 1, 0, 1], f"batch {n}: markup from the text: {state}"
        assert only_the_page(page.requests(), form) == [], f"batch {n}"
        assert not [e for e in page.d.get_log("browser") if e["level"] == "SEVERE"], n


def test_the_watchers_see_a_dialog_markup_and_a_request_when_there_is_one(page, tmp_path):
    """The control: a page that does what the hostile test says the form never does."""
    from selenium.common.exceptions import UnexpectedAlertPresentException

    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><p class="status">x</p><img src="http://127.0.0.1:9/y">'
                   '<script>setTimeout(function () { alert(1); }, 0)</script>',
                   encoding="utf-8")
    page.d.get(bad.as_uri())
    with pytest.raises(UnexpectedAlertPresentException):
        page.wait(lambda: page.d.execute_script("return false"), "a dialog")
    assert only_the_page(page.requests(), bad) == ["http://127.0.0.1:9/y"]


def test_the_urdu_form_reads_right_to_left_and_saves_the_answers_the_english_one_does(
        cli, page, tmp_path):
    cards = []
    for lang in ("ur", "en"):
        form = tmp_path / f"berlin-{lang}.html"
        r = cli("init", "cyberdip-core", "--lang", lang, "-o", form)
        assert (r.code, r.stdout) == (0, ""), r.stderr
        page.open(form)
        assert page.d.execute_script(
            "return [document.documentElement.dir, getComputedStyle(document.body).direction]"
        ) == (["rtl", "rtl"] if lang == "ur" else ["ltr", "ltr"])
        page.all("fieldset.meta input")[0].send_keys("وزارت خارجہ")
        strategy = page.criterion("strategy.digital-diplomacy-strategy")
        for cb in page.all("input[data-indicator]", strategy)[:3]:
            cb.click()
        page.css(".na input[type=checkbox]", page.criterion("context.cybercrime-law")).click()
        page.d.switch_to.active_element.send_keys("ملکی قانون ہمارے دائرے میں نہیں")
        if lang == "ur":
            assert page.css(".status").text == "54 میں سے 2 سوالات کے جواب دیے گئے۔"
            page.shot("form-ur-1280")
        saved = page.save()
        r = cli("import", saved, "-o", tmp_path / f"back-{lang}.yaml")
        assert (r.code, r.stdout) == (0, ""), r.stderr
        cards.append(scorecard(cli, tmp_path / f"back-{lang}.yaml"))
    assert cards[0] == cards[1]


def test_the_marking_stays_on_screen_prints_on_every_page_and_is_saved(cli, page, tmp_path):
    form = tmp_path / "berlin.html"
    r = cli("init", "cyberdip-core", "--marking", "tlp:amber", "-o", form)
    assert (r.code, r.stdout) == (0, ""), r.stderr
    page.open(form)
    band = page.css(".marking")
    assert band.text == "TLP:AMBER"
    page.d.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    assert page.d.execute_script(  # still at the top of the screen, scrolled to the end
        "return document.querySelector('.marking').getBoundingClientRect().top") == 0
    page.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert page.d.execute_script(
        "return getComputedStyle(document.querySelector('.marking')).position") == "fixed"
    page.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    page.d.execute_script("window.scrollTo(0, 0)")
    page.all("fieldset.meta input")[0].send_keys("Ministry of Foreign Affairs")
    saved = page.save()
    assert yamlio.load(saved).data["assessment"]["marking"] == "TLP:AMBER"
    r = cli("init", "cyberdip-core", "--marking", "TLP:AMBER", "-o", tmp_path / "x.xlsx")
    assert (r.code, r.stdout) == (2, "") and "--marking goes on the web form" in r.stderr
