"""The expression language: parse, type-check, ranges and closures — never Python's eval."""

from __future__ import annotations

import pytest

from engine.expr import ExprError, NameInfo, check, compile_expr, interval, parse, parse_effect

NAMES = {
    "agitation": NameInfo("number", 0, 10),
    "trust": NameInfo("number", 0, 10, integer=True),
    "armed": NameInfo("bool"),
    "visitor": NameInfo("string", values=("none", "cousin")),
}


def ev(text: str, **env: object) -> object:
    node = parse(text)
    check(node, NAMES)
    return compile_expr(node)(env)


def test_arithmetic_precedence_and_functions() -> None:
    assert ev("1 + 2 * 3") == 7
    assert ev("(1 + 2) * 3") == 9
    assert ev("-agitation + 10", agitation=4) == 6
    assert ev("clamp(agitation * 2, 0, 10)", agitation=8) == 10
    assert ev("min(agitation, trust, 3)", agitation=5, trust=4) == 3
    assert ev("max(1, 2) + abs(-3) + round(2.6)") == 8


def test_boolean_logic_and_comparisons() -> None:
    env = {"agitation": 7, "armed": False, "visitor": "cousin", "trust": 2}
    assert ev("agitation >= 7 and not armed", **env) is True
    assert ev("visitor == 'cousin' or trust > 5", **env) is True
    assert ev("visitor != 'cousin' or armed", **env) is False


def test_division_by_zero_gives_zero() -> None:
    assert ev("agitation / trust", agitation=5, trust=0) == 0


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("agitaton > 3", "'agitaton' is not a declared variable", 1),
        ("agitation = 3", "use '=='", 11),
        ("1 < agitation < 5", "cannot be chained", 15),
        ("armed + 1", "needs numbers", 1),
        ("visitor == 'uncle'", "never 'uncle'", 12),
        ("visitor == 3", "cannot compare string with number", 9),
        ("foo(1)", "unknown function 'foo'", 1),
        ("clamp(1, 2)", "takes 3 arguments", 1),
        ("agitation >", "ends too early", 12),
        ("agitation $ 2", "unexpected character '$'", 11),
        ("__import__('os')", "unknown function '__import__'", 1),
    ],
)
def test_mistakes_are_named_with_their_column(text: str, message: str, column: int) -> None:
    with pytest.raises(ExprError) as err:
        check(parse(text), NAMES)
    assert message in err.value.message
    assert err.value.column == column


def test_effects_parse_target_operator_and_value() -> None:
    a = parse_effect("trust += 2 * agitation")
    assert (a.target, a.op) == ("trust", "+=")
    assert compile_expr(a.value)({"agitation": 1.5}) == 3.0
    with pytest.raises(ExprError, match="an effect looks like"):
        parse_effect("trust ++")


def test_effect_value_errors_point_into_the_whole_text() -> None:
    with pytest.raises(ExprError) as err:
        parse_effect("trust = agitation >")
    assert err.value.column == 20


def test_intervals_follow_declared_ranges() -> None:
    assert interval(parse("10 - agitation"), NAMES) == (0, 10)
    assert interval(parse("agitation * 2 + 1"), NAMES) == (1, 21)
    assert interval(parse("clamp(agitation, 2, 5)"), NAMES) == (2, 5)
    assert interval(parse("-abs(agitation - 5)"), NAMES) == (-5, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(" * 100 + "1" + ")" * 100, "nested more than 30 levels deep"),
        ("-" * 500 + "1", "nested more than 30 levels deep"),
        ("not " * 300 + "x", "nested more than 30 levels deep"),
        ("max(1, " * 40 + "1" + ")" * 40, "nested more than 30 levels deep"),
        ("1" * 1999, "more than 15 digits"),
        ("1" * 5000, "longer than 2000 characters"),
        (" or ".join(["x"] * 300), "more than 100 terms in a row"),
        (" or ".join(["x > 1"] * 1000), "longer than 2000 characters"),
    ],
)
def test_hostile_expressions_are_refused_before_anything_recurses(text: str, message: str) -> None:
    with pytest.raises(ExprError, match=message):
        parse(text)


def test_long_but_reasonable_guards_still_parse_and_run() -> None:
    node = parse(" or ".join(f"x == {i}" for i in range(60)))
    fn = compile_expr(node)
    assert fn({"x": 59}) is True and fn({"x": 60}) is False


def test_outcomes_prove_a_guard_never_true_only_from_declared_ranges_and_values() -> None:
    from engine.expr import outcomes

    names = {
        "x": NameInfo("number", 0, 10),
        "b": NameInfo("bool"),
        "m": NameInfo("string", values=("calm", "tense")),
    }
    never = ["x > 10", "x > 11 and b", "not (x <= 10)", "m == 'angry'", "x * 2 > 20", "false"]
    maybe = ["x >= 10", "x > 11 or b", "m == 'calm'", "x == 5", "x * 2 >= 20", "b"]
    assert all(True not in outcomes(parse(t), names) for t in never)
    assert all(True in outcomes(parse(t), names) for t in maybe)
