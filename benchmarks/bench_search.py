"""Search latency: p50 and p95 of five typical searches on SQLite and on PostgreSQL.

Generates its own data (seeded): N published sources (a third each in English, Korean and
Chinese, 40-90 words) and N incidents, each with one or two events at places of a small
gazetteer and a victim group, at the four disclosure levels in turn; builds the index with
``search_rebuild()`` (timed); then runs each query, as an analyst, through the real selector
(policy, filters, total, facets, one page of hits with snippets), 3 warm-up runs then
``--runs`` measured ones. Each engine runs in its own process (Django settings are per
process); PostgreSQL uses a scratch database ``refuge_bench`` on ``--pg`` (created, dropped).

``--keep NAME`` keeps the data instead (PostgreSQL database NAME, SQLite under
benchmarks/out/NAME-sqlite/) and reuses it on the next run with the same NAME and ``--n``,
so that queries can be studied (EXPLAIN, variants) without generating 200,000 records
again; add ``--reindex`` to rebuild only the index of kept data (after a change to what
is indexed or how).

Run: .venv/bin/python benchmarks/bench_search.py [--n 100000] [--runs 30]
     [--engines sqlite,postgresql] [--pg postgres://postgres@127.0.0.1:5432]
     [--keep NAME [--reindex]] [--no-record]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from results import command_line, record
from synthetic import REPORT_WORDS

EN = [*REPORT_WORDS, "detention", "centre", "public", "security"]
KO = [
    "탈북민",
    "일가족",
    "중국",
    "공안에",
    "체포되어",
    "강제북송됐다",
    "국경",
    "지역에서",
    "여성",
    "아이들",
    "구금되었다",
    "단체가",
    "밝혔다",
    "소식통에",
    "따르면",
    "두만강",
    "인근",
    "변방대",
    "수용소로",
    "이송됐다",
    "지난달",
    "버스에서",
]
ZH = [
    "据报道",
    "脱北者",
    "在",
    "图们",
    "被",
    "公安",
    "抓获",
    "后",
    "遣返回",
    "朝鲜",
    "边防",
    "拘留所",
    "妇女",
    "儿童",
    "家属",
    "上个月",
    "消息人士",
    "称",
    "被关押",
    "在",
    "丹东",
    "移交",
]
PLACES = [
    ("cn-jl-tumen", "Tumen", "CN", "Jilin", "투먼", "图们"),
    ("cn-ln-dandong", "Dandong", "CN", "Liaoning", "단둥", "丹东"),
    ("cn-jl-hunchun", "Hunchun", "CN", "Jilin", "훈춘", "珲春"),
    ("cn-jl-yanji", "Yanji", "CN", "Jilin", "연길", "延吉"),
    ("cn-ln-shenyang", "Shenyang", "CN", "Liaoning", "선양", "沈阳"),
    ("cn-yn-kunming", "Kunming", "CN", "Yunnan", "쿤밍", "昆明"),
    ("kp-nh-hoeryong", "Hoeryong", "KP", "North Hamgyong", "회령", "会宁"),
    ("kp-np-sinuiju", "Sinuiju", "KP", "North Pyongan", "신의주", "新义州"),
]
EVENT_TYPES = ("arrest", "detention", "transfer", "repatriation", "release")
STATUSES = ("arrested", "detained", "repatriated", "released", "unknown")
LEVELS = ("team", "organisation", "partners", "public")
FACILITIES = ("Tumen border detention centre", "Dandong detention centre", "Sinuiju holding")
OUTLETS = ("Border Watch Wire", "Daily Report", "연합통신", "边境新闻")

QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("english words: arrested children", {"query": "arrested children"}),
    ("korean: 강제북송", {"query": "강제북송"}),
    (
        "detention + incident, CN, 2021",
        {
            "query": "detention",
            "filters": {
                "kind": "incident",
                "country": "CN",
                "date_from": "2021-01-01",
                "date_to": "2021-12-31",
            },
        },
    ),
    (
        "filters only: repatriation, minors, Jilin",
        {"filters": {"event_type": "repatriation", "minors": True, "admin1": "Jilin"}},
    ),
    ("dandong, newest first, page 3", {"query": "Dandong", "sort": "newest", "page": 3}),
]


def _words(rng: random.Random, vocabulary: list[str], n: int, sep: str) -> str:
    return sep.join(rng.choice(vocabulary) for _ in range(n))


def generate(n: int, seed: int = 11) -> None:
    from refuge.web.accounts.models import Team
    from refuge.web.incidents.models import Event, Incident, Place, VictimGroup
    from refuge.web.sources.models import Source

    rng = random.Random(seed)
    team = Team.objects.create(name="Documentation", slug="docs")
    places = [
        Place.objects.create(
            gazetteer_id=g,
            name=nm,
            country=c,
            admin1=a,
            name_ko=ko,
            name_zh=zh,
            kind="city",
            precision="city",
        )
        for g, nm, c, a, ko, zh in PLACES
    ]
    now = time.time()
    from django.utils import timezone

    captured = timezone.now()
    base = date(2015, 1, 1)
    batch: list[Any] = []
    for i in range(n):
        language = ("en", "ko", "zh")[i % 3]
        vocabulary, sep = {"en": (EN, " "), "ko": (KO, " "), "zh": (ZH, "")}[language]
        text = _words(rng, vocabulary, rng.randint(40, 90), sep)
        if language == "en":
            text += " " + rng.choice(PLACES)[1]
        batch.append(
            Source(
                team=team,
                disclosure=LEVELS[i % 4],
                content_class="published",
                kind="text",
                sha256=f"{i:064x}",
                size=len(text),
                text=text,
                title=text[:60],
                outlet=rng.choice(OUTLETS),
                language=language,
                captured_at=captured,
                published=base + timedelta(days=rng.randrange(3650)),
                reliability=rng.choice("ABCDEF"),
            )
        )
        if len(batch) == 5000:
            Source.objects.bulk_create(batch)
            batch = []
    Source.objects.bulk_create(batch)
    incidents = []
    for i in range(n):
        title = f"{rng.choice(EN).capitalize()} near {rng.choice(PLACES)[1]}"
        incidents.append(
            Incident(
                public_id=f"I-{i:07d}",
                title=title,
                team=team,
                disclosure=LEVELS[(i + 1) % 4],
                status=rng.choice(STATUSES),
                summary=_words(rng, EN, rng.randint(15, 40), " "),
            )
        )
    Incident.objects.bulk_create(incidents, batch_size=5000)
    events, groups = [], []
    for incident in Incident.objects.only("id").iterator(chunk_size=5000):
        day = base + timedelta(days=rng.randrange(3650))
        for order in range(1, rng.choice((2, 3))):
            events.append(
                Event(
                    incident_id=incident.id,
                    order=order,
                    type=rng.choice(EVENT_TYPES),
                    date_start=day,
                    date_end=day,
                    date_precision="day",
                    place_precision="city",
                    facility=rng.choice(("", *FACILITIES)),
                )
            )
        groups.append(
            VictimGroup(
                incident_id=incident.id,
                description="North Koreans",
                minors=rng.choice((None, 0, 1, 3)),
            )
        )
    Event.objects.bulk_create(events, batch_size=5000)
    VictimGroup.objects.bulk_create(groups, batch_size=5000)
    through = Event.places.through
    links = [
        through(event_id=e, place_id=rng.choice(places).id)
        for e in Event.objects.values_list("id", flat=True).iterator(chunk_size=5000)
    ]
    through.objects.bulk_create(links, batch_size=5000)
    print(json.dumps({"generated_s": round(time.time() - now, 1)}), flush=True)


def _wait_turn(sync: str, engine: str, engines: list[str]) -> None:
    """Build in parallel, measure in turn: latency is measured with the other engine idle."""
    folder = Path(sync)
    (folder / f"built-{engine}").touch()
    mine = engines.index(engine)
    while not all((folder / f"built-{e}").exists() for e in engines) or not all(
        (folder / f"measured-{e}").exists() for e in engines[:mine]
    ):
        time.sleep(1)


def _stored_documents(engine: str, location: str) -> int:
    """How many index documents kept data holds (0 if absent or unreadable)."""
    try:
        if engine == "postgresql":
            import psycopg

            with psycopg.connect(location) as conn:
                row = conn.execute("SELECT count(*) FROM search_searchdocument").fetchone()
        else:
            import sqlite3

            if not Path(location).exists():
                return 0
            with sqlite3.connect(location) as conn:
                row = conn.execute("SELECT count(*) FROM search_searchdocument").fetchone()
    except Exception:  # absent database or table: nothing to reuse
        return 0
    return int(row[0]) if row else 0


def _prepare(engine: str, n: int, pg: str, keep: str | None) -> bool:
    """Point Django at the engine's database; True if kept data can be reused as is."""
    if keep and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", keep):
        raise SystemExit("--keep NAME: lower-case letters, digits and _ (a database name)")
    if keep:
        data_dir = Path(__file__).resolve().parent / "out" / f"{keep}-sqlite"
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="refuge-bench-search-"))
    name = keep or "refuge_bench"
    sqlite_file = data_dir / "refuge.sqlite3"
    location = f"{pg}/{name}" if engine == "postgresql" else str(sqlite_file)
    reuse = bool(keep) and _stored_documents(engine, location) == 2 * n
    if engine == "postgresql" and not reuse:
        import psycopg

        with psycopg.connect(pg + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    if engine == "sqlite" and not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["REFUGE_DATA_DIR"] = str(data_dir)
    os.environ["REFUGE_KEY_FILE"] = str(data_dir / "master.key")
    os.environ["DJANGO_SETTINGS_MODULE"] = "refuge.web.settings"
    if engine == "postgresql":
        os.environ["DATABASE_URL"] = location
    else:
        os.environ.pop("DATABASE_URL", None)
    return reuse


def child(
    engine: str,
    n: int,
    runs: int,
    pg: str,
    sync: str,
    engines: list[str],
    keep: str | None = None,
    reindex: bool = False,
) -> None:
    reuse = _prepare(engine, n, pg, keep)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from datetime import date as day

    from refuge.search import SearchFilters
    from refuge.web.accounts.models import User
    from refuge.web.search.selectors import search
    from refuge.web.search.services import search_rebuild

    if reuse:
        print(json.dumps({"reused": keep}), flush=True)
    else:
        generate(n)
    if not reuse or reindex:
        started = time.perf_counter()
        documents = search_rebuild()
        elapsed = round(time.perf_counter() - started, 1)
        print(json.dumps({"indexed": documents, "index_s": elapsed}), flush=True)
        if engine == "postgresql":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    _wait_turn(sync, engine, engines)
    from refuge.web.accounts.models import Team

    # Never saved: the policy reads only the role, the team and the account flags.
    analyst = User(username="analyst", role="analyst", team=Team.objects.get(slug="docs"))
    load_before = os.getloadavg()[0]
    for name, spec in QUERIES:
        raw = dict(spec.get("filters", {}))
        for key in ("date_from", "date_to"):
            if key in raw:
                raw[key] = day.fromisoformat(raw[key])
        args = {k: v for k, v in spec.items() if k != "filters"}
        times = []
        total = 0
        for i in range(3 + runs):
            started = time.perf_counter()
            results = search(user=analyst, filters=SearchFilters(**raw), **args)
            elapsed = (time.perf_counter() - started) * 1000
            total = results.total
            if i >= 3:
                times.append(elapsed)
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(
            json.dumps(
                {"query": name, "total": total, "p50": statistics.median(times), "p95": p95}
            ),
            flush=True,
        )
    load = {"load_before": load_before, "load_after": os.getloadavg()[0]}
    print(json.dumps({**load, "cores": os.cpu_count()}), flush=True)
    (Path(sync) / f"measured-{engine}").touch()
    if engine == "postgresql" and not keep:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(pg + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS refuge_bench")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", metavar="NAME", help="keep the data under NAME, reuse it")
    parser.add_argument("--reindex", action="store_true", help="with --keep: rebuild the index")
    parser.add_argument("--no-record", action="store_true", help="print, leave RESULTS.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--sync", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(
            args.child,
            args.n,
            args.runs,
            args.pg,
            args.sync,
            args.engines.split(","),
            keep=args.keep,
            reindex=args.reindex,
        )
        return
    lines = [
        f"{args.n:,} sources and {args.n:,} incidents (seeded, generated by the benchmark), "
        f"searched as an analyst; {args.runs} runs per query after 3 warm-ups; "
        "each run = policy + words + filters + total + facets (up to 5,000 matches) + one "
        "page of 20 with snippets. Relevance sorting gives way to newest above 5,000 "
        "matches (refuge.web.search.selectors.FACET_LIMIT, RANK_LIMIT).",
        "",
        "| engine | query | hits | p50 ms | p95 ms |",
        "|---|---|---:|---:|---:|",
    ]
    notes = []
    engines = args.engines.split(",")
    sync = tempfile.mkdtemp(prefix="refuge-bench-sync-")
    children = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--child",
                engine,
                "--n",
                str(args.n),
                "--runs",
                str(args.runs),
                "--pg",
                args.pg,
                "--sync",
                sync,
                "--engines",
                args.engines,
                *(["--keep", args.keep] if args.keep else []),
                *(["--reindex"] if args.reindex else []),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for engine in engines
    ]
    for engine, process in zip(engines, children, strict=True):
        out, _ = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"the {engine} run failed")
        for line in out.splitlines():
            if not line.startswith("{"):
                continue
            row = json.loads(line)
            print(engine, row, flush=True)
            if "query" in row:
                lines.append(
                    f"| {engine} | {row['query']} | {row['total']:,} | "
                    f"{row['p50']:.0f} | {row['p95']:.0f} |"
                )
            elif "load_before" in row:
                notes.append(
                    f"- {engine}: load average (1 min) {row['load_before']:.1f} before and "
                    f"{row['load_after']:.1f} after measuring, on {row['cores']} cores"
                )
            elif "reused" in row:
                notes.append(f"- {engine}: data and index kept from an earlier run")
            elif "index_s" in row:
                notes.append(
                    f"- {engine}: index rebuilt ({row['indexed']:,} documents) "
                    f"in {row['index_s']} s (both engines building at once)"
                )
    if not args.no_record:
        record("Search latency", command_line(), [*lines, "", *notes])


if __name__ == "__main__":
    main()
