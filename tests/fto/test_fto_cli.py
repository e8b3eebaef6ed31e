"""The FTO commands as an FTO, a trainee and a supervisor use them (in-process ``main``),
the printable DOR rendered from PDF to an image, and a table of every role against every
new command, each refusal audited."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from simulator.cli import main
from simulator.fto.dor import form_categories, needs_narrative
from simulator.store import Rating, Store
from simulator.store.schema import audit_log
from tests.fto.play import played
from tests.store.conftest import STAFF_PASSWORD, Cast
from tests.store.xapi_spec import problems_of


@pytest.fixture
def db(db_url: str, cast: Cast) -> str:
    return db_url


def run(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    """``parolesim --db DB ARGS``; staff passwords come on standard input (a trainee's
    profile here has none, so nothing is read for them)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", io.StringIO(STAFF_PASSWORD + "\n"))
        code = main(["--db", db, *args, "--password-stdin"])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_fto_reviews_writes_and_the_chain_signs_a_dor(
    store: Store, cast: Cast, db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    attempt = played(store, cast.admin, "bob")
    code, out, _ = run(capsys, db, "review", "--json", "--user", "fred")
    assert code == 0 and json.loads(out)[0]["id"] == attempt.id
    report = store.attempts.report(cast.fred, attempt.id)
    assert report is not None
    last = report["decisions"][-1]
    code, out, _ = run(capsys, db, "review", str(attempt.id), "--user", "fred")
    assert f"{len(report['decisions'])}. {last['prompt']}" in out
    assert f"verdict: {last['verdict']}  cites {last['policy']['id']}" in out
    assert f"offered: {last['text']}" in out  # the options as the trainee saw them
    code, _, err = run(
        capsys, db, "review", str(attempt.id), "--mark", "1", "override", "--user", "fred"
    )
    assert code == 1 and "needs a reason" in err
    code, _, err = run(
        capsys, db, "evaluations", "new", "bob", "--rating", "oficer_safety=4", "--user", "fred"
    )
    assert code == 2 and "oficer_safety: not a DOR category; use one of: officer_safety" in err
    # a 2 needs a narrative: nothing is saved and the attempt's decisions are offered to quote
    form = {c.category: c.suggestion for c in form_categories(report)}
    needing = {c: v for c, v in form.items() if needs_narrative(v)} | {"officer_safety": 2}
    new = ["evaluations", "new", "bob", "--attempt", str(attempt.id), "--user", "fred"]
    code, _, err = run(capsys, db, *new, "--rating", "officer_safety=2")
    assert code == 2 and "officer_safety=2" in err
    assert f'Decision {len(report["decisions"])}: chose "' in err
    narratives = [f"--narrative={c}=Decision 1: see the timeline." for c in needing]
    code, out, _ = run(
        capsys, db, *new, "--rating", "officer_safety=2", *narratives,
        "--remedial", "officer_safety=30", "--sign", "--json",
    )  # fmt: skip
    made = json.loads(out)
    assert code == 0 and made["status"] == "signed_by_fto"
    ratings = {r["category"]: r for r in made["ratings"]}
    assert ratings["officer_safety"]["remedial_minutes"] == 30
    assert {c: r["value"] for c, r in ratings.items() if c != "officer_safety"} == {
        c: v for c, v in form.items() if c != "officer_safety"
    }  # the rest as suggested
    eid = str(made["id"])
    code, _, err = run(capsys, db, "evaluations", "sign", eid, "--user", "rae")
    assert code == 1 and "needs the trainee signature" in err
    code, _, _ = run(
        capsys, db, "evaluations", "ack", eid, "--comment", "Understood", "--user", "bob"
    )
    assert code == 0
    code, _, _ = run(capsys, db, "evaluations", "sign", eid, "--user", "rae")
    assert code == 0
    code, out, _ = run(capsys, db, "evaluations", "show", eid, "--user", "bob")
    assert "Trainee: bob, " in out and '"Understood"' in out and "Supervisor: rae, " in out
    assert "2 (below acceptable; 4 is): Plans each contact" in out
    code, out, _ = run(
        capsys, db, "evaluations", "amend", eid, "--reason", "A drawn gun is a 1",
        "--rating", "officer_safety=1", "--sign", "--json", "--user", "fred",
    )  # fmt: skip
    amended = json.loads(out)
    assert amended["amends_id"] == made["id"] and amended["status"] == "signed_by_fto"
    code, out, _ = run(capsys, db, "evaluations", "show", eid, "--format", "html", "--user", "fred")
    assert f"Superseded by evaluation {amended['id']}" in out and "<table>" in out
    code, out, _ = run(capsys, db, "evaluations", "trends", "bob", "--json", "--user", "fred")
    safety = next(t for t in json.loads(out) if t["category"] == "officer_safety")
    assert [r["value"] for r in safety["ratings"]] == [1]  # the amended original is left out
    assert safety["flags"] and safety["days_to_first_4"] is None


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_the_printable_dor_pdf_renders_to_an_image(
    store: Store, cast: Cast, db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    made = store.evaluations.create(
        cast.fred, "bob", [Rating("officer_safety", 7, "Left at once — textbook “contact”.")]
    )
    store.evaluations.sign(cast.fred, made.id)
    pdf = tmp_path / "dor.pdf"
    code, _, _ = run(
        capsys, db, "evaluations", "show", str(made.id), "--format", "pdf", "-o", str(pdf),
        "--user", "fred",
    )  # fmt: skip
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    assert "Officer safety: 7" in text.stdout and "Field training officer: fred" in text.stdout
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    import pygame

    page = pygame.image.load(str(next(tmp_path.glob("page*.png"))))
    width, height = page.get_size()
    dark = sum(
        1
        for x in range(0, width, 2)
        for y in range(0, height, 2)
        if sum(page.get_at((x, y))[:3]) < 300
    )
    assert height > width and dark > 100  # a portrait page with text on it


def _denied(store: Store) -> int:
    with store._db.read() as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(audit_log).where(audit_log.c.allowed.is_(False))
        ).scalar_one()


ROLES = ("rae", "bob", "alice", "fred", "fay", "ines", "gail")
# command (with {a} the attempt and {e} the evaluation, both bob's) -> who may run it
PERMISSIONS = {
    "review {a}": {"rae", "bob", "fred"},
    "review {a} --mark 2 agree": {"fred"},
    "evaluations new bob --rating officer_safety=4": {"fred"},
    "evaluations show {e}": {"rae", "bob", "fred"},
    "evaluations edit {e} --rating officer_safety=5": {"fred"},
    "evaluations ack {s}": {"bob"},
    "evaluations amend {s} --reason Miscounted --rating officer_safety=3": {"fred"},
    "evaluations sign {k}": {"rae"},  # a supervisor's signature after bob's acknowledgement
    "evaluations trends bob": {"rae", "bob", "fred"},
    "evaluations list --trainee bob": {"rae", "bob", "fred"},
    "export --format csv --evaluations --trainee bob -o -": {"rae", "bob", "fred"},
    "calibrate": set(ROLES),  # everyone may ask; each sees only their own sessions
    "calibrate invite {a} fred": {"rae"},
    "calibrate rate {a} --rating officer_safety=4": {"fred"},
}


# refusals that are about the record's state, not who asks (so nothing to audit)
STATE_REFUSALS = {("evaluations sign {k}", "fred"): "already has the fto signature"}


def test_every_role_against_every_fto_command(
    store: Store, cast: Cast, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store.add_person(cast.admin, "fay", role="fto", password=STAFF_PASSWORD)
    attempt = played(store, cast.admin, "bob")
    draft = store.evaluations.create(cast.fred, "bob", [Rating("officer_safety", 4)])
    signed = store.evaluations.create(cast.fred, "bob", [Rating("officer_safety", 4)])
    store.evaluations.sign(cast.fred, signed.id)
    acked = store.evaluations.create(cast.fred, "bob", [Rating("officer_safety", 4)])
    store.evaluations.sign(cast.fred, acked.id)
    store.evaluations.sign(cast.bob, acked.id)
    store.reviews.invite(cast.admin, attempt.id, ["fred"])
    for command, allowed in PERMISSIONS.items():
        for who in ROLES:
            before = _denied(store)
            args = command.format(a=attempt.id, e=draft.id, s=signed.id, k=acked.id).split()
            code, _, err = run(capsys, db, *args, "--user", who)
            if who in allowed:
                assert code == 0, (command, who, err)
                assert _denied(store) == before, (command, who)
            elif (command, who) in STATE_REFUSALS:
                assert code == 1 and STATE_REFUSALS[command, who] in err, (command, who, err)
            else:
                assert code == 1, (command, who)
                assert "may not" in err or "was not invited" in err, (command, who, err)
                assert _denied(store) == before + 1, (command, who)


def test_exports_carry_evaluations_and_their_signatures(
    store: Store, cast: Cast, db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    made = store.evaluations.create(cast.fred, "bob", [Rating("officer_safety", 5)])
    store.evaluations.sign(cast.fred, made.id)
    store.evaluations.sign(cast.bob, made.id, "Agreed, with thanks")
    code, out, _ = run(capsys, db, "export", "--format", "json", "--user", "rae")
    [exported] = json.loads(out)["evaluations"]
    assert code == 0 and exported["fto"] == "fred"
    assert [s["step"] for s in exported["signatures"]] == ["fto", "trainee"]
    target = tmp_path / "dors.csv"
    code, _, _ = run(
        capsys,
        db,
        "export",
        "--format",
        "csv",
        "--evaluations",
        "-o",
        str(target),
        "--user",
        "fred",
    )
    rows = target.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("evaluation_id,trainee,fto,")
    assert "officer_safety,5" in rows[1] and rows[1].endswith('"Agreed, with thanks"')
    # alice is not fred's trainee: her records are not his to export
    code, _, err = run(
        capsys,
        db,
        "export",
        "--format",
        "json",
        "--evaluations",
        "--trainee",
        "alice",
        "--user",
        "fred",
    )
    assert code == 1 and "may not" in err


def test_calibrate_reports_agreement_only_once_everyone_has_rated(
    store: Store, cast: Cast, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store.add_person(cast.admin, "fay", role="fto", password=STAFF_PASSWORD)
    attempt = played(store, cast.admin, "bob")
    a = str(attempt.id)
    assert run(capsys, db, "calibrate", "invite", a, "fred", "fay", "--user", "rae")[0] == 0
    run(capsys, db, "calibrate", "rate", a, "--rating", "officer_safety=2",
        "--rating", "interviewing=4", "--user", "fred")  # fmt: skip
    code, out, _ = run(capsys, db, "calibrate", "--user", "rae")
    assert code == 0 and f"attempt {a}: 1 of 2 rated (ratings hidden" in out
    assert "kappa" not in out
    run(capsys, db, "calibrate", "rate", a, "--rating", "officer_safety=4",
        "--rating", "interviewing=4", "--user", "fay")  # fmt: skip
    code, out, _ = run(capsys, db, "calibrate", "--json", "--user", "fred")
    report = json.loads(out)
    assert report["complete_sessions"] == 1 and report["waiting"] == []
    assert report["largest_disagreements"][0] == {
        "attempt": attempt.id,
        "category": "officer_safety",
        "range": 2,
        "ratings": {"fay": 4, "fred": 2},
    }
    assert [p["ftos"] for p in report["pairs"]] == [["fay", "fred"]]
    code, out, _ = run(capsys, db, "calibrate", "--cohort", "Class 26-1", "--json", "--user", "rae")
    assert json.loads(out)["complete_sessions"] == 0  # bob is in no cohort


def test_evaluations_export_as_xapi_statements_one_per_signature(
    store: Store, cast: Cast, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    made = store.evaluations.create(cast.fred, "bob", [Rating("officer_safety", 5)])
    store.evaluations.sign(cast.fred, made.id)
    store.evaluations.sign(cast.bob, made.id, "Agreed")
    args = ["export", "--format", "xapi", "--evaluations", "--trainee", "bob", "--user", "rae"]
    code, out, _ = run(capsys, db, *args)
    statements = json.loads(out)
    assert code == 0 and [s["actor"]["account"]["name"] for s in statements] == ["fred", "bob"]
    assert all(problems_of(s) == [] for s in statements)
    assert statements[1]["result"]["response"] == "Agreed"
    assert run(capsys, db, *args)[1] == out  # the same statement ids every time


def test_the_commands_evaluation_kinds_are_the_stores() -> None:
    from simulator.commands.fto import EVALUATION_KINDS
    from simulator.store.schema import EVALUATION_KINDS as STORED

    assert EVALUATION_KINDS == STORED


def test_the_review_timeline_lists_options_in_the_order_the_trainee_saw_them(
    store: Store, cast: Cast, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real recorded attempt with shuffled options: ``review`` lists each decision's
    options in its ``presented`` order, which differs from the authored order somewhere."""
    from engine.loader import load_scenario
    from tests.fto.play import WEAPON

    attempt = played(store, cast.admin, "bob")
    log = store.attempts.log(cast.fred, attempt.id)
    assert log["events"][0].get("shuffle") is True
    report = store.attempts.report(cast.fred, attempt.id)
    assert report is not None
    nodes = load_scenario(WEAPON).scenario.nodes
    shown_ids: list[list[str]] = []
    presented: list[str] = []
    for event in log["events"]:
        if event["type"] == "presented":
            presented = list(event.get("order") or [])
        elif event["type"] in ("chose", "timed_out"):
            available = report["decisions"][len(shown_ids)]["available"]
            shown_ids.append([c for c in presented if c in available])
    authored_ids = [d["available"] for d in report["decisions"]]
    assert shown_ids != authored_ids  # the shuffle moved at least one decision's options
    texts = [
        [{c.id: c.text for c in nodes[d["node"]].choices}[c] for c in ids]
        for d, ids in zip(report["decisions"], shown_ids, strict=True)
    ]
    code, out, _ = run(capsys, db, "review", str(attempt.id), "--user", "fred")
    assert code == 0
    listed = [
        [
            line.strip().removeprefix("offered: ")
            for line in block.splitlines()
            if "offered:" in line
        ]
        for block in out.split("\n\n")[1:]
    ]
    assert listed == texts
    code, out, _ = run(capsys, db, "review", str(attempt.id), "--json", "--user", "fred")
    shown = json.loads(out)["shown"]
    assert [
        [c for c in order if c in ids] for order, ids in zip(shown, shown_ids, strict=True)
    ] == (shown_ids)
