"""``drafter guidelines check|test|show|eval``: validate, test, list and measure a guidelines folder."""

from __future__ import annotations

import contextlib
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from drafter.cli.common import guideline_set, workspace
from drafter.cli.options import FormatOption, GuidelinesOption, Lang, LangOption, OutputFormat
from drafter.cli.output import echo_text, emit_json, fail, field

app = typer.Typer(help="Validate, test, list and measure a guidelines folder.", no_args_is_help=True)

DirArgument = Annotated[
    Path | None, typer.Argument(help="Guidelines folder (default: --guidelines, your settings', else the bundled set).")
]


@app.command("check")
def guidelines_check(ctx: typer.Context, folder: DirArgument = None) -> None:
    """Validate a guidelines folder (and time its patterns on adversarial probe texts); exit 2 with
    file:line:column: field: message per problem."""
    from drafter.guidelines import slow_patterns

    gs = guideline_set(workspace(ctx, folder))
    slow = slow_patterns(gs)
    if slow:
        fail("guideline error:\n" + "\n".join(str(p) for p in slow))
    layers = " <- ".join(str(p) for p in gs.layers)
    echo_text(
        f"ok: {field(gs.label)}: {len(gs.rules)} rules, {len(gs.channels)} channels, {len(gs.goals)} goals "
        f"({field(layers)})"
    )


@app.command("test")
def guidelines_test(ctx: typer.Context, folder: DirArgument = None, lang: LangOption = Lang.de) -> None:
    """Run every rule's examples: each bad one must trigger its rule, no good one may."""
    from drafter.guideline_examples import run_examples

    gs = guideline_set(workspace(ctx, folder, lang=lang.value))
    reports = run_examples(gs, lang=lang.value)
    failed = 0
    for report in reports:
        total = report.passed + len(report.failures)
        mark = "ok  " if report.ok else "FAIL"
        echo_text(f"{mark} {field(report.rule)}: {report.passed}/{total} examples")
        for failure in report.failures:
            failed += 1
            echo_text(f"     {failure.kind} example on {field(failure.channel)}: {field(failure.problem)}")
            echo_text(f"       {field(repr(failure.text[:100]))}")
    bad_rules = sum(1 for r in reports if not r.ok)
    echo_text(f"{len(reports) - bad_rules} of {len(reports)} rules pass their examples")
    raise typer.Exit(1 if failed else 0)


@app.command("show")
def guidelines_show(
    ctx: typer.Context, folder: DirArgument = None, output: FormatOption = OutputFormat.text, lang: LangOption = Lang.de
) -> None:
    """List the rules of a guidelines folder (after layering)."""
    from drafter.guidelines import localized

    gs = guideline_set(workspace(ctx, folder, lang=lang.value))
    rows = []
    for rule in gs.rules:
        source = gs.sources.get(rule.id)
        rows.append(
            {
                "id": rule.id,
                "type": rule.type,
                "level": rule.level.value,
                "category": rule.category,
                "channels": list(rule.channels) if rule.channels else "all",
                "message": localized(rule.message, lang.value),
                "source": f"{source.file}:{source.line}" if source else "",
            }
        )
    if output is OutputFormat.json:
        emit_json(rows)
        return
    echo_text(f"{field(gs.label)} ({len(rows)} rules)")
    for row in rows:
        scope = row["channels"] if row["channels"] == "all" else ",".join(row["channels"])
        line = f"{row['level']:<8} {field(row['category']):<16} {field(row['id']):<32}"
        echo_text(f"{line} [{row['type']}; {field(scope)}]")


CorpusArgument = Annotated[
    list[Path], typer.Argument(help="Labelled corpus: YAML files, or folders of them (see guidelines/README.md).")
]


@app.command("eval")
def guidelines_eval(
    ctx: typer.Context,
    corpus: CorpusArgument,
    guidelines: GuidelinesOption = None,
    output: FormatOption = OutputFormat.text,
    lang: LangOption = Lang.de,
) -> None:
    """Measure the guidelines on a labelled corpus: per category and rule true/false positives, misses,
    precision and recall, and every false error and miss with its post. Exit 1 when a threshold of the
    set's quality block is not met, 2 when the corpus or the guidelines cannot be read or a rule could not run
    on a post (the measure is then incomplete, as lint's check)."""
    from drafter.evaluation import CorpusError, evaluate, format_text, load_corpus

    ws = workspace(ctx, guidelines, lang=lang.value)
    gs = guideline_set(ws)
    try:
        posts = load_corpus(corpus, gs)
    except CorpusError as exc:
        fail(f"corpus error:\n{exc}")
    result = evaluate(ws.checker, posts, lang=lang.value)
    if output is OutputFormat.json:
        emit_json(result.to_dict())
    else:
        echo_text(format_text(result))
    raise typer.Exit(2 if result.skipped else 0 if result.ok else 1)


class Family(StrEnum):
    promotion = "promotion"
    leak = "leak"


#: posts with and without the label that ``guidelines train`` needs at least
MIN_TRAINING_CLASS = 10


def write_atomic(out: Path, text: str) -> None:
    """Write ``text`` to ``out`` whole or not at all: a temporary file beside it, flushed, then renamed over
    it (a full disk or an interruption leaves the old file as it was; a symlink at ``out`` is replaced, not
    written through)."""
    import os
    import tempfile

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@app.command("train")
def guidelines_train(
    ctx: typer.Context,
    corpus: CorpusArgument,
    family: Annotated[Family, typer.Option(help="What the model learns: promotion without disclosure, or a leak.")],
    out: Annotated[Path, typer.Option(help="The model file to write (e.g. guidelines/models/promotion.yaml).")],
    error_at: Annotated[float, typer.Option(min=0.5, max=1.0, help="Probability from which a post is an error.")],
    warning_at: Annotated[float, typer.Option(min=0.01, max=1.0, help="Probability from which it is a warning.")],
    guidelines: GuidelinesOption = None,
    cross_validate: Annotated[bool, typer.Option(help="Add 5-fold cross-validation figures (slower).")] = True,
) -> None:
    """Train a learned scorer (logistic regression) on labelled corpus files and write its model file: the
    same files give the same model file, byte for byte. Never train on the held-out files: they measure."""
    from drafter.evaluation import CorpusError
    from drafter.scorer_train import FAMILIES, train_file

    if warning_at > error_at:
        fail("--warning-at must not be above --error-at", 2)
    gs = guideline_set(workspace(ctx, guidelines))
    try:
        text, data, cv = train_file(
            corpus,
            gs,
            FAMILIES[family.value],
            error_at=error_at,
            warning_at=warning_at,
            cross_validation=cross_validate,
        )
    except CorpusError as exc:
        fail(f"corpus error:\n{exc}")
    known = {r.id for r in gs.rules} | {r.category for r in gs.rules}
    unknown = [
        f"{field(p.source)}: post {field(p.id)}: {level} label {field(label)} is no category or rule of the set"
        for p in data.posts
        for level in ("error", "warning")
        for label in p.expected[level]
        if label not in known
    ]
    if unknown:
        fail("corpus error:\n" + "\n".join(unknown[:20]), 2)
    positives = sum(data.labels)
    negatives = len(data.labels) - positives
    if min(positives, negatives) < MIN_TRAINING_CLASS:
        fail(
            f"corpus error: {positives} posts with a {family.value} label and {negatives} without: at least "
            f"{MIN_TRAINING_CLASS} of each are needed to learn anything (nothing written)",
            2,
        )
    try:
        write_atomic(out, text)
    except OSError as exc:
        fail(f"cannot write {field(out)}: {field(exc.strerror or exc)} (the file there is unchanged)", 2)
    echo_text(
        f"{field(out)}: {family.value} on {len(data.texts)} posts ({sum(data.labels)} positive, "
        f"{data.left_out} left out)"
    )
    if cv is not None:
        parts = [f"AUC {cv['auc']}" if cv.get("auc") is not None else "AUC –"]
        for key, at in (("error_at", error_at), ("warning_at", warning_at)):
            got = cv.get(key) or {}
            recall = got.get("recall")
            parts.append(
                f"at {key} {at}: {'–' if recall is None else f'{recall:.2f}'} of the positives "
                f"({got.get('positives_reached', 0)}), {got.get('negatives_flagged', 0)} negatives flagged"
            )
        echo_text(f"  {cv.get('folds', 5)}-fold cross-validation, the scorer alone: " + "; ".join(parts))
