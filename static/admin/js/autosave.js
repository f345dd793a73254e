/* Autosave of drafts: a few seconds after the editor stops typing (and at
 * least every few seconds while they keep on), the whole form is sent to
 * the admin as an ordinary save marked "_autosave". The server keeps a
 * draft a draft, records a revision and answers with JSON: the new version
 * of the interview, and the ids of the rows it created, which this script
 * writes into their forms so that the next save updates them.
 *
 * Someone else's newer save is never overwritten: the server refuses, says
 * who saved, and autosave stops. Leaving the page sends what is pending.
 */
"use strict";
{
    const QUIET = 2000; // After the last change, wait this long...
    const AT_MOST = 8000; // ...but never longer than this while changes keep coming.

    function setUp() {
        const form = document.getElementById("article_form");
        const status = form && form.querySelector("select[name=status][data-autosave]");
        if (!status || status.dataset.autosave !== "on") {
            return;
        }
        // What the form says, leaving out what only bookkeeping changes (ids, versions, tokens):
        // widgets that announce a "change" as they start up cause no save.
        const ignored = /(^csrfmiddlewaretoken$|^loaded_version$|-id$|-INITIAL_FORMS$)/;
        const snapshot = () =>
            JSON.stringify(Array.from(new FormData(form)).filter(([name]) => !ignored.test(name)));
        const state = {
            dirty: false,
            timer: null,
            firstChange: 0,
            inFlight: null,
            stopped: false,
            saved: snapshot(),
        };
        const line = document.createElement("p");
        line.className = "autosave-status";
        line.setAttribute("role", "status");
        line.textContent = "Autosave is on: drafts are saved as you type.";
        form.querySelector("div").prepend(line);

        function show(text, problem) {
            line.textContent = text;
            line.classList.toggle("autosave-status--problem", Boolean(problem));
        }

        function schedule() {
            if (state.stopped) {
                return;
            }
            const now = Date.now();
            if (!state.dirty) {
                state.firstChange = now;
            }
            state.dirty = true;
            window.clearTimeout(state.timer);
            const wait = Math.max(0, Math.min(QUIET, state.firstChange + AT_MOST - now));
            state.timer = window.setTimeout(save, wait);
        }

        function field(name) {
            let input = form.querySelector(`[name="${name}"]`);
            if (!input) {
                input = document.createElement("input");
                input.type = "hidden";
                input.name = name;
                form.append(input);
            }
            return input;
        }

        function apply(answer) {
            field("loaded_version").value = answer.version;
            for (const [prefix, rows] of Object.entries(answer.rows)) {
                for (const [index, pk] of Object.entries(rows)) {
                    field(`${prefix}-${index}-id`).value = pk;
                }
                // Every row is now either saved (it has an id) or still new (it has none).
                field(`${prefix}-INITIAL_FORMS`).value = field(`${prefix}-TOTAL_FORMS`).value;
            }
            if (answer.change_url && window.location.pathname !== answer.change_url) {
                window.history.replaceState(null, "", answer.change_url);
                form.action = answer.change_url;
            }
        }

        function save(options = {}) {
            window.clearTimeout(state.timer);
            if (!state.dirty || state.stopped) {
                return Promise.resolve();
            }
            if (state.inFlight) {
                // One at a time: the next one carries the version this one gets back.
                return state.inFlight.then(() => save(options));
            }
            state.dirty = false;
            const sent = snapshot();
            if (sent === state.saved) {
                return Promise.resolve();
            }
            const data = new FormData(form);
            data.append("_autosave", "1");
            state.inFlight = fetch(form.action || window.location.href, {
                method: "POST",
                body: data,
                credentials: "same-origin",
                keepalive: Boolean(options.leaving),
                headers: {"X-Requested-With": "autosave"},
            })
                .then((response) => response.json())
                .then((answer) => {
                    if (answer.state === "saved") {
                        state.saved = sent;
                        apply(answer);
                        show(`Saved at ${answer.saved_at}.`);
                    } else if (answer.state === "conflict" || answer.state === "off") {
                        state.stopped = true;
                        show(answer.message, true);
                    } else {
                        state.dirty = true; // Saved once the form is complete again.
                        show(answer.message, true);
                    }
                })
                .catch(() => {
                    state.dirty = true;
                    show("Not saved: the connection was lost. Trying again in a few seconds.", true);
                    state.timer = window.setTimeout(save, AT_MOST);
                })
                .finally(() => {
                    state.inFlight = null;
                });
            return state.inFlight;
        }

        form.addEventListener("input", schedule);
        form.addEventListener("change", schedule);
        // Select2 (people, photos, tags) announces choices through jQuery only.
        if (window.django && window.django.jQuery) {
            window.django.jQuery(form).on("change", "select", schedule);
        }
        document.addEventListener("desk:reordered", schedule);

        // A save by hand waits for an autosave under way, then carries its version.
        form.addEventListener("submit", (event) => {
            state.stopped = true;
            window.clearTimeout(state.timer);
            if (state.inFlight) {
                event.preventDefault();
                const submitter = event.submitter;
                state.inFlight.then(() => form.requestSubmit(submitter));
            }
        });

        // Closing the tab or switching away sends what is pending at once.
        document.addEventListener("visibilitychange", () => {
            if (document.visibilityState === "hidden") {
                save({leaving: true});
            }
        });
        window.addEventListener("pagehide", () => save({leaving: true}));
    }

    document.addEventListener("DOMContentLoaded", setUp);
}
