"""axe-core on every page type, signed out, as a member and as staff, at 1280 and
390 px: no serious or critical WCAG 2.2 AA violation.

axe-core is the npm package pinned in package-lock.json (`make test` runs
`npm ci`); Playwright injects it into each page. The test prints the count of
violations per page and impact, and writes every finding to
test-artifacts/axe-report.json.
"""

import json
from collections import Counter

import pytest

from tests.browser.conftest import AXE_JS, ROOT

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]
BLOCKING = {"serious", "critical"}
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
REPORT = ROOT / "test-artifacts" / "axe-report.json"


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
            "summary": violation["nodes"][0].get("failureSummary", "")[:300],
        }
        for violation in result["violations"]
    ]


def _record(audience: str, findings: dict) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    report = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    report[audience] = findings
    REPORT.write_text(json.dumps(report, indent=2))


@pytest.mark.parametrize("audience", ["visitor", "member", "staff"])
def test_no_serious_or_critical_axe_violations(
    audience, site_tour, live_server_url, open_context, capsys
):
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run `npm ci` (make test does)"
    user = {"visitor": None, "member": site_tour.member, "staff": site_tour.staff}[audience]
    page = open_context(width=1280, user=user)
    findings, lines, blocking = {}, [], []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in site_tour.pages[audience]:
            response = page.goto(live_server_url + path)
            assert response.status == 200, f"{name} {path}: {response.status}"
            page.wait_for_load_state("load")
            violations = axe_violations(page)
            findings[f"{name}@{width}"] = violations
            impacts = Counter(v["impact"] for v in violations)
            serious = sum(impacts[i] for i in BLOCKING)
            lines.append(
                f"axe {audience:7} {width:4}px {name:18} serious+critical={serious} "
                f"moderate={impacts['moderate']} minor={impacts['minor']}"
            )
            blocking += [
                f"{width}px {name}: {v['impact']} {v['id']} ({v['help']}) at {v['targets']}"
                f" — {v['summary']}"
                for v in violations
                if v["impact"] in BLOCKING
            ]
    _record(audience, findings)
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert not blocking, "\n".join(blocking)
