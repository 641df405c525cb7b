"""Open reports in headless Chromium and watch what the page does.

How it proves "no dialog, no network request, no console error": we drive Chromium
over the DevTools protocol on ``--remote-debugging-pipe`` (file descriptors 3 and 4,
NUL-separated JSON; stdlib only, no websocket) and subscribe to the events that
report exactly those things *before* navigating:

- ``Page.javascriptDialogOpening``: any alert/confirm/prompt (we dismiss it and record it);
- ``Network.requestWillBeSent``: any request other than the report file itself;
- ``Runtime.consoleAPICalled``, ``Runtime.exceptionThrown`` and ``Log.entryAdded``:
  console messages, uncaught errors and browser-side errors such as CSP violations.

A control page that *does* run ``alert()`` and fetch an image proves the watchers work
(a watcher that never fires would make the hostile-report test pass vacuously).

Run by hand to take screenshots:
``python tests/acceptance/test_browser.py REPORT.html OUT.png [--print]``
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]


class Browser:
    """A minimal DevTools-protocol client for one headless Chromium."""

    def __init__(self) -> None:
        self.tmp = tempfile.mkdtemp(prefix="cyberdip-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:  # in the child: fd 3 reads our commands, fd 4 writes replies
            import fcntl

            r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-default-apps", "--mute-audio",
             "--hide-scrollbars", f"--user-data-dir={self.tmp}",
             "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4, to_child_r, from_child_w), preexec_fn=wire)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def _read(self, deadline: float) -> dict:
        import select

        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                chunk = os.read(self._from_child, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method: str, params: dict | None = None, *, session: bool = True,
             timeout: float = 20) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self._event(m)

    def _event(self, m: dict) -> None:
        if "method" not in m:
            return
        self.events.append(m)
        if m["method"] == "Page.javascriptDialogOpening":
            # dismiss from here, without waiting for our own reply
            self._id += 1
            os.write(self._to_child, json.dumps({
                "id": self._id, "method": "Page.handleJavaScriptDialog",
                "params": {"accept": False}, "sessionId": self.session}).encode() + b"\0")

    def pump(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        try:
            while True:
                self._event(self._read(deadline))
        except TimeoutError:
            pass

    def open(self, url: str, *, width: int = 1200, height: int = 900) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"},
                           session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target,
                                 "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + 20
        while not any(e["method"] == "Page.loadEventFired" for e in self.events):
            self._event(self._read(deadline))
        self.pump(0.7)  # let late timers, dialogs and requests show up

    def evaluate(self, expr: str):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        return r["result"].get("value")

    def screenshot(self, path: Path, *, full: bool = True, print_media: bool = False) -> None:
        if print_media:
            self.send("Emulation.setEmulatedMedia", {"media": "print"})
            # A4 at 96 dpi minus margins: about 680 px of content width
            self.send("Emulation.setDeviceMetricsOverride", {
                "width": 680, "height": 960, "deviceScaleFactor": 1, "mobile": False})
        params: dict = {"format": "png"}
        if full:
            params["captureBeyondViewport"] = True
            h = self.evaluate("document.documentElement.scrollHeight")
            w = self.evaluate("document.documentElement.scrollWidth")
            params["clip"] = {"x": 0, "y": 0, "width": w, "height": min(h, 16000),
                              "scale": 1}
        data = self.send("Page.captureScreenshot", params, timeout=60)["data"]
        path.write_bytes(base64.b64decode(data))

    def pdf(self, path: Path) -> None:
        data = self.send("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69,
                                             "preferCSSPageSize": True,
                                             "printBackground": True}, timeout=60)["data"]
        path.write_bytes(base64.b64decode(data))

    # what the page did
    def dialogs(self) -> list[dict]:
        return [e["params"] for e in self.events if e["method"] == "Page.javascriptDialogOpening"]

    def requests(self, own: str) -> list[str]:
        """Every URL the page asked for but itself; a ``data:`` URL (the Urdu report's
        embedded font) is part of the page, not a request to anywhere."""
        return [e["params"]["request"]["url"] for e in self.events
                if e["method"] == "Network.requestWillBeSent"
                and e["params"]["request"]["url"] != own
                and not e["params"]["request"]["url"].startswith("data:")]

    def console_errors(self) -> list[str]:
        out = []
        for e in self.events:
            p = e["params"]
            if e["method"] == "Runtime.consoleAPICalled":
                out.append(f"console.{p['type']}: {p.get('args')}")
            elif e["method"] == "Runtime.exceptionThrown":
                out.append(f"exception: {p['exceptionDetails'].get('text')}")
            elif e["method"] == "Log.entryAdded" and p["entry"]["level"] in ("error",
                                                                                "warning"):
                out.append(f"log {p['entry']['level']}: {p['entry']['text']}")
        return out

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False, timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)
        shutil.rmtree(self.tmp, ignore_errors=True)


needs_chromium = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                                    reason=f"{CHROMIUM} is not installed")


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """name -> (report file, the area ids it must show): the mini sample, the real
    example's sample report from reports/ (when there), and a hostile report."""
    from cyberdip.engine.scoring import score
    from cyberdip.report import as_html
    from tests.acceptance.test_report_xss import BATCH, _card, _hostile, mini_card, payloads

    d = tmp_path_factory.mktemp("browser")
    mini = mini_card()
    hostile = _card(list(payloads()[:BATCH]), _hostile)
    out = {}
    for name, card in (("mini", mini), ("hostile", hostile)):
        path = d / f"{name}.html"
        path.write_text(as_html.to_html(card), encoding="utf-8")
        out[name] = (path, [f"area-{a.id}" for a in card.areas])
    example = ROOT / "examples" / "pakistan-mofa-2023.yaml"
    if example.exists():
        from cyberdip.formats import documents

        c = documents.load_assessment(str(example))
        card = score(c.rubric, c.assessment)
        out["example"] = (ROOT / "reports" / "pakistan-mofa-2023.html",
                          [f"area-{a.id}" for a in card.areas])
    return out


def _assert_quiet(b: Browser, url: str) -> None:
    assert b.dialogs() == []
    assert b.requests(url) == []
    assert b.console_errors() == []


@needs_chromium
def test_watchers_catch_a_dialog_a_request_and_an_error(browser, tmp_path):
    """The control: a page that misbehaves on purpose is caught on every count."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><title>bad</title><img src="http://127.0.0.1:9/x.png">'
                   '<script>alert("x"); console.error("boom")</script>', encoding="utf-8")
    url = bad.as_uri()
    browser.open(url)
    assert [d["message"] for d in browser.dialogs()] == ["x"]
    assert browser.requests(url) == ["http://127.0.0.1:9/x.png"]
    assert any("boom" in m for m in browser.console_errors())


@needs_chromium
@pytest.mark.parametrize("which", ["mini", "example", "hostile"])
def test_report_is_quiet_and_complete(browser, reports, which, tmp_path_factory):
    if which not in reports:
        pytest.skip("examples/pakistan-mofa-2023.yaml is not there yet")
    path, areas = reports[which]
    url = path.as_uri()
    browser.open(url)
    _assert_quiet(browser, url)
    assert browser.evaluate("document.querySelectorAll('svg.radar polygon').length") > 0
    assert browser.evaluate("document.querySelectorAll('script').length") == 0
    ids = browser.evaluate("[...document.querySelectorAll('section.area')].map(s => s.id)")
    assert ids == areas
    assert browser.evaluate("document.querySelectorAll('#areas table tbody tr').length") \
        == len(areas)  # the chart's table equivalent
    assert browser.evaluate("document.getElementById('roadmap') !== null")
    shots = tmp_path_factory.mktemp("screenshots")
    browser.screenshot(shots / f"{which}.png", full=False)
    assert (shots / f"{which}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# -- the first screen, the brief and the markings, in Chromium --------------------------

FOLD = 800
FIGURES = ["fig-index", "fig-stage", "fig-coverage", "why", "actions", "about"]


def _boxes(b: Browser) -> dict[str, dict[str, float]]:
    js = ("JSON.stringify(Object.fromEntries(" + json.dumps(FIGURES) + ".map(i => [i, (e => e "
          "&& (({top, bottom, left, right}) => ({top, bottom, left, right}))"
          "(e.getBoundingClientRect()))(document.getElementById(i))])))")
    return json.loads(b.evaluate(js))


def _card_and_words(lang: str):
    from cyberdip.engine.scoring import score
    from cyberdip.formats import documents
    from cyberdip.report.i18n import RubricWords

    c = documents.load_assessment(str(ROOT / "examples" / "pakistan-mofa-2023.yaml"))
    card = score(c.rubric, c.assessment).model_copy(update={"marking": "TLP:AMBER"})
    if lang == "en":
        return card, {}
    found = documents.load_translation_for(c.rubric, c.rubric_path, lang)
    return card, {"lang": lang, "rubric_words": RubricWords(lang, found[0])}


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "ur"])
def test_the_first_screen_is_the_answer(browser, tmp_path, lang):
    """At 1280x800: index, stage, coverage, why the stage, and the five actions all
    above the fold; the details below. In Urdu the figures run right to left."""
    from cyberdip.report import registry

    card, opts = _card_and_words(lang)
    page = tmp_path / f"report-{lang}.html"
    page.write_bytes(registry.render("html", card, **opts))
    browser.open(page.as_uri(), width=1280, height=FOLD)
    _assert_quiet(browser, page.as_uri())
    box = _boxes(browser)
    for name in FIGURES[:-1]:
        assert 0 <= box[name]["top"] < box[name]["bottom"] <= FOLD, (name, box[name])
    # the three figures side by side, then the reason, then the actions
    assert box["fig-index"]["top"] == box["fig-stage"]["top"] == box["fig-coverage"]["top"]
    assert box["fig-coverage"]["bottom"] <= box["why"]["top"] <= box["actions"]["top"]
    assert box["about"]["top"] >= box["actions"]["bottom"]  # metadata and contents below
    order = sorted(["fig-index", "fig-stage", "fig-coverage"], key=lambda k: box[k]["left"])
    assert order == (["fig-index", "fig-stage", "fig-coverage"] if lang == "en" else
                     ["fig-coverage", "fig-stage", "fig-index"])
    # the stage list in full, and other gaps up to five lines in all (a heading is one)
    steps = len(card.stage_plan.steps)
    others = min(len(card.gaps) - steps, max(0, 5 - steps - (1 if steps else 0)))
    assert browser.evaluate("document.querySelectorAll('#stage-steps li').length") == steps
    assert browser.evaluate("document.querySelectorAll('#actions li').length") == (
        steps + others)
    assert browser.evaluate("document.documentElement.dir") == ("rtl" if lang == "ur" else "")
    why = browser.evaluate("document.getElementById('why').innerText")
    from cyberdip.report.summary import stage_reason

    reason = stage_reason(card)
    named = [*reason.holders, *reason.blanks]
    assert named and all(h.id not in why for h in named)  # titles, never internal ids
    words = opts.get("rubric_words")
    for h in named:  # each by its title, in the report's language
        title = str(words.criterion(h.id, "title", h.title)) if words else h.title
        assert " ".join(title.split()) in " ".join(why.split()), title
    if lang == "ur":
        assert browser.evaluate("document.fonts.check('16px \"Noto Nastaliq Urdu\"')")
    browser.screenshot(tmp_path / f"first-{lang}.png", full=False)
    assert (tmp_path / f"first-{lang}.png").read_bytes()[:4] == b"\x89PNG"


def _printed_pages(b: Browser, page, tmp_path) -> list[str]:
    import shutil

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    b.open(page.as_uri())
    b.send("Emulation.setEmulatedMedia", {"media": "print"})
    pdf = tmp_path / (page.stem + ".pdf")
    b.pdf(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "ur"])
def test_the_html_brief_prints_on_one_page_with_the_marking(browser, tmp_path, lang):
    from cyberdip.report import registry

    card, opts = _card_and_words(lang)
    page = tmp_path / f"brief-{lang}.html"
    page.write_bytes(registry.render("html", card, brief=True, **opts))
    pages = _printed_pages(browser, page, tmp_path)
    assert len(pages) == 1
    assert pages[0].count("TLP:AMBER") == 2  # top and bottom of the page


@needs_chromium
def test_the_printed_report_has_the_marking_on_every_page(browser, tmp_path):
    from cyberdip.report import registry

    card, _ = _card_and_words("en")
    card = card.model_copy(update={"marking": 'RESTRICTED "x"; } <b>'})
    page = tmp_path / "marked.html"
    page.write_bytes(registry.render("html", card))
    pages = _printed_pages(browser, page, tmp_path)
    assert len(pages) > 5
    for k, text in enumerate(pages, 1):
        assert text.count('RESTRICTED "x"; } <b>') == 2, k
    # the method table's level names are never broken mid-word
    assert "Formativ\ne" not in "\n".join(pages) and "Formative" in "\n".join(pages)


def main(argv: list[str]) -> int:
    """``python tests/acceptance/test_browser.py REPORT.html OUT.png [--print] [--pdf F]``"""
    src, out = Path(argv[0]).resolve(), Path(argv[1])
    b = Browser()
    try:
        b.open(src.as_uri())
        print(f"dialogs={b.dialogs()} requests={b.requests(src.as_uri())} "
              f"console={b.console_errors()}")
        b.screenshot(out, print_media="--print" in argv)
        if "--pdf" in argv:
            b.pdf(Path(argv[argv.index("--pdf") + 1]))
    finally:
        b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
