"""Benchmark the site over real HTTP with wrk, on the production server stack (issue #16).

Loads the large community (100,000 ideas, 1,000,000 votes; a second run reuses
it), serves it with production's settings plus two bare views
(community.settings.bench: DEBUG off, production middleware, the Redis cache and
channel layer, PostgreSQL through the pool) by a real ASGI server with two worker
processes, and runs wrk against each page in turn, side by side with
/bench/hello/ (no template, no query) and /bench/select1/ (one query) on the
same stack. Prints requests/s, p50 and p99 latency and each page's rate as a
share of hello's, against the targets: anonymous list and idea page at least
half of hello's rate, signed-in list and idea page a quarter, p99 under 100 ms
at 16 connections.

`--compare` serves hello, the list and the idea page with each ASGI server in
turn (uvicorn, granian, gunicorn with uvicorn workers), to choose one on the
evidence. Run it with `make bench-http` (or `make bench`), which starts
throwaway PostgreSQL, Redis and Elasticsearch servers.
"""

import http.client
import os
import secrets
import statistics
import subprocess
import sys
from http.cookies import SimpleCookie
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from cms.services import home_page_ensure
from community.core import bench
from community.core.wrk import WrkResult, require_wrk, run_wrk
from community.models import User
from ideas.management.benchmark import add_community_arguments, community_ready
from ideas.models import Comment, Idea
from search import api as search

# The load balancer's header (docs/haproxy.cfg): production redirects plain HTTP to
# HTTPS, and sets secure cookies, exactly as it would behind the balancer.
FORWARDED = {"X-Forwarded-Proto": "https"}
IDEA_PAGES = 50  # the idea page target takes these in turn
SIGN_IN_PASSWORD = secrets.token_urlsafe(16)


class Target(NamedTuple):
    name: str
    paths: list[str]
    signed_in: bool = False
    goal: float | None = None  # the least share of hello's requests/s (issue #16)


class Row(NamedTuple):
    target: Target
    result: WrkResult
    cpu_ms: float  # the server's CPU (all its processes) per request wrk counted
    load: float


P99_GOAL_MS = 100.0


class Command(BaseCommand):
    help = "Serve the site on the production stack and load it with wrk, beside a bare view."

    def add_arguments(self, parser):
        add_community_arguments(
            parser, requests_help="Not used here (wrk runs for --duration); make bench passes it."
        )
        parser.add_argument(
            "--server", choices=bench.ASGI_SERVERS, default="gunicorn", help="The ASGI server."
        )
        parser.add_argument("--workers", type=int, default=2, help="Worker processes.")
        parser.add_argument("--duration", type=int, default=10, help="Seconds of wrk per target.")
        parser.add_argument(
            "--warmup", type=int, default=2, help="Seconds of wrk per target before it is timed."
        )
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
        parser.add_argument(
            "--compare",
            action="store_true",
            help="hello, the list and the idea page under each ASGI server in turn.",
        )
        parser.add_argument(
            "--only",
            default="",
            help="Load only the targets whose names contain this text (hello is always "
            'loaded, the measure of the others): "signed in", "idea page".',
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=1,
            help="With --compare: rounds of all servers, every other one in reverse order "
            "(the machine's other load drifts).",
        )

    def handle(self, *args, **options):
        bench.require_postgresql()
        require_wrk()
        missing = [name for name in ("REDIS_URL", "ELASTICSEARCH_URL") if not os.environ.get(name)]
        if missing:
            raise CommandError(
                f"The production settings need {' and '.join(missing)} (make bench sets them)."
            )
        rng = community_ready(**options, say=self.stdout.write)
        self.stdout.write(
            f"Ideas: {Idea.objects.count():,}  comments: {Comment.objects.count():,}  "
            f"members: {User.objects.count():,}"
        )
        ideas = list(Idea.objects.values_list("pk", flat=True))
        idea_paths = [
            idea.get_absolute_url()
            for idea in Idea.objects.filter(pk__in=rng.sample(ideas, min(IDEA_PAGES, len(ideas))))
        ]
        if not search.index_holds_every_idea():
            self.stdout.write("Building the search index (idea pages ask it for related ideas)…")
            # Creating and filling an index on a busy machine can take longer than the
            # short timeout that suits a page's search.
            with override_settings(SEARCH_TIMEOUT=max(settings.SEARCH_TIMEOUT, 60.0)):
                call_command("search_index", "rebuild", stdout=self.stdout)
        home_page_ensure()  # the home page is one of the targets; a flushed database has none
        member = self._member()
        env = self._environment()
        self._collectstatic(env)

        targets = [
            target
            for target in self._targets(idea_paths)
            if target.name == "hello" or options["only"] in target.name
        ]
        if options["compare"]:
            keep = {"hello", "list, hot", "idea page"}
            targets = [target for target in targets if target.name in keep]
            runs = []
            for round_ in range(1, options["rounds"] + 1):
                servers = bench.ASGI_SERVERS[:: 1 if round_ % 2 else -1]
                for server in servers:
                    runs.append((server, round_, *self._run(server, targets, member, env, options)))
            self._print_comparison(sorted(runs, key=lambda run: run[:2]))
        else:
            self._run(options["server"], targets, member, env, options)

    # --- set-up ---------------------------------------------------------------------------

    def _environment(self) -> dict[str, str]:
        """What the served processes need beyond this one's environment."""
        return {
            "DJANGO_SETTINGS_MODULE": "community.settings.bench",
            "SECRET_KEY": secrets.token_urlsafe(50),  # one per run: its sessions, its own
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "false",
            "SEARCH_INDEX_PREFIX": settings.SEARCH_INDEX_PREFIX,  # the index built here
        }

    def _collectstatic(self, env: dict[str, str]) -> None:
        """Production's manifest of static files (the pages name hashed files)."""
        done = subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "collectstatic"]
            + ["--noinput", "-v0"],
            env=os.environ | {"DATABASE_URL": bench.database_url()} | env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise CommandError(f"collectstatic failed: {done.stderr[-2000:]}")

    def _member(self) -> User:
        """A member of the community who signs in with a password, as members do."""
        member = User.objects.filter(username__startswith="bench").order_by("pk").first()
        if member is None:
            raise CommandError("The community has no bench members.")
        # Hashed as production checks it, whatever this process's settings use (the
        # tests' MD5): the served site verifies it.
        hasher = PBKDF2PasswordHasher()
        member.password = hasher.encode(SIGN_IN_PASSWORD, hasher.salt())
        member.save(update_fields=["password"])
        return member

    def _targets(self, idea_paths: list[str]) -> list[Target]:
        anonymous = [
            Target("hello", ["/bench/hello/"]),
            Target("select1", ["/bench/select1/"]),
            Target("list, hot", ["/ideas/?sort=hot"], goal=0.5),
            Target("list, new", ["/ideas/?sort=new"], goal=0.5),
            Target("list, top", ["/ideas/?sort=top"], goal=0.5),
            Target("list, one area, top", ["/ideas/?category=area-3&sort=top"], goal=0.5),
            Target("list, page 2", ["/ideas/?sort=hot&page=2"], goal=0.5),
            Target("idea page", idea_paths, goal=0.5),
            Target("home page", ["/"]),
            Target("roadmap", ["/roadmap/"]),
            Target("listening report", ["/listening/"]),
        ]
        signed_in = [
            Target("signed in: list, hot", ["/ideas/?sort=hot"], signed_in=True, goal=0.25),
            Target("signed in: idea page", idea_paths, signed_in=True, goal=0.25),
        ]
        return anonymous + signed_in

    # --- measurement ----------------------------------------------------------------------

    def _run(self, server: str, targets: list[Target], member, env, options):
        """Serve the site with `server` and load each target; the rows and the memory."""
        duration, connections = options["duration"], options["connections"]
        with bench.serve(server, workers=options["workers"], env=env) as served:
            cookie = self._sign_in(served.url, member)
            self.stdout.write(
                f"\n{server}, {options['workers']} workers, production settings "
                f"(community.settings.bench); wrk -t{options['threads']} -c{connections} "
                f"-d{duration}s --latency, {options['warmup']} s warm-up per target; "
                f"load average {bench.load_average():.1f}"
            )
            self.stdout.write(_header())
            rows, hello = [], None
            for target in targets:
                headers = FORWARDED | ({"Cookie": cookie} if target.signed_in else {})
                _check(served.url, target.paths[0], headers, target)
                if options["warmup"]:
                    _load(served, target, headers, options["warmup"], options)
                result, cpu_ms = _load(served, target, headers, duration, options)
                row = Row(target, result, cpu_ms, bench.load_average())
                hello = hello or (result.rate if target.name == "hello" else None)
                rows.append(row)
                self.stdout.write(_row(row, hello))
            memory = bench.process_tree_rss_mib(served.pid)
        self.stdout.write(f"Memory of the server and its workers after the run: {memory:.0f} MiB")
        goals = [row for row in rows if row.target.goal is not None]
        met = [row for row in goals if _meets(row, hello)]
        self.stdout.write(
            f"Targets (issue #16): anonymous list and idea page >= 0.50 x hello's requests/s, "
            f"signed in >= 0.25 x, p99 < {P99_GOAL_MS:.0f} ms: {len(met)} of {len(goals)} met"
        )
        return rows, memory

    def _sign_in(self, base: str, member: User) -> str:
        """Sign the member in through the site's own form; the Cookie header it earns."""
        status, headers, _ = _request(base, "GET", "/accounts/login/", FORWARDED)
        cookies = _cookies(headers)
        if status != 200 or "csrftoken" not in cookies:
            raise CommandError(f"The sign-in page answered {status} without a CSRF cookie.")
        origin = "https://" + urlsplit(base).netloc
        status, headers, body = _request(
            base,
            "POST",
            "/accounts/login/",
            FORWARDED
            | {
                "Cookie": _cookie_header(cookies),
                "Origin": origin,
                "Referer": origin + "/accounts/login/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            urlencode(
                {
                    "csrfmiddlewaretoken": cookies["csrftoken"],
                    "login": member.email,
                    "password": SIGN_IN_PASSWORD,
                }
            ).encode(),
        )
        cookies |= _cookies(headers)
        if status != 302 or "sessionid" not in cookies:
            raise CommandError(f"Signing in answered {status} without a session: {body[:300]!r}")
        status, headers, _ = _request(
            base, "GET", "/account/profile/", FORWARDED | {"Cookie": _cookie_header(cookies)}
        )
        if status != 200:
            raise CommandError(f"The signed-in profile page answered {status}.")
        # As a browser keeps its jar: the page showed the "signed in" message and deleted
        # its cookie. Kept, every request would have a message waiting and be drawn fresh.
        return _cookie_header(_jar_after(cookies, headers))

    def _print_comparison(self, runs: list[tuple[str, int, list[Row], float]]) -> None:
        names = [row.target.name for row in runs[0][2]]
        self.stdout.write(
            "\nASGI servers side by side: requests/s / p99 ms / server CPU ms per request"
        )
        self.stdout.write(
            f"{'server':<10} {'round':>5}" + "".join(f"{name:>22}" for name in names) + "   MiB"
        )
        for server, round_, rows, memory in runs:
            cells = "".join(_cell(row.result.rate, _p99(row), row.cpu_ms) for row in rows)
            self.stdout.write(f"{server:<10} {round_:>5}{cells} {memory:>5.0f}")
        if len({run[1] for run in runs}) > 1:
            self.stdout.write("median of the rounds:")
            for server in dict.fromkeys(run[0] for run in runs):
                mine = [run[2] for run in runs if run[0] == server]
                cells = "".join(
                    _cell(
                        statistics.median(rows[n].result.rate for rows in mine),
                        statistics.median(_p99(rows[n]) for rows in mine),
                        statistics.median(rows[n].cpu_ms for rows in mine),
                    )
                    for n in range(len(names))
                )
                self.stdout.write(f"{server:<10} {'':>5}{cells}")


def _p99(row: Row) -> float:
    return row.result.latency_ms.get(99, 0.0)


def _cell(rate: float, p99: float, cpu_ms: float) -> str:
    return f"{f'{rate:,.1f} / {p99:,.0f} / {cpu_ms:.1f}':>22}"


# --- one request, and the table ------------------------------------------------------------


def _request(base: str, method: str, path: str, headers: dict, body: bytes | None = None):
    """One request, redirects not followed: (status, header pairs, body)."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def _jar_after(cookies: dict[str, str], headers: list[tuple[str, str]]) -> dict[str, str]:
    """The cookies once a response's Set-Cookie headers are applied (deletions too)."""
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    kept = dict(cookies)
    for name, morsel in jar.items():
        if morsel.value == "" or morsel["max-age"] == "0":
            kept.pop(name, None)
        else:
            kept[name] = morsel.value
    return kept


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _check(base: str, path: str, headers: dict, target: Target) -> None:
    """The page answers 200 before wrk times it: a benchmark of an error page says nothing."""
    status, _, body = _request(base, "GET", path, headers)
    if status != 200:
        raise CommandError(f"{target.name}: {path} answered {status}: {body[:300]!r}")


def _load(served, target: Target, headers: dict, seconds: int, options):
    """wrk's result, and the server's CPU milliseconds per request it counted (on a
    machine shared with other work, CPU per request moves less than requests/s)."""
    cpu = bench.process_tree_cpu_seconds(served.pid)
    result = run_wrk(
        served.url, target.paths, duration=seconds, headers=headers,
        connections=options["connections"], threads=options["threads"],
    )  # fmt: skip
    cpu = bench.process_tree_cpu_seconds(served.pid) - cpu
    bench.wait_until_idle(served.pid)  # what wrk left queued in the workers, done
    return result, (cpu * 1000 / result.requests if result.requests else 0.0)


def _meets(row: Row, hello: float | None) -> bool:
    p99 = row.result.latency_ms.get(99, float("inf"))
    return bool(hello) and row.result.rate / hello >= row.target.goal and p99 < P99_GOAL_MS


def _header() -> str:
    return (
        f"{'target':<24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'x hello':>8} "
        f"{'goal':>7} {'met':>4} {'CPU ms':>7} {'errors':>7} {'cache hit':>9} {'load':>5}"
    )


def _row(row: Row, hello: float | None) -> str:
    result, target = row.result, row.target
    ratio = f"{result.rate / hello:.2f}" if hello else "-"
    goal, met = "", ""
    if target.goal is not None:
        goal, met = f">={target.goal:.2f}", "yes" if _meets(row, hello) else "no"
    cache = "-" if result.cache_ratio is None else f"{result.cache_ratio:.0%}"
    return (
        f"{target.name:<24} {result.rate:>8,.1f} {result.latency_ms.get(50, 0):>8.1f} "
        f"{result.latency_ms.get(99, 0):>8.1f} {ratio:>8} {goal:>7} {met:>4} "
        f"{row.cpu_ms:>7.1f} {result.errors + result.non_2xx:>7} {cache:>9} {row.load:>5.1f}"
    )
