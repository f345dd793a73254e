"""Real-browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Never a browser that a tool downloads: only /usr/bin/chromium from Debian's package. Where it is
missing, every test here is skipped with one reason, unless E2E_REQUIRED=1 (CI), where they fail.
"""

import json
import os
from pathlib import Path

import pytest

# Overridable only so that the skip and failure paths can themselves be tried out.
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("E2E_REQUIRED") == "1"
# The machine's network is closed: without these, Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--no-default-browser-check",
]
MISSING = f"{CHROMIUM} not found: `apt-get install chromium` to run the browser tests"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Reported through a binding rather than the console so that each violation arrives whole.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__e2eReportCsp(JSON.stringify({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  }));
});
"""

# Lists the elements that stick out past the right edge, to make an overflow failure readable.
OVERFLOW_SCRIPT = """
() => {
  const root = document.documentElement;
  const limit = root.clientWidth;
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > limit + 0.5) {
      const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [];
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + classes.filter(Boolean).map((c) => "." + c).join("");
      culprits.push(name + " right=" + Math.round(box.right));
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: limit, innerWidth: window.innerWidth,
          culprits: culprits.slice(0, 15)};
}
"""


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if not (report.skipped and item.get_closest_marker("e2e")):
        return report
    if REQUIRED:
        # In CI a skipped browser test is a test that did not run: count it as a failure.
        report.outcome = "failed"
        report.longrepr = f"skipped although E2E_REQUIRED=1: {report.longrepr}"
    elif isinstance(report.longrepr, tuple) and report.longrepr[2].endswith(MISSING):
        # Pytest would print this reason once per test; one line for all of them says it better.
        report.longrepr = (__file__, None, MISSING)
    return report


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if REQUIRED:
            pytest.fail(f"E2E_REQUIRED=1 but {MISSING}", pytrace=False)
        pytest.skip(MISSING)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while it is started.
    # Django then refuses ORM calls from the thread, and keeps its database connections for
    # the thread apart from those made before (asgiref's Local switches to per-context
    # storage). The tests are synchronous code that only happens to share the thread, so the
    # guard is lifted while the browser runs, and the new connections get the database
    # contents serialized at setup, which serialized rollback restores before each test.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        # The connections made while the loop ran are not seen again once it stops: close them,
        # so that PostgreSQL can drop the test database at the end.
        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def e2e_settings(settings):
    """Serve uploaded photos and renditions from the per-test MEDIA_ROOT, as the web server would."""
    settings.ROOT_URLCONF = "tests.e2e.urls"
    return settings


class Tab:
    """A page in its own browser context that records everything a reader should never see."""

    def __init__(self, context, base_url):
        self.context = context
        self.base_url = base_url
        self.console_errors = []
        self.page_errors = []
        self.csp_violations = []
        self.failed_requests = []
        context.expose_function("__e2eReportCsp", lambda data: self.csp_violations.append(json.loads(data)))
        context.add_init_script(CSP_LISTENER)
        self.page = self.new_page()

    def new_page(self):
        """Another page in the same context (same login), watched like the first."""
        page = self.context.new_page()
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{error} ({page.url})"))
        page.on("requestfailed", self._on_request_failed)
        return page

    def _on_request_failed(self, request):
        # The page itself cancelled it (Select2 drops a search when the next key is typed).
        if request.failure != "net::ERR_ABORTED":
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def goto(self, path, expect_status=200):
        response = self.page.goto(self.base_url + path)
        assert response is not None
        assert response.status == expect_status, f"{path} answered {response.status}"
        self.page.wait_for_load_state("load")
        return response

    def assert_no_errors(self):
        # Late requests (the favicon, lazy images) finish first, and pending reports arrive.
        self.page.wait_for_load_state("networkidle")
        self.page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 0))")
        problems = {
            "CSP violations": self.csp_violations,
            "console errors": self.console_errors,
            "uncaught script errors": self.page_errors,
            "failed requests": self.failed_requests,
        }
        problems = {kind: found for kind, found in problems.items() if found}
        assert not problems, "\n".join(f"{kind}: {found}" for kind, found in problems.items())

    def assert_no_horizontal_overflow(self):
        report = self.page.evaluate(OVERFLOW_SCRIPT)
        assert report["scrollWidth"] <= report["clientWidth"], f"page scrolls sideways: {report}"

    def assert_accessible(self):
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def open_tab(browser, live_server, e2e_settings, django_db_serialized_rollback):
    """open_tab(width="phone"|"desktop", **context_options) -> Tab, closed after the test.

    The live server needs a real, committed database, emptied after each test; serialized
    rollback puts back what the migrations created (the Editor and Contributor groups) first.
    """
    contexts = []

    def open_tab(width="desktop", **options):
        if width == "phone":
            options = {"viewport": PHONE, "is_mobile": True, "has_touch": True, **options}
        else:
            options = {"viewport": DESKTOP, **options}
        context = browser.new_context(base_url=live_server.url, **options)
        # Long enough for a slow CI machine, short enough that a broken page fails quickly.
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Tab(context, live_server.url)

    yield open_tab
    for context in contexts:
        context.close()
