"""The report's outline: its eight sections as blocks, and the charts they show.

Built from ``results.json``'s data (:func:`decision.reports.data.report_data`) so the
report shows exactly the numbers it records; rendered by :mod:`decision.reports.markdown` and
:mod:`decision.reports.html`.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Mapping
from functools import partial

from decision.reports.charts import Chart
from decision.reports.discovery import discovery_blocks
from decision.reports.document import (
    AssumptionRow,
    Citation,
    EvidenceItem,
    FailedConditionData,
    FailedPreconditionData,
    Finding,
    Opening,
    OptionInfo,
    OptionRow,
    PlanDocument,
    Portfolio,
    ReportDocument,
    ScenarioSection,
    Sensitivity,
    Stakeholders,
    TippingPoint,
)
from decision.reports.markdown import (
    Block,
    Bullets,
    Figure,
    Heading,
    Paragraph,
    Table,
    code,
    escape,
)
from decision.reports.visible import visible
from decision.reports.wording import method_text

DASH = "\u2013"  # en dash
NOT_SAMPLED = "not sampled"
#: Crossovers listed per criterion in the weight-stability table (nearest first).
CROSSOVERS_LISTED = 3
#: Tornado bars listed in the table (the chart shows more).
TORNADO_LISTED = 5


# ---------------------------------------------------------------------------- formatting


def score_text(value: float) -> str:
    """A score as the report prints it."""
    return f"{value:.3f}"


def share_text(value: float | None) -> str:
    """A share of samples as the report prints it (1 decimal of a percent)."""
    return NOT_SAMPLED if value is None else f"{value:.1%}"


def _band(row: OptionRow) -> str:
    q = row.get("score_quantiles")
    if not q or not row["available"]:
        return DASH
    return f"{q['5']:.3f}{DASH}{q['95']:.3f}"


def _option_label(row: OptionRow | OptionInfo) -> str:
    return f"{escape(row['title'])} ({code(row['id'])})"


def measure_text(name: str, value: float) -> str:
    """A robustness measure: ratios to 3 significant digits, scores to 3 decimals."""
    return f"{value:.3g}" if name == "snr" else f"{value:.3f}"


# ------------------------------------------------------------------------------- charts


#: Processes that draw charts (matplotlib is single-threaded; charts are independent).
CHART_PROCESSES = min(2, os.cpu_count() or 1)
_HELD = {signal.SIGINT, signal.SIGTERM}  # held while chart workers are forked


#: One chart to draw: a chart function with its arguments bound (checked by the type checker,
#: and picklable as a functools.partial for the worker processes).
ChartJob = Callable[[], Chart | None]


def _draw(job: ChartJob) -> Chart | None:
    return job()


def _worker_start(parent: int) -> None:
    """Tie a chart worker's life to the run's: it dies with the parent process (Linux's
    parent-death signal, plus a watchdog thread elsewhere) and leaves Ctrl-C to the parent."""
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # held by the parent while forking
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL))
    if os.getppid() != parent:  # the parent died before the signal was set up
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def build_charts(data: ReportDocument) -> dict[str, Chart]:
    """Every chart of the report, by name (drawn in ``CHART_PROCESSES`` forked processes;
    each chart is drawn the same way whichever process draws it)."""
    from decision.reports import charts  # matplotlib is imported here, not with the module

    jobs: list[ChartJob] = [partial(charts.ranking_chart, data["scenarios"], data["options"])]
    criteria = [c["id"] for c in data["criteria"]]
    for scenario in data["scenarios"]:
        jobs.append(partial(charts.contribution_chart, scenario, criteria))
        jobs.append(partial(charts.waterfall_chart, scenario, data["baseline"]))
        jobs.append(partial(charts.acceptability_heatmap, scenario))
        sensitivity = scenario["sensitivity"] or {}
        if "weights" in sensitivity:
            jobs.append(partial(charts.weight_stability_chart, scenario, sensitivity["weights"]))
        tornado = sensitivity.get("tornado")
        if tornado and tornado["options"]:
            jobs.append(partial(charts.tornado_chart, scenario, tornado["options"][0]))
    frontier = baseline_bundle(data)
    if frontier is not None:
        jobs.append(partial(charts.frontier_chart, frontier))
    plan = data.get("plan")
    for scenario_plan in plan["plans"] if plan else []:
        if len(scenario_plan["pathway"]) > 1:
            jobs.append(partial(charts.pathway_chart, scenario_plan))
    discovery = data.get("discovery")
    if discovery is not None:
        titles = {o["id"]: visible(o["title"]) for o in data["options"]}
        jobs.append(partial(charts.coverage_density_chart, discovery, titles))
        jobs.append(partial(charts.discovery_box_chart, discovery, titles))
    if CHART_PROCESSES > 1 and len(jobs) > 4:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        # A signal that lands in fork's after-fork hooks is swallowed ("Exception ignored"),
        # so Ctrl-C and SIGTERM are held while the workers are forked and delivered after.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:
            pool = context.Pool(
                CHART_PROCESSES, initializer=_worker_start, initargs=(os.getpid(),)
            )
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        try:
            made = pool.map(_draw, jobs, chunksize=1)
        except BaseException:  # interrupted or failed: stop the workers now
            pool.terminate()
            raise
        pool.close()
        pool.join()
    else:
        made = [_draw(job) for job in jobs]
    return {c.name: c for c in made if c is not None}


def baseline_bundle(data: ReportDocument) -> Portfolio | None:
    """The baseline scenario's portfolio analysis (the one whose frontier the report draws)."""
    bundles = data["bundles"] or []
    for bundle in bundles:
        if bundle["scenario"] == data["baseline"]:
            return bundle
    return bundles[0] if bundles else None


# ------------------------------------------------------------------------------ outline


def outline(data: ReportDocument, charts: Mapping[str, Chart]) -> list[Block]:
    """The report's sections as blocks (rendered as Markdown and as HTML)."""
    evidence = {e["id"]: e for e in data["evidence"]}
    blocks: list[Block] = [Heading(1, f"Comparative report: {escape(data['model']['title'])}")]
    blocks += _introduction(data)
    blocks += _source_comparison(data)
    blocks += _summary(data)
    blocks += _ranking(data, charts)
    blocks += _scenarios(data, charts, evidence)
    blocks += _movements(data, charts)
    blocks += _uncertainty(data, charts)
    blocks += _sensitivity(data, charts)
    blocks += _robustness(data, charts)
    blocks += _plan(data, charts)
    blocks += _expert_disagreements(data)
    blocks += discovery_blocks(data, charts, _titles(data))
    blocks += _evidence(data)
    return blocks


def _figure(charts: Mapping[str, Chart], name: str) -> list[Block]:
    return [Figure(charts[name])] if name in charts else []


def _introduction(data: ReportDocument) -> list[Block]:
    model, source = data["model"], data["model"]["source"]
    scenarios = data["scenarios"]
    methods = sorted({method_text(s["method"]) for s in scenarios})
    sampled = [s for s in scenarios if s["samples"] > 1]
    by = ", ".join(str(source[k]) for k in ("author", "publisher", "year") if k in source)
    return [
        Paragraph(
            f"Model {code(model['id'])} ({code(model['path'])}), encoding "
            f"*{escape(source.get('title', ''))}* ({escape(by)}). {len(scenarios)} scenarios, "
            f"each compared with the baseline scenario {code(data['baseline'])}; method "
            + ", ".join(code(m) for m in methods)
            + (
                f"; {len(sampled)} scenarios sampled by Monte Carlo."
                if sampled
                else "; no scenario is sampled."
            )
        ),
        Bullets(
            [
                "**Scores** are weighted values on a 0-1 scale (higher is better); **rank 1** is "
                "best; an option whose preconditions fail is **unavailable** and ranks below "
                "every available one.",
                "**P(1st)** is the share of Monte Carlo samples in which an option ranks "
                "first (its first-rank acceptability); **5-95 %** is the range of its score "
                "over the middle 90 % of the samples in which it is available.",
                "Every number here is in `results.json`; `manifest.json` records the input "
                "files' hashes, seeds, samples and methods. `report.html` is the same report "
                "in one self-contained file.",
            ]
        ),
        *_value_scales(data),
    ]


def _value_scales(data: ReportDocument) -> list[Block]:
    """The criteria's anchored value scales (what 0 and 1 mean), where the model gives them:
    with both ends anchored, the weights are swing weights."""
    anchored = [c for c in data["criteria"] if "scale" in c]
    if not anchored:
        return []
    total = sum(c["weight"] for c in data["criteria"]) or 1.0
    return [
        Table(
            "Criteria, their weights and what 0 and 1 mean on each: the weights are swing "
            "weights, the worth of moving from the worst to the best outcome on a criterion "
            "against the same move on the others",
            ["criterion", "weight", "0 (worst)", "1 (best)"],
            [
                [code(c["id"]), f"{c['weight'] / total:.2f}", escape(c["scale"]["worst"]),
                 escape(c["scale"]["best"])]
                for c in anchored
            ],
            (False, True, False, False),
        )
    ]


#: Judgements of the baseline's assumptions register the summary names.
SUMMARY_ASSUMPTIONS = 5
#: Rows of each scenario's assumptions register the report lists (results.json holds all).
ASSUMPTIONS_LISTED = 10


def _source_comparison(data: ReportDocument) -> list[Block]:
    """The opening section of a model that states what its source recommends."""
    comparison = data.get("recommends")
    if comparison is None:
        return []
    source = data["model"]["source"].get("title", "the source")
    deferred = [
        " + ".join(code(o) for o in w["options"])
        + f" ({escape(w['condition'].rstrip('.'))}"
        + (f"; {escape(w['locator'])})" if w["locator"] else ")")
        for w in comparison["when"]
    ]
    blocks: list[Block] = [
        Heading(2, "What the brief recommends and what the model finds", "source-comparison"),
        Paragraph(
            f"*{escape(source)}* recommends "
            + (" + ".join(code(o) for o in comparison["now"]) or "nothing")
            + " now"
            + (f" ({escape(comparison['locator'])})" if comparison["locator"] else "")
            + ("; and later: " + "; ".join(deferred) if deferred else "")
            + ". Below, per scenario, the model's recommendation ("
            + (
                "the best package within the budgets"
                if data["model"].get("options_are") == "components"
                else "its top option"
            )
            + ") set against it; for each disagreement, the judgements behind it from the "
            "scenario's assumptions register (those that end it when moved alone across "
            "their range, else the option's own most influential ones)."
        ),
    ]
    for s in comparison["scenarios"]:
        picked = " + ".join(code(o) for o in s["model"]) or "nothing"
        items = [_finding_text(f) for f in s["agreements"]]
        items += [_finding_text(f) for f in s["disagreements"]]
        blocks.append(
            Paragraph(
                f"**{escape(s['title'])}** ({code(s['scenario'])}): the model's "
                f"{escape(s['kind'])} is {picked}; "
                f"{_count(len(s['agreements']), 'agreement')}, "
                f"{_count(len(s['disagreements']), 'disagreement')}."
            )
        )
        if items:
            blocks.append(Bullets(items))
    return blocks


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _finding_text(finding: Finding) -> str:
    """One agreement or disagreement, with the judgements behind a disagreement."""
    mark = "agrees" if finding["agrees"] else "**disagrees**"
    text = f"{code(finding['option'])} {mark}: {escape(finding['sentence'])}"
    causes = finding["causes"]
    if causes:
        listed = "; ".join(
            f"{code(c['key_path'])} = {c['value']:g} (range {c['low']:g}{DASH}{c['high']:g})"
            for c in causes
        )
        if causes[0]["resolves"]:
            text += f" Moved alone across its range, each of these ends it: {listed}."
        else:
            text += (
                " No single judgement ends it within its range; the option's most "
                f"influential judgements: {listed}."
            )
    return text


def _assumption_text(row: AssumptionRow, measure: str) -> str:
    """One judgement of the register in words."""
    flip = ""
    for change in row["changes"]:
        if row["flips_top"] and change["top"]:
            flip = f"; at its {change['end']} end {code(change['top'])} comes first"
            break
    range_words = "given range" if row["range"] == "given" else "default band"
    return (
        f"{code(row['key_path'])} = {row['value']:g} ({range_words} "
        f"{row['low']:g}{DASH}{row['high']:g}): moves the {escape(measure)} by up to "
        f"{row['influence']:.3f}{flip}"
    )


def _summary(data: ReportDocument) -> list[Block]:
    if any("package" in s for s in data["summary"]):
        return _package_summary(data)
    rows = []
    for s in data["summary"]:
        runner_score = s["runner_up_score"]
        runner = (
            f"{code(s['runner_up'])} ({score_text(runner_score)})"
            if s["runner_up"] and runner_score is not None
            else DASH
        )
        rows.append(
            [
                f"{escape(s['title'])} ({code(s['scenario'])})",
                f"{escape(s['top_title'])} ({code(s['top'])})" if s["available"] else DASH,
                score_text(s["score"]) if s["available"] else DASH,
                share_text(s["p_first"]),
                runner,
            ]
        )
    notes = []
    for s in data["summary"]:
        text = f"**{escape(s['title'])}**: {escape(s['sentence'])}"
        if s["change"]:
            text += f" {escape(s['change'])}"
        notes.append(text)
    return [
        Heading(2, "1. Summary", "summary"),
        Table(
            "Top recommendation per scenario",
            ["scenario", "recommended option", "score", "P(1st)", "runner-up (score)"],
            rows,
            (False, False, True, True, False),
        ),
        Bullets(notes),
        *_summary_assumptions(data),
    ]


def _package_summary(data: ReportDocument) -> list[Block]:
    """A components model's summary: the best package per scenario, each member with its
    marginal value, instead of a single recommended option."""
    rows = []
    notes = []
    for s in data["summary"]:
        package = s.get("package")
        if package is None:
            continue
        rows.append(
            [
                f"{escape(s['title'])} ({code(s['scenario'])})",
                " + ".join(code(m["option"]) for m in package["members"]) or "none",
                f"{package['value']:.3f}",
                share_text(package["probability"]),
                ", ".join(f"{code(m['option'])} {m['marginal']:.3f}" for m in package["members"])
                or DASH,
            ]
        )
        text = f"**{escape(s['title'])}**: {escape(s['sentence'])}"
        if s["change"]:
            text += f" {escape(s['change'])}"
        notes.append(text)
    reference = next(
        (s["package"]["reference"] for s in data["summary"] if "package" in s), None
    )
    return [
        Heading(2, "1. Summary", "summary"),
        Paragraph(
            "The model's options are components of a package, adopted together: the "
            "recommendation is the best package within the budgets, and each member is shown "
            "by its marginal value (how much less the package is worth without it), not as a "
            "rival to the others. Values are "
            + (f"over {code(reference)}" if reference else "absolute")
            + "."
        ),
        Table(
            "Best package per scenario",
            ["scenario", "best package within budgets", "value", "P(best)", "marginal values"],
            rows,
            (False, False, True, True, False),
        ),
        Bullets(notes),
        *_summary_assumptions(data),
    ]


def _titles(data: ReportDocument) -> Callable[[list[str]], str]:
    """Option ids as their titles, joined (``nothing`` for an empty package)."""
    title = {o["id"]: o["title"] for o in data["options"]}

    def join(ids: list[str]) -> str:
        return "; ".join(escape(title.get(i, i)) for i in ids) or "nothing"

    return join


def _plan(data: ReportDocument, charts: Mapping[str, Chart]) -> list[Block]:
    """The adaptive plan of the base scenario, and the pathway of each timeline."""
    plan: PlanDocument | None = data.get("plan")
    if plan is None:
        return []
    names = _titles(data)
    base = next(p for p in plan["plans"] if p["scenario"] == plan["base"])
    now = base["do_now"]
    often = "" if now["probability"] is None else f", best in {now['probability']:.0%} of samples"
    items = [
        f"**Do now** ({code(base['scenario'])}): {names([m['option'] for m in now['members']])} "
        f"(value {now['value']:.3f}{often}).",
    ]
    for t in base["triggers"]:
        when = " and ".join(code(c["phrase"]) for c in t["conditions"]) or "never"
        if t["joins"]:
            swap = f", in place of {names(t['drops'])}" if t["drops"] else ""
            items.append(f"**On trigger** {when}: add {names([t['option']])}{swap}.")
        else:
            items.append(
                f"**On trigger** {when}: {names([t['option']])} opens but the best package "
                f"still leaves it out ({names(t['package'])})."
            )
    for sp in base["signposts"][:5]:
        items.append(
            f"**Watch** {code(sp['indicator'])}: now {sp['value']:g}, threshold "
            f"{sp['threshold']:.4g} ({sp['direction']}, {sp['share_of_range']:.0%} of its "
            f"range away): " + "; ".join(
                [*(f"adds {names([o])}" for o in sp["adds"]),
                 *(f"drops {names([o])}" for o in sp["drops"])]
            ) + "."
        )
    for tp in base["tipping"][:3]:
        items.append(
            f"**Stops being acceptable** when {code(tp['indicator'])} goes {tp['direction']} "
            f"to {tp['threshold']:.4g} (from {tp['value']:g}): {escape(tp['verdict'])}."
        )
    h = plan["hedge"]
    items.append(
        f"**Hedge** (over {h['worlds']} scenario states and samples): the do-now package does "
        f"worst in {escape(h['worst_world'])} (value {h['worst_value']:.3f}, regret "
        f"{h['now_max_regret']:.3f}); "
        + ("no other package limits the loss better." if h["same"] else
           f"{names(h['package'])} limits it to {h['max_regret']:.3f} and costs "
           f"{h['base_cost']:.3f} in the base case.")
    )
    blocks: list[Block] = [
        Heading(3, "The adaptive plan", "plan"),
        Paragraph(
            "What to do now, what to add on which observable trigger, what to watch, and when "
            f"the plan stops being acceptable (value below {base['satisficing']:.3g}"
            f"{'' if base['satisficing_stated'] else ', 80 % of its value'}, or another "
            f"package better by more than {base['margin']:.3g}). Values are package values over "
            "the reference option."
        ),
        Bullets(items),
    ]
    for p in plan["plans"]:
        if len(p["pathway"]) < 2:
            continue
        blocks.append(
            Table(
                f"Pathway of {code(p['scenario'])}",
                ["period", "package", "value", "switch"],
                [
                    [
                        escape(step["period"]),
                        names([m["option"] for m in step["members"]]),
                        f"{step['value']:.3f}",
                        "; ".join(
                            escape(c) for sw in p["switches"] if sw["period"] == step["period"]
                            for c in sw["causes"]
                        ) or DASH,
                    ]
                    for step in p["pathway"]
                ],
                (False, False, True, False),
            )
        )
        blocks += _figure(charts, f"pathway-{p['scenario']}")
    return blocks


def _expert_disagreements(data: ReportDocument) -> list[Block]:
    """Pooled judgements whose experts' ranges do not overlap: the pool samples all of them,
    but a reader should know the experts contradict each other there."""
    found = data.get("expert_disagreements")
    if not found:
        return []
    titles = {o["id"]: o["title"] for o in data["options"]}
    items = [
        f"{escape(titles.get(d['option'], d['option']))} on {code(d['criterion'])}: "
        + "; ".join(f"{escape(e['by'])} {e['low']:g}-{e['high']:g} (most likely {e['mode']:g})"
                    for e in d["experts"])
        + " (" + ", ".join(f"{escape(a)} and {escape(b)}" for a, b in d["pairs"])
        + " do not overlap)"
        for d in found
    ]
    return [
        Heading(3, "Where the experts disagree", "expert-disagreements"),
        Paragraph("These judgements pool experts whose ranges do not overlap: the sampled "
                  "pool mixes their views, but they contradict each other."),
        Bullets(items),
    ]


def _summary_assumptions(data: ReportDocument) -> list[Block]:
    """The baseline's most influential judgements (the top of its assumptions register)."""
    base = next((s for s in data["scenarios"] if s["id"] == data["baseline"]), None)
    register = (base["sensitivity"] or {}).get("assumptions") if base else None
    if register is None or not register["rows"]:
        return []
    rows = register["rows"][:SUMMARY_ASSUMPTIONS]
    return [
        Paragraph(
            f"The judgements that move the {code(data['baseline'])} result most (the modeller's "
            f"numbers, not the source's; the full register is in section 6):"
        ),
        Bullets([_assumption_text(r, register["measure"]) for r in rows]),
    ]


def _ranking(data: ReportDocument, charts: Mapping[str, Chart]) -> list[Block]:
    scenarios = data["scenarios"]
    rows = []
    for option in data["options"]:
        cells = [code(option["id"])]
        for s in scenarios:
            row = next(r for r in s["options"] if r["id"] == option["id"])
            if not row["available"]:
                cells.append(f"{row['rank']} (unavailable)")
                continue
            text = f"{row['rank']} ({score_text(row['score'])})"
            if row.get("score_quantiles"):
                text += f" [{_band(row)}]"
            cells.append(text)
        rows.append(cells)
    components = (
        [
            Paragraph(
                "The options are components of one package, not rivals: these ranks order "
                "them by their own score, and the summary gives the package they make."
            )
        ]
        if data["model"].get("options_are") == "components"
        else []
    )
    return [
        Heading(2, "2. Ranking across scenarios", "ranking"),
        *components,
        *_figure(charts, "ranking"),
        Table(
            "Rank (score) of each option per scenario; [5-95 % of samples] where sampled",
            ["option", *(code(s["id"]) for s in scenarios)],
            rows,
            (False, *([True] * len(scenarios))),
        ),
    ]


def _scenarios(
    data: ReportDocument, charts: Mapping[str, Chart], evidence: Mapping[str, EvidenceItem]
) -> list[Block]:
    blocks: list[Block] = [
        Heading(2, "3. Scenarios", "scenarios"),
        Paragraph(
            "Each scenario's ranking, what every criterion contributes, which options are "
            "unavailable and why (with the evidence behind each condition), and how other "
            "aggregation methods rank the same options."
        ),
    ]
    for s in data["scenarios"]:
        number = f"3.{_index(data, s)}"
        blocks.append(Heading(3, f"{number} {escape(s['title'])}", f"scenario-{s['id']}"))
        if s["description"]:
            blocks.append(Paragraph(escape(s["description"])))
        facts = [
            f"File {code(s['path'])}; method {code(method_text(s['method']))}"
            + (f"; perspective {code(s['perspective'])}" if s["perspective"] else "")
            + (
                f"; {s['samples']:,} samples, seed {s['seed']}"
                if s["samples"] > 1
                else "; not sampled (point values)"
            )
            + ".",
            "Weights: " + ", ".join(f"{code(c)} {w:.3f}" for c, w in s["weights"].items()) + ".",
        ]
        if s["settings"]:
            facts.append(
                "Settings (model baseline in brackets): "
                + "; ".join(
                    f"{code(x['indicator'])} = "
                    + (escape(x["distribution"]) if x["distribution"] else x["text"])
                    + f" [{x['baseline_text']}]"
                    for x in s["settings"]
                )
                + "."
            )
        else:
            facts.append("Settings: every indicator at the model baseline.")
        blocks.append(Bullets(facts))
        blocks.append(_ranking_table(s))
        blocks += _figure(charts, f"contributions-{s['id']}")
        blocks += _availability(s, evidence)
        blocks += _methods(s)
    return blocks


def _ranking_table(s: ScenarioSection) -> Table:
    sampled = s["samples"] > 1
    header = [
        "option",
        "rank",
        "score",
        *(["5-95 %", "P(1st)"] if sampled else []),
        "largest contributions",
        "availability",
    ]
    rows = []
    for r in s["options"]:
        largest = sorted(r["contributions"].items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        rows.append(
            [
                _option_label(r),
                str(r["rank"]),
                score_text(r["score"]) if r["available"] else DASH,
                *([_band(r), share_text(_first(r))] if sampled else []),
                ", ".join(f"{code(c)} {v:.3f}" for c, v in largest),
                "available" if r["available"] else "**unavailable**",
            ]
        )
    numeric = (False, True, True, *((True, True) if sampled else ()), False, False)
    return Table(f"Ranking in {code(s['id'])}", header, rows, numeric)


def _index(data: ReportDocument, scenario: ScenarioSection) -> int:
    return [s["id"] for s in data["scenarios"]].index(scenario["id"]) + 1


def _first(row: OptionRow) -> float | None:
    acceptability = row.get("rank_acceptability")
    return None if not acceptability else float(acceptability[0])


def condition_text(condition: FailedConditionData) -> str:
    """A failing comparison with the values that fail it and the change that would meet it."""
    values = ", ".join(f"{k} = {v:g}" for k, v in condition["values"].items())
    text = f"{code(condition['text'])} fails"
    if values:
        text += f" ({escape(values)}"
        if condition["gap"] is not None:
            text += f"; needs a change of {condition['gap']:+g}"
        text += ")"
    return text


def sentence(text: str) -> str:
    """Text ending in exactly one full stop."""
    return text.rstrip().rstrip(".") + "."


def evidence_text(evidence_id: str, evidence: Mapping[str, EvidenceItem]) -> str:
    """An evidence id with its locator and claim."""
    item = evidence.get(evidence_id)
    if item is None:
        return code(evidence_id)
    return f"{code(evidence_id)} ({escape(item['locator'])}): {escape(item['claim'].rstrip('.'))}"


def failure_text(
    option_id: str, failed: FailedPreconditionData, evidence: Mapping[str, EvidenceItem]
) -> str:
    """Why one precondition keeps an option off the table, with its evidence."""
    conditions = [condition_text(c) for c in failed["conditions"]]
    simple = len(failed["conditions"]) == 1 and failed["conditions"][0]["text"] == failed["when"]
    if simple:
        what = conditions[0]
    else:
        what = f"it needs {code(failed['when'])}: " + ("; ".join(conditions) or "it fails")
    cited = "; ".join(evidence_text(e, evidence) for e in failed["evidence"]) or "none"
    return (
        f"**{code(option_id)}** is unavailable: {what}. "
        f"Why: {sentence(escape(failed['reason']))} Evidence: {cited}."
    )


def _availability(s: ScenarioSection, evidence: Mapping[str, EvidenceItem]) -> list[Block]:
    blocks: list[Block] = [
        Heading(4, f"Availability in {escape(s['title'])}", f"availability-{s['id']}")
    ]
    unavailable = [r for r in s["options"] if not r["available"]]
    if not unavailable:
        return [*blocks, Paragraph("Every option is available.")]
    items = [failure_text(r["id"], f, evidence) for r in unavailable for f in r["failed"]]
    return [*blocks, Bullets(items)]


def _methods(s: ScenarioSection) -> list[Block]:
    m = s.get("methods")
    if not m:
        return []
    verdict = (
        "every method puts the same option first"
        if m["same_top"]
        else "the methods disagree on the top option: "
        + ", ".join(f"{code(k)} {code(v)}" for k, v in m["top"].items())
    )
    options = sorted(m["ranks"][m["methods"][0]], key=lambda o: m["ranks"][m["methods"][0]][o])
    available = {r["id"]: r["available"] for r in s["options"]}
    # Partial pre-orders (PROMETHEE I): the pairs they leave incomparable are stated, and the
    # ranks shown for them (their net-flow completion) are marked as not deciding those pairs.
    orders = m.get("partial_orders", {})
    undecided = {
        (x, o) for x, order in orders.items() for pair in order["incomparable"] for o in pair
    }
    partial_notes = [
        Paragraph(
            f"{code(x)} gives a partial order: "
            + (
                "it leaves "
                + "; ".join(f"{code(a)} and {code(b)}" for a, b in order["incomparable"])
                + " incomparable (each is ahead on one of the two flows). Its ranks marked * "
                "are the net flow's completion and do not decide those pairs."
                if order["incomparable"]
                else "it compares every pair, so its ranks are its own."
            )
            + (
                " Indifferent: "
                + "; ".join(f"{code(a)} and {code(b)}" for a, b in order["indifferent"])
                + "."
                if order["indifferent"]
                else ""
            )
        )
        for x, order in orders.items()
    ]
    return [
        Heading(4, f"Method comparison in {escape(s['title'])}", f"methods-{s['id']}"),
        Paragraph(f"At the point values, {verdict}."),
        *partial_notes,
        Table(
            f"Rank (score) under each method in {code(s['id'])}",
            ["option", *(code(x) for x in m["methods"])],
            [
                [code(o)]
                + [
                    f"{m['ranks'][x][o]}{'*' if (x, o) in undecided else ''} "
                    f"({m['scores'][x][o]:.3f})"
                    if available.get(o, True)
                    else f"{m['ranks'][x][o]} (unavailable)"
                    for x in m["methods"]
                ]
                for o in options
            ],
            (False, *([True] * len(m["methods"]))),
        ),
        Table(
            f"Agreement between methods in {code(s['id'])} (over available options)",
            ["methods", "Kendall's tau", "Spearman's rho", "weighted Spearman r_w",
             "WS (a's ranking as reference)", "same top"],
            [
                [
                    f"{code(a['a'])} vs {code(a['b'])}",
                    f"{a['kendall_tau']:.3f}",
                    f"{a['spearman_rho']:.3f}",
                    _maybe(a.get("weighted_spearman")),
                    _maybe(a.get("ws_a_b")),
                    "yes" if a["same_top"] else "no",
                ]
                for a in m["agreement"]
            ],
            (False, True, True, True, True, False),
        ),
        Paragraph(
            "Weighted Spearman r_w and WS weigh agreement near the top of the rankings more "
            "than agreement further down (Pinto da Costa and Soares 2005; Salabun and Urbaniak "
            "2020); 1 is the same ranking."
        ),
    ]


def _maybe(value: float | None) -> str:
    """A similarity coefficient to three decimals, or a dash where it was not computed."""
    return DASH if value is None else f"{value:.3f}"


def _movements(data: ReportDocument, charts: Mapping[str, Chart]) -> list[Block]:
    blocks: list[Block] = [
        Heading(2, "4. Why the ranking moved", "movements"),
        Paragraph(
            f"Each scenario against the baseline {code(data['baseline'])}: for every option "
            "whose rank changed, its score from the baseline's to the scenario's, criterion by "
            "criterion (a waterfall; an availability step where a precondition starts or "
            "stops holding)."
        ),
    ]
    summaries = {s["scenario"]: s for s in data["summary"]}
    for s in data["scenarios"]:
        movement = s["movement"]
        if movement is None:
            continue
        blocks.append(
            Heading(
                3,
                f"{escape(s['title'])} against {code(movement['against'])}",
                f"movement-{s['id']}",
            )
        )
        blocks.append(Paragraph(escape(summaries[s["id"]]["change"])))
        if not movement["options"]:
            blocks.append(Paragraph("No option changes rank."))
            continue
        blocks += _figure(charts, f"waterfall-{s['id']}")
        rows = []
        for o in movement["options"]:
            steps = [
                x
                for x in o["steps"]
                if x["kind"] not in ("start", "end") and abs(x["delta"]) >= 5e-4
            ]
            largest = sorted(steps, key=lambda x: (-abs(x["delta"]), x["label"]))[:3]
            rows.append(
                [
                    code(o["id"]),
                    f"{o['rank_from']} to {o['rank_to']}",
                    f"{score_text(o['score_from'])} to {score_text(o['score_to'])}",
                    ", ".join(f"{escape(x['label'])} {x['delta']:+.3f}" for x in largest)
                    or "its own score does not change; others moved past it",
                ]
            )
        blocks.append(
            Table(
                f"Options whose rank changed in {code(s['id'])}",
                ["option", "rank", "score", "largest steps"],
                rows,
                (False, True, True, False),
            )
        )
    return blocks


def _uncertainty(data: ReportDocument, charts: Mapping[str, Chart]) -> list[Block]:
    blocks: list[Block] = [Heading(2, "5. Uncertainty", "uncertainty")]
    sampled = [s for s in data["scenarios"] if s["samples"] > 1]
    if not sampled:
        return [
            *blocks,
            Paragraph(
                "No scenario of this comparison is sampled, so there are no "
                "acceptabilities; scores are at the point values."
            ),
        ]
    blocks.append(
        Paragraph(
            "Sampled scenarios draw uncertain indicators, judgements (within their low-high "
            "ranges) and, where given, weights. Rank acceptability is the share of samples in "
            "which an option takes each rank; an option's central weights are the mean weights "
            "of the samples in which it ranks first, and its confidence factor the share of "
            "samples in which it ranks first under those weights."
        )
    )
    criteria = [c["id"] for c in data["criteria"]]
    for s in sampled:
        uncertain = [x["indicator"] for x in s["settings"] if x["distribution"]]
        blocks.append(Heading(3, escape(s["title"]), f"uncertainty-{s['id']}"))
        blocks.append(
            Paragraph(
                f"{s['samples']:,} samples, seed {s['seed']}; uncertain indicators: "
                + (", ".join(code(u) for u in uncertain) or "none")
                + "."
            )
        )
        blocks += _figure(charts, f"acceptability-{s['id']}")
        n = max(len(r["rank_acceptability"] or []) for r in s["options"])
        blocks.append(
            Table(
                f"Rank acceptability in {code(s['id'])} (share of samples per rank"
                + (f", ranks 1-{n} of {len(s['options'])}" if n < len(s["options"]) else "")
                + ")",
                ["option", *(f"rank {k + 1}" for k in range(n)), "available in", "confidence"],
                [
                    [code(r["id"])]
                    + [f"{v:.1%}" for v in r["rank_acceptability"] or []]
                    + [
                        share_text(r["availability"]),
                        DASH if r["confidence_factor"] is None else f"{r['confidence_factor']:.1%}",
                    ]
                    for r in s["options"]
                ],
                (False, *([True] * (n + 2))),
            )
        )
        central = [(r["id"], w) for r in s["options"] if (w := r["central_weights"])]
        fixed = all(abs(w[c] - s["weights"][c]) < 1e-9 for _, w in central for c in criteria)
        if central and fixed:
            blocks.append(
                Paragraph(
                    f"Weights are not sampled in {code(s['id'])}, so every option's central "
                    "weights are the scenario's weights and its confidence factor equals its "
                    "first-rank acceptability."
                )
            )
        elif central:
            blocks.append(
                Table(
                    f"Central weights in {code(s['id'])} (options that ever rank first)",
                    ["option", *(code(c) for c in criteria)],
                    [[code(o)] + [f"{w[c]:.3f}" for c in criteria] for o, w in central],
                    (False, *([True] * len(criteria))),
                )
            )
    return blocks


def _sensitivity(data: ReportDocument, charts: Mapping[str, Chart]) -> list[Block]:
    blocks: list[Block] = [Heading(2, "6. Sensitivity", "sensitivity")]
    present = [s for s in data["scenarios"] if s.get("sensitivity")]
    if not present:
        return [*blocks, Paragraph("This study carries no sensitivity analyses.")]
    blocks.append(
        Paragraph(
            "What would change the recommendation: how far each criterion's weight can move "
            "before the top option changes (the other weights keep their proportions), which "
            "single inputs move the leading option's score most, and the indicator values at "
            "which the outcome tips."
        )
    )
    for s in present:
        sensitivity = s["sensitivity"]
        if sensitivity is None:
            continue
        blocks.append(Heading(3, escape(s["title"]), f"sensitivity-{s['id']}"))
        for name, section in SECTIONS.items():
            if name in sensitivity:
                blocks += section(data, s, sensitivity, charts)
    return blocks


#: A section of one scenario's analyses: (document, scenario, its analyses, charts) -> blocks.
Section = Callable[[ReportDocument, ScenarioSection, Sensitivity, Mapping[str, Chart]], list[Block]]


def _tipping_section(
    data: ReportDocument, s: ScenarioSection, sensitivity: Sensitivity, charts: Mapping[str, Chart]
) -> list[Block]:
    part = sensitivity["tipping"]
    points = [p for i in part["indicators"] for p in (*i["up"], *i["down"])]
    return [
        Heading(4, f"Tipping points in {escape(s['title'])}", f"tipping-{s['id']}"),
        Bullets([tipping_text(p) for p in points])
        if points
        else Paragraph(
            "No single indicator, moved alone within its range, changes "
            "the top option or any option's availability."
        ),
    ]


def _openings_section(
    data: ReportDocument, s: ScenarioSection, sensitivity: Sensitivity, charts: Mapping[str, Chart]
) -> list[Block]:
    part = sensitivity["openings"]
    if not part:
        return []
    booleans = {i["id"] for i in data["indicators"] if i["boolean"]}
    return [
        Heading(
            4, f"What opens the unavailable options in {escape(s['title'])}", f"openings-{s['id']}"
        ),
        Bullets([opening_text(o, booleans) for o in part]),
    ]


def _assumptions_section(
    data: ReportDocument, s: ScenarioSection, sensitivity: Sensitivity, charts: Mapping[str, Chart]
) -> list[Block]:
    part = sensitivity["assumptions"]
    heading = Heading(4, f"Assumptions register of {escape(s['title'])}", f"assumptions-{s['id']}")
    measure = part["measure"]
    intro = (
        f"{part['considered']} judgements (the modeller's numbers, not the source's) are in "
        f"use here; each is moved alone to both ends of its range (the model's own, else a "
        f"default band) and ranked by how far that moves the {escape(measure)} "
        + (
            f"of {code(part['top'])} ({part['lead']:.3f})"
            if measure == "lead" and part["top"]
            else f"({part['package_value']:.3f})"
            if part["package_value"] is not None
            else ""
        )
        + f". {len(part['rows'])} move it; {len(part['unmoved'])} move nothing here. "
        "Default bands: " + "; ".join(escape(b) for b in part["default_bands"].values()) + "."
    )
    if not part["rows"]:
        return [heading, Paragraph(intro)]
    table_rows = []
    for r in part["rows"][:ASSUMPTIONS_LISTED]:
        flips = [
            "top" if r["flips_top"] else "",
            "package" if r["flips_package"] else "",
        ]
        table_rows.append(
            [
                code(r["key_path"]),
                f"{r['value']:g}",
                f"{r['low']:g}{DASH}{r['high']:g}"
                + ("" if r["range"] == "given" else " (default)"),
                f"{r['influence']:.3f}",
                " and ".join(f for f in flips if f) or "no",
                escape(r["confidence"] or DASH),
                escape(r["reason"] or "no reason given"),
            ]
        )
    return [
        heading,
        Paragraph(intro),
        Table(
            f"The most influential judgements in {code(s['id'])} (influence on the "
            f"{escape(measure)})",
            ["judgement", "value", "range", "influence", "changes", "confidence", "why"],
            table_rows,
            (False, True, True, True, False, False, False),
        ),
    ]


def _dominance_section(
    data: ReportDocument, s: ScenarioSection, sensitivity: Sensitivity, charts: Mapping[str, Chart]
) -> list[Block]:
    part = sensitivity["dominance"]
    heading = Heading(4, f"Dominated options in {escape(s['title'])}", f"dominance-{s['id']}")
    if not part["dominated"]:
        return [heading, Paragraph("No option is beaten or equalled on every criterion by an "
                                   "available option.")]
    items = []
    for row in part["dominated"]:
        by = ", ".join(code(b) for b in row["by"])
        more = row["by_total"] - len(row["by"])
        if more > 0:
            by += f" and {more} more"
        status = "" if row["available"] else " (unavailable)"
        items.append(f"{code(row['option'])}{status} is dominated by {by}")
    return [
        heading,
        Paragraph(
            "An option is dominated when an available option is at least as good on every "
            "criterion and better on one, at the scenario's point values: no weights and no "
            "method can rank it above that option."
        ),
        Bullets(items),
    ]


def tipping_text(point: TippingPoint) -> str:
    """A tipping point in words, ids as code, values to 3 significant digits."""
    indicator = code(point["indicator"])
    if point["boolean"]:
        when = f"when {indicator} becomes {'true' if point['value'] >= 0.5 else 'false'}"
    else:
        verb = "rises above" if point["direction"] == "up" else "falls below"
        when = f"when {indicator} {verb} {point['value']:.3g}"
    option = code(point["option"]) if point["option"] else None
    if point["kind"] != "top changes":
        return f"{option} {escape(point['kind'])} {when}"
    if option is None:
        return f"no option is available any more {when}"
    if not point["previous"]:
        return f"{option} becomes the top option {when}"
    return f"{option} replaces {code(point['previous'])} as the top option {when}"


def opening_text(opening: Opening, booleans: set[str]) -> str:
    """What makes one unavailable option available (and first), ids as code."""
    option = code(opening["option"])
    moves = []
    for move in opening["moves"]:
        name = move["indicator"]
        if name in booleans:
            moves.append(f"{code(name)} becomes {'true' if move['to'] >= 0.5 else 'false'}")
        else:
            verb = "rises" if move["to"] > move["from"] else "falls"
            moves.append(f"{code(name)} {verb} to {move['to']:.3g} (from {move['from']:.3g})")
    if not moves:
        unmovable = " and ".join(code(u) for u in opening["unmovable"]) or "other conditions"
        return f"{option} needs {unmovable}"
    needs = " and ".join(moves)
    if not opening["opens"]:
        return f"{option} stays unavailable even when {needs}"
    text = f"{option} becomes available when {needs}"
    if opening["first_at_once"]:
        return text + "; it then comes first"
    found = [f for f in opening["first_along"] if f["value"] is not None]
    if found:
        ways = " or ".join(f"{code(f['indicator'])} reaches {f['value']:.3g}" for f in found)
        return text + f"; it comes first once {ways}"
    return text + "; moving those indicators further within range does not put it first"


def _weights_section(
    data: ReportDocument, s: ScenarioSection, sensitivity: Sensitivity, charts: Mapping[str, Chart]
) -> list[Block]:
    weights = sensitivity["weights"]
    rows = []
    for item in weights["criteria"]:
        nearest = sorted(item["crossovers"], key=lambda x: (abs(x["t"] - item["weight"]), x["t"]))[
            :CROSSOVERS_LISTED
        ]
        rows.append(
            [
                code(item["criterion"]),
                f"{item['weight']:.3f}",
                "{:.3f}{}{:.3f}".format(item["top_interval"][0], DASH, item["top_interval"][1]),
                "{:.3f}{}{:.3f}".format(
                    item["ranking_interval"][0], DASH, item["ranking_interval"][1]
                ),
                "; ".join(
                    f"at {x['t']:.3f} {code(x['overtaking'])} overtakes {code(x['overtaken'])}"
                    for x in nearest
                )
                or "none",
            ]
        )
    return [
        Heading(4, f"Weight stability in {escape(s['title'])}", f"weights-{s['id']}"),
        *_figure(charts, f"weights-{s['id']}"),
        Table(
            f"Normalised weight ranges that keep the top option and the whole ranking in "
            f"{code(s['id'])}" + ("" if weights.get("exact", True) else " (scanned)"),
            ["criterion", "weight", "top kept within", "ranking kept within", "nearest crossovers"],
            rows,
            (False, True, True, True, False),
        ),
    ]


def _tornado_section(
    data: ReportDocument, s: ScenarioSection, sensitivity: Sensitivity, charts: Mapping[str, Chart]
) -> list[Block]:
    tornado = sensitivity["tornado"]
    if not tornado["options"]:
        return []
    option = tornado["options"][0]
    bars = [b for b in option["bars"] if b["swing"] > 0][:TORNADO_LISTED]
    return [
        Heading(4, f"Tornado in {escape(s['title'])}", f"tornado-{s['id']}"),
        *_figure(charts, f"tornado-{s['id']}"),
        Table(
            f"Inputs that move the score of {code(option['option'])} most in {code(s['id'])} "
            f"(scenario score {score_text(option['score'])})",
            ["input", "range", "score at low end", "score at high end", "swing"],
            [
                [
                    code(b["input"]),
                    f"{b['low']:g}{DASH}{b['high']:g}",
                    score_text(b["score_low"]) + ("" if b["available_low"] else " (unavailable)"),
                    score_text(b["score_high"]) + ("" if b["available_high"] else " (unavailable)"),
                    score_text(b["swing"]),
                ]
                for b in bars
            ],
            (False, True, True, True, True),
        ),
    ]


def _perspectives_section(
    data: ReportDocument, s: ScenarioSection, sensitivity: Sensitivity, charts: Mapping[str, Chart]
) -> list[Block]:
    p = sensitivity["perspectives"]
    rows = [
        [
            code(r["name"]),
            code(r["top"]) if r["top"] else DASH,
            ", ".join(f"{c} {w:.2f}" for c, w in r["weights"].items()),
        ]
        for r in p["rankings"]
    ]
    blocks: list[Block] = [
        Heading(4, f"Perspectives in {escape(s['title'])}", f"perspectives-{s['id']}"),
        Paragraph(
            "The scenario's weights and every perspective of the model agree on the top option."
            if p["agree_on_top"]
            else "The weight sets disagree on the top option."
        ),
        Table(
            f"Top option under each weight set in {code(s['id'])}",
            ["weight set", "top option", "normalised weights"],
            rows,
        ),
    ]
    blocks += _stakeholders_blocks(data, p.get("stakeholders"))
    objective = p.get("objective", [])
    if objective:
        blocks.append(Paragraph(
            "For reference, objective weights of this scenario's performance table (entropy and "
            "CRITIC: how much each criterion separates the options, not what anyone values; "
            "they do not count in the agreement above):"
        ))
        blocks.append(Table(
            f"Top option under objective weights in {code(s['id'])}",
            ["objective weights", "top option", "normalised weights"],
            [
                [
                    code(r["name"]),
                    code(r["top"]) if r["top"] else DASH,
                    ", ".join(f"{c} {w:.2f}" for c, w in r["weights"].items()),
                ]
                for r in objective
            ],
        ))
    believe = [w.get("sentence") for w in p.get("what_to_believe", []) if w.get("sentence")]
    if believe:
        blocks.append(Paragraph(f"What you would have to believe ({escape(p['basis'])}):"))
        blocks.append(Bullets([escape(x) for x in believe]))
    return blocks


def _stakeholders_blocks(data: ReportDocument, k: Stakeholders | None) -> list[Block]:
    """Where the perspectives agree, what divides them, and what holds for most of them."""
    if k is None:
        return []
    titles = {o["id"]: o["title"] for o in data["options"]}
    pairs = "; ".join(
        f"{code(x['a'])} and {code(x['b'])} {x['kendall_tau']:.2f}"
        + ("" if x["same_top"] else " (different tops)")
        for x in k["pairs"]
    )
    dividing = ", ".join(f"{code(c)} ({w:.2f})" for c, w in list(k["dividing"].items())[:2])
    held = sorted(
        ((share, o) for o, share in k["mixture_first"].items() if share > 0), reverse=True
    )
    most = "; ".join(
        f"{escape(titles.get(o, o))} in {share:.0%} "
        f"(first for {k['first_share'][o]:.0%} of the perspectives)"
        for share, o in held[:3]
    )
    return [
        Paragraph(
            f"The perspectives as stakeholders: their rankings agree by Kendall's tau {pairs}. "
            f"The criteria whose weights divide them most (spread of the normalised weight): "
            f"{dividing}. Over {k['mixtures']:,} weight vectors mixed from theirs (a SMAA run "
            f"over the stakeholders, seed {k['seed']}), the option that comes first: "
            f"{most or 'none available'}."
        )
    ]


def _robustness(data: ReportDocument, charts: Mapping[str, Chart]) -> list[Block]:
    blocks: list[Block] = [Heading(2, "7. Robustness across scenarios", "robustness")]
    r = data.get("robustness")
    if not r:
        blocks.append(Paragraph("No robustness analysis in this study."))
    else:
        measures = r["measures"]
        per_option = {
            n: values
            for n, values in measures.items()
            if isinstance(values, list)
            and n not in ("probabilities", "regret", "sd")
            and len(values) == len(r["options"])
        }
        names = list(per_option)
        blocks.append(
            Paragraph(
                f"Values are {escape(r['value_definition'])}. Scenario probabilities: "
                + ", ".join(
                    f"{code(s)} {p:.3f}"
                    for s, p in zip(r["scenarios"], measures["probabilities"], strict=True)
                )
                + f". Hurwicz alpha {measures['hurwicz_alpha']:g}; regret percentile "
                f"{measures['regret_percentile']:g}."
            )
        )
        blocks.append(
            Table(
                "Robustness measures per option (regrets: lower is better)",
                ["option", *(code(n) for n in names)],
                [
                    [code(o)] + [measure_text(n, per_option[n][k]) for n in names]
                    for k, o in enumerate(r["options"])
                ],
                (False, *([True] * len(names))),
            )
        )
        blocks.append(
            Bullets([f"{code(n)} favours {code(o)}" for n, o in measures["picks"].items()])
        )
        blocks.append(
            Table(
                "Regret per scenario: shortfall from the best option's value there",
                ["scenario", *(code(o) for o in r["options"])],
                [
                    [code(sc)] + [score_text(v) for v in row]
                    for sc, row in zip(r["scenarios"], measures["regret"], strict=True)
                ],
                (False, *([True] * len(r["options"]))),
            )
        )
        blocks.append(Heading(3, "Definitions", "robustness-definitions"))
        blocks.append(
            Bullets([f"{code(n)}: {escape(d)}" for n, d in r["definitions"].items() if n in names])
        )
    blocks += _bundles(data, charts)
    return blocks


def _bundles(data: ReportDocument, charts: Mapping[str, Chart]) -> list[Block]:
    bundles = data.get("bundles") or []
    base = baseline_bundle(data)
    if base is None:
        note = data.get("bundles_note")
        if not note:
            return []
        return [
            Heading(3, "Bundles of recommendations", "bundles"),
            Paragraph(f"Not analysed: {escape(note)}."),
        ]
    budgets = ", ".join(
        f"{code(r)} {'unlimited' if b is None else f'{b:g}'}"
        for r, b in (base.get("budgets") or {}).items()
    )
    blocks: list[Block] = [
        Heading(3, "Bundles of recommendations", "bundles"),
        Paragraph(
            "Options adopted together, within the resource budgets: a bundle's value is the "
            f"{escape(base.get('value_definition', 'sum of its options values'))}"
            + (f"; budgets in {code(base['scenario'])}: {budgets}" if budgets else "")
            + ". The best bundle is the most valuable feasible one (in sampled scenarios, the "
            "one most often best)."
        ),
        Table(
            "Best bundle per scenario",
            ["scenario", "best bundle", "value", "best in", "feasible in"],
            [
                [
                    code(b.get("scenario", "")),
                    " + ".join(code(m) for m in b["best"]["members"]) or "none",
                    f"{b['best']['value']:.3f}",
                    share_text(b["best"]["probability"] if b.get("samples", 1) > 1 else None),
                    share_text(b["best"]["feasible_share"] if b.get("samples", 1) > 1 else None),
                ]
                for b in bundles
            ],
            (False, False, True, True, True),
        ),
        *_figure(charts, f"frontier-{base.get('scenario', 'study')}"),
    ]
    for resource, points in sorted((base.get("frontiers") or {}).items()):
        if points:
            blocks.append(
                Table(
                    f"Efficient frontier for {code(resource)} in {code(base['scenario'])}",
                    ["bundle", "value", f"use of {escape(resource)}", "within budget"],
                    [
                        [
                            " + ".join(code(m) for m in p["members"]) or "none",
                            f"{p['value']:.3f}",
                            f"{p['cost']:.3g}",
                            "yes" if p.get("within_budget", True) else "no",
                        ]
                        for p in points
                    ],
                    (False, True, True, False),
                )
            )
    options = [o["option"] for o in base.get("per_option") or []]
    if options:
        share = {
            (b.get("scenario"), o["option"]): o["in_best"]
            for b in bundles
            for o in b.get("per_option") or []
        }
        blocks.append(
            Table(
                "Share of samples in which each option is in the best bundle (100 % or 0 % where "
                "a scenario is not sampled)",
                ["option", *(code(b.get("scenario", "")) for b in bundles)],
                [
                    [code(o)]
                    + [
                        f"{share[(b.get('scenario'), o)]:.0%}"
                        if (b.get("scenario"), o) in share
                        else DASH
                        for b in bundles
                    ]
                    for o in options
                ],
                (False, *([True] * len(bundles))),
            )
        )
    return blocks


def citation_markup(entry: Citation) -> str:
    """One citing judgement, ids as code."""
    kind = entry["kind"]
    if kind == "indicator":
        return f"indicator {code(entry['indicator'])}"
    if kind == "precondition":
        return f"precondition of {code(entry['option'])} ({code(entry['when'])})"
    if kind == "performance":
        return f"{code(entry['option'])} on {code(entry['criterion'])}"
    return "interaction of " + " + ".join(code(o) for o in entry.get("options", []))


def _evidence(data: ReportDocument) -> list[Block]:
    return [
        Heading(2, "8. Evidence appendix", "evidence"),
        Paragraph(
            "Every evidence item of the model: where it is in the source, the figures it "
            "carries, what it says (paraphrased), and the judgements that cite it."
        ),
        Table(
            "Evidence items and the judgements citing them",
            ["evidence", "locator", "figures", "claim", "cited by"],
            [
                [
                    code(e["id"]),
                    escape(e["locator"]),
                    ", ".join(escape(f) for f in e["figures"]) or DASH,
                    escape(e["claim"]),
                    "; ".join(citation_markup(c) for c in e["cited_by"]) or "not cited",
                ]
                for e in data["evidence"]
            ],
        ),
    ]


#: The report section of each analysis (by its name in :data:`ANALYSES`), in report order.
SECTIONS: dict[str, Section] = {
    "weights": _weights_section,
    "tornado": _tornado_section,
    "tipping": _tipping_section,
    "openings": _openings_section,
    "perspectives": _perspectives_section,
    "dominance": _dominance_section,
    "assumptions": _assumptions_section,
}
