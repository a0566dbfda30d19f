"""wrk, the HTTP load generator `manage.py bench_http` drives: run it, read its report.

wrk comes from Debian (scripts/system-deps.sh). Each run goes through a small Lua
script that takes its paths in turn (one idea page or many) and counts the
responses that carry `X-Page-Cache`, so a cached site shows how often the cache
answered.
"""

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

from django.core.management.base import CommandError

# The percentiles wrk's --latency prints.
PERCENTILES = (50, 75, 90, 99)

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_TIME = r"([\d.]+)(us|ms|s|m|h)"


class WrkResult(NamedTuple):
    requests: int
    seconds: float
    rate: float  # requests per second
    latency_ms: dict[int, float]  # percentile: milliseconds
    errors: int  # connect, read, write errors and timeouts
    non_2xx: int  # responses outside 2xx and 3xx
    cache_hits: int  # responses whose X-Page-Cache said hit
    cache_seen: int  # responses with an X-Page-Cache header at all

    @property
    def cache_ratio(self) -> float | None:
        return self.cache_hits / self.cache_seen if self.cache_seen else None


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS_MS[unit]


def parse_wrk(text: str) -> WrkResult:
    """What a `wrk --latency` run printed (with the script's page-cache line, if any)."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    total = re.search(rf"^\s*(\d+) requests in {_TIME}", text, re.M)
    if not rate or not total:
        raise ValueError(f"Not a wrk report: {text[:300]!r}")
    latency = {
        int(pct): _ms(value, unit)
        for pct, value, unit in re.findall(rf"^\s+(\d+)%\s+{_TIME}\s*$", text, re.M)
    }
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    cache = re.search(r"^page-cache: (\d+) (\d+)$", text, re.M)
    return WrkResult(
        requests=int(total[1]),
        seconds=_ms(total[2], total[3]) / 1000,
        rate=float(rate[1]),
        latency_ms=latency,
        errors=sum(int(n) for n in errors.groups()) if errors else 0,
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        cache_hits=int(cache[1]) if cache else 0,
        cache_seen=int(cache[2]) if cache else 0,
    )


# Each thread takes the paths in turn from its own starting point; response() reads
# the headers (their case differs between servers) for the page cache's answer.
_SCRIPT = """
paths = %(paths)s
hits, seen, n = 0, 0, 0
local threads = {}
function setup(thread)
  thread:set("n", #threads %% #paths)
  table.insert(threads, thread)
end
function request()
  n = n %% #paths + 1
  return wrk.format(nil, paths[n])
end
function response(status, headers, body)
  for name, value in pairs(headers) do
    if string.lower(name) == "x-page-cache" then
      seen = seen + 1
      if string.sub(string.lower(value), 1, 3) == "hit" then hits = hits + 1 end
    end
  end
end
function done(summary, latency, requests)
  local h, s = 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    s = s + thread:get("seen")
  end
  io.write(string.format("page-cache: %%d %%d\\n", h, s))
end
"""


def _lua_table(paths: list[str]) -> str:
    if not paths or not all(path.isascii() and path.startswith("/") for path in paths):
        raise ValueError(f"wrk needs ASCII paths from the root: {paths!r}")
    # A JSON string of ASCII text is a Lua string literal too.
    return "{" + ", ".join(json.dumps(path) for path in paths) + "}"


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise CommandError(
            "wrk is not installed: run `bash scripts/system-deps.sh` (make bench does)."
        )
    return found


def run_wrk(
    base_url: str,
    paths: list[str],
    *,
    duration: int,
    connections: int,
    threads: int = 2,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    """`wrk --latency` against base_url for `duration` seconds, the paths in turn."""
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script = Path(tmp) / "paths.lua"
        script.write_text(_SCRIPT % {"paths": _lua_table(paths)})
        argv = [
            require_wrk(), f"-t{min(threads, connections)}", f"-c{connections}",
            f"-d{duration}s", "--latency",
            # wrk drops a response slower than its timeout (2 s) from the latencies;
            # a long one keeps the slow tail in p99, where it belongs.
            "--timeout", "30s", "-s", str(script),
        ]  # fmt: skip
        for name, value in (headers or {}).items():
            argv += ["-H", f"{name}: {value}"]
        done = subprocess.run(
            [*argv, base_url + paths[0]], capture_output=True, text=True, timeout=duration + 60
        )
    if done.returncode != 0:
        raise CommandError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)
