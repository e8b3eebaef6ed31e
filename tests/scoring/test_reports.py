"""The debrief renderers: HTML that parses and holds every decision; text with icon and word."""

from __future__ import annotations

from html.parser import HTMLParser

from scoring.report import ScoreReport
from scoring.scorer import score_session
from simulator.reports.html import render_html
from simulator.reports.text import render_text
from tests.scoring.helpers import fixture, model_pack, play


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.decisions: list[str] = []
        self.text: list[str] = []
        self.external: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if tag not in {"br", "meta", "img", "input", "link"}:
            self.stack.append(tag)
        if tag == "li" and (a.get("class") or "") == "decision":
            self.decisions.append(a.get("id") or "")
        for key in ("src", "href"):
            if a.get(key):
                self.external.append(str(a[key]))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def hv_report() -> ScoreReport:
    sf = fixture("hv_shared_flat")
    session = play(sf, ["just_go", "timeout", "search_tanya_room", "stay_talk"])
    return score_session(session, sf, model_pack())


def test_html_report_parses_and_contains_every_decision_of_the_run() -> None:
    report = hv_report()
    page = render_html(report)
    c = Collector()
    c.feed(page)
    c.close()
    assert c.stack == ["html"] or c.stack == []
    assert c.decisions == [f"decision-{i}" for i in range(1, len(report.decisions) + 1)]
    text = " ".join(" ".join(c.text).split())
    for d in report.decisions:
        assert " ".join(d.prompt.split()) in text
        assert d.text in text
    assert "‼ Critical" in text and "✗ Violation" in text and "△ Deviation" in text
    assert "MSDP-4.01 Weapons." in text
    assert "Better choice" in text


def test_html_report_is_self_contained_and_prints_cleanly() -> None:
    page = render_html(hv_report())
    c = Collector()
    c.feed(page)
    assert c.external == []
    assert "script" not in c.tags
    assert "@media print" in page and "<style>" in page
    assert "http://" not in page and "https://" not in page


def test_html_report_shows_the_miti_and_sanction_panels() -> None:
    sf = fixture("vd_curfew")
    report = score_session(
        play(sf, ["hear_her", "check_history", "jail", "notice_only"]), sf, model_pack()
    )
    page = render_html(report)
    assert "Sanction assessment" in page and "◆ this case" in page
    assert "too severe" in page and "INCOMPLETE" in page
    sf = fixture("mi_checkin")
    mi = render_html(
        score_session(play(sf, ["open_q", "complex", "affirm_autonomy"]), sf, model_pack())
    )
    assert "Motivational interviewing (MITI 4.2.1)" in mi
    assert "Saturdays are yours" in mi


def test_text_report_labels_each_verdict_with_icon_and_word() -> None:
    text = render_text(hv_report())
    assert "NOT PASSED" in text
    assert "‼ CRITICAL" in text and "✗ VIOLATION" in text and "△ DEVIATION" in text
    assert "Time ran out; the default was taken:" in text
    assert 'You chose: "Push the door open' not in text
    assert "Cited: MSDP-3.04 Third-party areas" in text


def test_text_report_quotes_a_written_sentence_once() -> None:
    """Report-writing options are sentences already in quotation marks; the debrief shows
    them as written, not wrapped in a second pair."""
    from engine.compile import compile_scenario
    from engine.library import discover
    from engine.session import Session

    (sf,) = [s for s in discover().scenarios if s.scenario.id == "rw-violation-report"]
    session = Session.start(compile_scenario(sf), 2, clock=lambda: 0.0, wall_clock=False)
    quoted_picks: list[str] = []
    while not session.ended:
        options = session.available_choices()
        written = [c for c in options if c.text.startswith('"')]
        pick = written[0] if written else options[0]
        if written:
            quoted_picks.append(pick.text)
        session.choose(pick.id)
    text = render_text(score_session(session, sf, model_pack()))
    assert quoted_picks, "the report-writing decisions offer sentences in quotation marks"
    assert '""' not in text
    assert f"You chose: {quoted_picks[0][:30]}" in text.replace("\n     ", " ")
