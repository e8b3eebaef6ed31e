"""FTO grading from the command line: ``review`` (the queue, an attempt's timeline, agree or
override a decision), ``evaluations new|edit|sign|ack|amend|show|list|trends`` (the Daily
Observation Report and its sign-off) and ``calibrate`` (several FTOs rating one attempt
blind, and how closely they agree). Every command takes ``--json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.wording import plural
from simulator.commands.signin import add_user_options, open_store, sign_in
from simulator.errors import UsageError

if TYPE_CHECKING:  # the store, scorer and numpy load only when a command runs
    from simulator.store import Evaluation, Rating

# simulator.store.schema.EVALUATION_KINDS (a test keeps them equal), written out so that
# building the parser does not load the store
EVALUATION_KINDS = ("daily", "weekly", "phase")


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _value(text: str) -> int | str:
    cleaned = text.strip()
    if cleaned.isdigit():
        return int(cleaned)
    return cleaned.upper()


def _pairs(items: list[str] | None, option: str) -> dict[str, str]:
    """``CATEGORY=TEXT`` options as a mapping; a malformed one is a usage error."""
    found: dict[str, str] = {}
    for item in items or []:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(
                f"{option} {item!r}: write CATEGORY=VALUE, e.g. {option} officer_safety=4"
            )
        found[key.strip()] = text
    return found


def _known(categories: list[str], option: str) -> None:
    from scoring.packmodel import FTO_CATEGORIES

    unknown = [c for c in categories if c not in FTO_CATEGORIES]
    if unknown:
        raise UsageError(
            f"{option} {unknown[0]}: not a DOR category; use one of: {', '.join(FTO_CATEGORIES)}"
        )


def _choices(
    args: argparse.Namespace,
) -> tuple[dict[str, int | str], dict[str, str], dict[str, int]]:
    values = {k: _value(v) for k, v in _pairs(args.rating, "--rating").items()}
    narratives = _pairs(args.narrative, "--narrative")
    for option, given in (("--rating", values), ("--narrative", narratives)):
        _known(list(given), option)
    _known(list(_pairs(args.remedial, "--remedial")), "--remedial")
    remedial: dict[str, int] = {}
    for key, text in _pairs(args.remedial, "--remedial").items():
        if not text.strip().isdigit():
            raise UsageError(f"--remedial {key}={text}: minutes are a whole number, e.g. {key}=30")
        remedial[key] = int(text)
    return values, narratives, remedial


def _merge(base: tuple[Rating, ...] | list[Rating], args: argparse.Namespace) -> list[Rating]:
    from simulator.store import Rating

    values, narratives, remedial = _choices(args)
    merged = {r.category: r for r in base}
    for category in {*values, *narratives, *remedial}:
        old = merged.get(category, Rating(category, "N.O."))
        merged[category] = Rating(
            category,
            values.get(category, old.value),
            narratives.get(category, old.narrative),
            remedial.get(category, old.remedial_minutes),
        )
    return list(merged.values())


def _check_narratives(ratings: list[Rating], report: dict[str, Any] | None) -> None:
    from simulator.fto import dor

    missing = dor.missing_narratives(ratings)
    if not missing:
        return
    lines = [
        "these ratings need a narrative (the SEGs require one for 1, 2, 6, 7 and N.R.T.): "
        + ", ".join(f"{c}={next(r.value for r in ratings if r.category == c)}" for c in missing),
        "add one each with --narrative CATEGORY=TEXT; nothing was saved",
    ]
    quotes = [e.quote() for e in dor.evidence(report)]
    if quotes:
        lines.append("evidence from the attempt you may quote:")
        lines += [f"  {q}" for q in quotes]
    raise UsageError("\n".join(lines))


def _show_form(ratings: list[Rating] | tuple[Rating, ...]) -> None:
    from simulator.fto import dor

    for r in ratings:
        remedial = f"  remedial {r.remedial_minutes} min" if r.remedial_minutes else ""
        print(f"  {r.category:<34} {r.value!s:<7}{remedial}")
        print(f"      SEG {dor.seg_text(r.category, r.value)}")
        if r.narrative:
            print(f"      narrative: {r.narrative}")


def _pack_categories() -> list[str]:
    from scoring.pack import default_pack_path, load_pack

    pack = load_pack(default_pack_path())
    seen: dict[str, None] = {}
    for comp in pack.competencies.values():
        seen.setdefault(comp.fto_category, None)
    return list(seen)


# --- review ------------------------------------------------------------------------------
def cmd_review(args: argparse.Namespace) -> int:
    from simulator.fto.timeline import offered, scenario_of

    with open_store(args) as store:
        actor = sign_in(store, args)
        if args.attempt is None:
            items = store.reviews.queue(actor, limit=args.limit)
            if args.json:
                _print_json([i.to_dict() for i in items])
                return 0
            if not items:
                print("no finished attempts to review")
            for i in items:
                a = i.attempt
                score = f"{a.overall:5.1f}" if a.overall is not None else "    -"
                verdicts = ", ".join(f"{n} {v}" for v, n in sorted(i.verdicts.items()))
                evals = ", ".join(str(e) for e in i.evaluation_ids) or "none"
                ended = f"{a.ended_at:%Y-%m-%d %H:%M}" if a.ended_at else ""
                print(
                    f"{a.id:>5}  {ended}  {a.trainee:<14} {a.scenario.title[:40]:<40} "
                    f"{score}  {verdicts or 'unscored'}  evaluation: {evals}"
                )
            return 0
        if args.mark is not None:
            decision, verdict = args.mark
            if verdict not in ("agree", "override"):
                raise UsageError("--mark DECISION agree|override, e.g. --mark 3 override")
            if not decision.isdigit():
                raise UsageError(f"--mark {decision}: the decision is its number on the timeline")
            mark = store.reviews.mark(
                actor,
                args.attempt,
                int(decision),
                agrees=verdict == "agree",
                reason=args.reason or "",
            )
            if args.json:
                _print_json(mark.to_dict())
            else:
                what = "agreed with" if mark.agrees else "overrode"
                print(
                    f"{mark.fto} {what} decision {mark.decision_index}'s automatic verdict "
                    f"({mark.automatic_verdict}){': ' + mark.reason if mark.reason else ''}"
                )
            return 0
        review = store.reviews.attempt(actor, args.attempt)
    if args.json:
        _print_json(review.to_dict())
        return 0
    a = review.attempt
    print(f"attempt {a.id}: {a.trainee}, {a.scenario.title} ({a.status})")
    if review.report is None:
        print("  not scored")
        return 0
    print(f"  score {review.report.get('overall')}  passed: {review.report.get('passed')}")
    marks = review.latest_marks()
    sf = scenario_of(a)
    for position, d in enumerate(review.report.get("decisions", []), start=1):
        policy = d.get("policy") or {}
        print(f"\n  {position}. {d.get('prompt', '')}")
        for text in offered(sf, d, review.shown_order(position)):
            print(f"     offered: {text}")
        print(f"     chose: {d.get('text', '')}")
        cited = f"{policy.get('id', '-')} {policy.get('title', '')}"
        print(f"     verdict: {d.get('verdict')}  cites {cited}")
        marked = marks.get(position)
        if marked is not None:
            said = "agrees" if marked.agrees else f"OVERRIDES: {marked.reason}"
            print(f"     FTO {marked.fto} {said}")
    return 0


# --- evaluations ---------------------------------------------------------------------------
def _names(store: Any, evaluation: Evaluation) -> tuple[str, str]:
    trainee, fto = store.person(evaluation.trainee_id), store.person(evaluation.fto_id)
    return trainee.signature_name, fto.signature_name


def _report(args: argparse.Namespace, evaluation: Evaluation) -> None:
    if args.json:
        _print_json(evaluation.to_dict())
        return
    print(f"evaluation {evaluation.id}: {evaluation.status.replace('_', ' ')}")
    _show_form(evaluation.ratings)


def cmd_evaluations_new(args: argparse.Namespace) -> int:
    from simulator.fto import dor

    if args.kind not in EVALUATION_KINDS:
        raise UsageError(f"--kind must be one of {', '.join(EVALUATION_KINDS)}")
    with open_store(args) as store:
        actor = sign_in(store, args)
        report = store.attempts.report(actor, args.attempt) if args.attempt else None
        values, narratives, remedial = _choices(args)
        ratings = dor.prefilled_ratings(
            report,
            _pack_categories(),
            values=values,
            narratives=narratives,
            remedial=remedial,
        )
        _check_narratives(ratings, report)
        evaluation = store.evaluations.create(
            actor,
            args.trainee,
            ratings,
            kind=args.kind,
            observed_on=date.fromisoformat(args.date) if args.date else None,
            summary=args.summary or "",
            attempt_id=args.attempt,
        )
        if args.sign:
            evaluation = store.evaluations.sign(actor, evaluation.id)
    _report(args, evaluation)
    return 0


def cmd_evaluations_edit(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        actor = sign_in(store, args)
        old = store.evaluations.get(actor, args.id)
        ratings = _merge(old.ratings, args)
        report = store.attempts.report(actor, old.attempt_id) if old.attempt_id else None
        _check_narratives(ratings, report)
        summary = old.summary if args.summary is None else args.summary
        evaluation = store.evaluations.update_draft(actor, args.id, ratings, summary)
    _report(args, evaluation)
    return 0


def cmd_evaluations_sign(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        actor = sign_in(store, args)
        # `ack` is only ever the trainee's acknowledgement and `sign` the FTO's or the
        # supervisor's signature: the store refuses (and audits) anyone else
        step: str | None = "trainee" if args.evaluations_command == "ack" else None
        if step is None and actor.role == "trainee":
            step = "supervisor"
        evaluation = store.evaluations.sign(actor, args.id, args.comment or "", step=step)
    if args.json:
        _print_json(evaluation.to_dict())
    else:
        last = evaluation.signatures[-1]
        print(
            f"evaluation {evaluation.id}: {last.step} signature by {last.person} at "
            f"{last.signed_at:%Y-%m-%d %H:%M:%S} UTC; now {evaluation.status.replace('_', ' ')}"
        )
    return 0


def cmd_evaluations_amend(args: argparse.Namespace) -> int:
    if not (args.reason or "").strip():
        raise UsageError("an amendment needs --reason TEXT saying what it corrects")
    with open_store(args) as store:
        actor = sign_in(store, args)
        old = store.evaluations.get(actor, args.id)
        ratings = _merge(old.ratings, args)
        report = store.attempts.report(actor, old.attempt_id) if old.attempt_id else None
        _check_narratives(ratings, report)
        evaluation = store.evaluations.amend(
            actor, args.id, ratings, reason=args.reason, summary=args.summary
        )
        if args.sign:
            evaluation = store.evaluations.sign(actor, evaluation.id)
    _report(args, evaluation)
    return 0


def cmd_evaluations_show(args: argparse.Namespace) -> int:
    from simulator.fto import printable

    fmt = "json" if args.json else args.format
    with open_store(args) as store:
        actor = sign_in(store, args)
        evaluation = store.evaluations.get(actor, args.id)
        trainee, fto = _names(store, evaluation)
    if fmt == "json":
        _print_json(evaluation.to_dict())
        return 0
    page = printable.render(evaluation, trainee, fto, fmt)
    if args.output:
        target = Path(args.output)
        if isinstance(page, bytes):
            target.write_bytes(page)
        else:
            target.write_text(page, encoding="utf-8")
        print(f"wrote {target}")
    elif isinstance(page, bytes):
        if sys.stdout.isatty():
            raise UsageError("a PDF is not for the terminal: add --output FILE.pdf")
        sys.stdout.buffer.write(page)
    else:
        sys.stdout.write(page)
    return 0


def cmd_evaluations_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        actor = sign_in(store, args)
        trainee = args.trainee or (actor.username if actor.role == "trainee" else None)
        if trainee is None:
            people = [p.username for p in store.people(actor, role="trainee")]
        else:
            people = [trainee]
        found = [e for person in people for e in store.evaluations.find(actor, person)]
        names = {
            p: store.person(p).username
            for p in {e.fto_id for e in found} | {e.trainee_id for e in found}
        }
    if args.json:
        _print_json([e.to_dict() for e in found])
        return 0
    for e in found:
        chain = f"  amends {e.amends_id}" if e.amends_id else ""
        chain += f"  amended by {e.amended_by_id}" if e.amended_by_id else ""
        print(
            f"{e.id:>5}  {e.observed_on}  {e.kind:<6} {names[e.trainee_id]:<14} "
            f"FTO {names[e.fto_id]:<12} {e.status.replace('_', ' ')}{chain}"
        )
    return 0


def cmd_evaluations_trends(args: argparse.Namespace) -> int:
    from simulator.fto.trends import trends

    with open_store(args) as store:
        actor = sign_in(store, args)
        found = trends(store.evaluations.find(actor, args.trainee))
    if args.json:
        _print_json([t.to_dict() for t in found])
        return 0
    if not found:
        print(f"{args.trainee} has no evaluations yet")
    for t in found:
        series = " ".join(str(v) for _, v, _ in t.points)
        first4 = f"{t.days_to_first_4} days" if t.days_to_first_4 is not None else "not yet"
        print(f"{t.category:<34} {series:<30} first 4: {first4}")
        for flag in t.flags:
            print(f"    FLAG: {flag}")
    return 0


# --- calibrate -------------------------------------------------------------------------
def cmd_calibrate(args: argparse.Namespace) -> int:
    from simulator.fto.calibration import calibration_report

    action = getattr(args, "calibrate_command", None)
    with open_store(args) as store:
        actor = sign_in(store, args)
        if action == "invite":
            added = store.reviews.invite(actor, args.attempt, args.ftos)
            if args.json:
                _print_json({"attempt": args.attempt, "invited": added})
            else:
                print(f"attempt {args.attempt}: invited {', '.join(added) or 'no one new'}")
            return 0
        if action == "rate":
            values = {k: _value(v) for k, v in _pairs(args.rating, "--rating").items()}
            _known(list(values), "--rating")
            if not values:
                raise UsageError("give each category's rating with --rating CATEGORY=VALUE")
            session = store.reviews.rate(actor, args.attempt, values)
            if args.json:
                _print_json(session.to_dict())
            else:
                print(
                    f"attempt {args.attempt}: {len(session.rated)} of {len(session.raters)} "
                    "FTOs have rated"
                )
            return 0
        sessions = store.reviews.calibration(actor, cohort=args.cohort)
    report = calibration_report(sessions)
    if args.json:
        _print_json(report.to_dict())
        return 0
    print(f"calibration: {plural(report.sessions, 'complete session')}")
    for attempt, rated, invited in report.waiting:
        print(f"  attempt {attempt}: {rated} of {invited} rated (ratings hidden until all have)")
    if report.spreads:
        print("\nper category            n  min max  mean   sd")
        for s in report.spreads:
            print(
                f"  {s.category:<34} {s.count:>3} {s.low:>3} {s.high:>3} {s.mean:5.2f} {s.sd:5.2f}"
            )
    if report.pairs:
        print("\nquadratic-weighted Cohen's kappa per FTO pair")
        for a, b, n, k in report.pairs:
            shown = f"{k:.3f}" if k is not None else "undefined"
            print(f"  {a} / {b}: {shown} over {plural(n, 'shared rating')}")
    if report.fleiss_subjects:
        shown = f"{report.fleiss:.3f}" if report.fleiss is not None else "undefined"
        print(
            f"\nFleiss' kappa (group): {shown} over {plural(report.fleiss_subjects, 'rating')} by "
            f"{report.fleiss_raters} FTOs each"
        )
    if report.disagreements:
        print("\nlargest disagreements")
        for attempt, category, spread, given in report.disagreements:
            shown = ", ".join(f"{k} {v}" for k, v in given.items())
            print(f"  attempt {attempt} {category}: range {spread} ({shown})")
    return 0


def _rating_options(p: Any) -> None:
    p.add_argument(
        "--rating", action="append", metavar="CATEGORY=VALUE", help="1-7, N.O. or N.R.T."
    )
    p.add_argument(
        "--narrative",
        action="append",
        metavar="CATEGORY=TEXT",
        help="what was observed; required for 1, 2, 6, 7 and N.R.T. (repeatable)",
    )
    p.add_argument(
        "--remedial",
        action="append",
        metavar="CATEGORY=MINUTES",
        help="minutes of remedial training given (repeatable)",
    )
    p.add_argument("--summary", help="the day's summary")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "review", help="FTO review queue; an attempt's decisions; agree or override one"
    )
    p.add_argument("attempt", nargs="?", type=int, metavar="ATTEMPT", help="show this attempt")
    p.add_argument(
        "--mark", nargs=2, metavar=("DECISION", "agree|override"), help="mark a decision"
    )
    p.add_argument("--reason", help="why you override the automatic verdict (required)")
    p.add_argument("--limit", type=int, default=200, help="queue: the newest N (default 200)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_user_options(p)
    p.set_defaults(func=cmd_review)

    ev = sub.add_parser("evaluations", help="Daily Observation Reports: write, sign, show")
    ev_sub = ev.add_subparsers(dest="evaluations_command", metavar="ACTION", required=True)
    p = ev_sub.add_parser("new", help="a draft DOR, prefilled from an attempt's suggestions")
    p.add_argument("trainee")
    p.add_argument("--attempt", type=int, help="the attempt observed (prefills the ratings)")
    p.add_argument(
        "--kind", default="daily", choices=EVALUATION_KINDS, help="daily (default), weekly, phase"
    )
    p.add_argument("--date", help="day observed, YYYY-MM-DD (default today)")
    p.add_argument("--sign", action="store_true", help="sign it as FTO at once")
    _rating_options(p)
    p.set_defaults(func=cmd_evaluations_new)
    p = ev_sub.add_parser("edit", help="change a draft you have not signed")
    p.add_argument("id", type=int)
    _rating_options(p)
    p.set_defaults(func=cmd_evaluations_edit)
    for name, text in (
        ("sign", "sign as the FTO who wrote it, or as supervisor after the trainee"),
        ("ack", "acknowledge as the trainee (you may add a comment)"),
    ):
        p = ev_sub.add_parser(name, help=text)
        p.add_argument("id", type=int)
        p.add_argument("--comment", help="a note beside the signature (the trainee's view)")
        p.set_defaults(func=cmd_evaluations_sign)
    p = ev_sub.add_parser("amend", help="correct a signed evaluation with a new one")
    p.add_argument("id", type=int)
    p.add_argument("--reason", help="what the amendment corrects (required)")
    p.add_argument("--sign", action="store_true", help="sign the amendment at once")
    _rating_options(p)
    p.set_defaults(func=cmd_evaluations_amend)
    p = ev_sub.add_parser("show", help="one evaluation as text, HTML or PDF")
    p.add_argument("id", type=int)
    p.add_argument(
        "--format",
        choices=("text", "html", "pdf"),
        default="text",
        help="text (default), html, pdf",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write here (a PDF needs a file)")
    p.set_defaults(func=cmd_evaluations_show)
    p = ev_sub.add_parser("list", help="evaluations you may see")
    p.add_argument("--trainee", help="only this trainee's (default: everyone you may see)")
    p.set_defaults(func=cmd_evaluations_list)
    p = ev_sub.add_parser("trends", help="a trainee's ratings over time, with flags")
    p.add_argument("trainee")
    p.set_defaults(func=cmd_evaluations_trends)
    for parser in ev_sub.choices.values():
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")
        add_user_options(parser)

    cal = sub.add_parser("calibrate", help="FTO calibration: agreement report, invite, rate")
    cal.add_argument("--cohort", help="only attempts of this cohort's trainees")
    cal.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_user_options(cal)
    cal.set_defaults(func=cmd_calibrate)
    cal_sub = cal.add_subparsers(dest="calibrate_command", metavar="ACTION")
    p = cal_sub.add_parser("invite", help="ask FTOs to rate an attempt blind")
    p.add_argument("attempt", type=int)
    p.add_argument("ftos", nargs="+", metavar="FTO")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_user_options(p)
    p.set_defaults(func=cmd_calibrate)
    p = cal_sub.add_parser("rate", help="your calibration ratings of an attempt")
    p.add_argument("attempt", type=int)
    p.add_argument(
        "--rating",
        action="append",
        metavar="CATEGORY=VALUE",
        help="1-7, N.O. or N.R.T. per category (repeatable); given once, not changed",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_user_options(p)
    p.set_defaults(func=cmd_calibrate, cohort=None)
