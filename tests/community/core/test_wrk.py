"""wrk's report, read (community.core.wrk), and the script that counts the page cache."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from community.core.wrk import parse_wrk, run_wrk

REPORT = """\
Running 10s test @ http://127.0.0.1:41231/ideas/?sort=hot
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   512.31ms  201.70ms   2.10s    71.02%
    Req/Sec    16.20      8.11    40.00     66.31%
  Latency Distribution
     50%  480.12ms
     75%  610.00ms
     90%  790.55ms
     99%    1.35s
  312 requests in 10.02s, 14.80MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:     31.14
Transfer/sec:      1.48MB
page-cache: 290 300
"""

FAST_REPORT = """\
Running 1s test @ http://127.0.0.1:41231/bench/hello/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.00us  101.00us   3.00ms   90.00%
    Req/Sec     9.80k   400.00    10.20k    80.00%
  Latency Distribution
     50%  800.00us
     75%  850.00us
     90%  900.00us
     99%    1.20ms
  19600 requests in 1.00s, 2.80MB read
Requests/sec:  19600.00
Transfer/sec:      2.80MB
"""


def test_a_report_gives_rate_percentiles_errors_and_page_cache_hits():
    result = parse_wrk(REPORT)

    assert result.requests == 312
    assert result.seconds == pytest.approx(10.02)
    assert result.rate == pytest.approx(31.14)
    assert result.latency_ms == pytest.approx({50: 480.12, 75: 610.0, 90: 790.55, 99: 1350.0})
    assert result.errors == 5
    assert result.non_2xx == 4
    assert (result.cache_hits, result.cache_seen) == (290, 300)
    assert result.cache_ratio == pytest.approx(290 / 300)


def test_microseconds_and_a_clean_run_without_the_page_cache():
    result = parse_wrk(FAST_REPORT)

    assert result.rate == 19600.0
    assert result.latency_ms[50] == pytest.approx(0.8)
    assert result.latency_ms[99] == pytest.approx(1.2)
    assert (result.errors, result.non_2xx) == (0, 0)
    assert result.cache_ratio is None  # no response said anything about a page cache


def test_output_that_is_not_a_report_is_refused():
    with pytest.raises(ValueError, match="Not a wrk report"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


class _Pages(BaseHTTPRequestHandler):
    """/hit/ and /miss/ say so in X-Page-Cache (as servers do, in lower case); /plain/ not."""

    protocol_version = "HTTP/1.1"
    seen: list[str] = []

    def do_GET(self):
        self.seen.append(self.path)
        self.send_response(200)
        if self.path != "/plain/":
            self.send_header("x-page-cache", self.path.strip("/").upper())
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def pages_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_wrk_takes_the_paths_in_turn_and_counts_page_cache_hits(pages_url):
    _Pages.seen = []

    result = run_wrk(pages_url, ["/hit/", "/miss/", "/plain/"], duration=1, connections=2)

    assert result.requests > 0 and result.non_2xx == 0
    assert {"/hit/", "/miss/", "/plain/"} <= set(_Pages.seen)
    # Only the two paths with the header count, and only /hit/ as a hit.
    hits = _Pages.seen.count("/hit/")
    assert 0 < result.cache_hits <= hits
    assert result.cache_hits < result.cache_seen < len(_Pages.seen)
