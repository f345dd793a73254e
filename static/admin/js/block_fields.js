/* Shows only the fields that matter for each block's kind: a photo block asks
 * for a photo and a caption, a pull quote for its text and attribution, and
 * so on. Hidden fields keep their values; a field with an error always shows.
 * The kinds and their fields come from the server (data-kind-fields). An
 * answer's speaker only shows when the interview has more than one
 * interviewee (or when one is set already, so that it can be cleared).
 */
"use strict";
{
    function interviewees() {
        const group = document.getElementById("interviewee_links-group");
        if (!group) {
            return 0;
        }
        return Array.from(group.querySelectorAll("select[name$='-person']")).filter((select) => {
            const row = select.closest("tr, .inline-related");
            const deleted = row && (row.hidden || (row.querySelector("input[name$='-DELETE']:checked") !== null));
            return select.value && !select.name.includes("__prefix__") && !deleted;
        }).length;
    }

    function update(select, many = interviewees() > 1) {
        const row = select.closest(".inline-related");
        if (!row) {
            return;
        }
        const fieldsFor = JSON.parse(select.dataset.kindFields);
        const all = new Set(Object.values(fieldsFor).flat());
        const wanted = new Set(fieldsFor[select.value] || all);
        const speaker = row.querySelector("select[name$='-speaker']");
        if (!many && !(speaker && speaker.value)) {
            wanted.delete("speaker");
        }
        for (const name of all) {
            const line = row.querySelector(".form-row.field-" + name);
            if (line) {
                line.hidden = !wanted.has(name) && line.querySelector(".errorlist") === null;
            }
        }
    }

    function updateAll() {
        const many = interviewees() > 1;
        document.querySelectorAll("select.block-kind").forEach((select) => update(select, many));
    }

    document.addEventListener("change", (event) => {
        if (event.target.matches("select.block-kind")) {
            update(event.target);
        }
    });

    document.addEventListener("DOMContentLoaded", () => {
        updateAll();
        // Choosing an interviewee (Select2) is announced through jQuery only.
        if (window.django && window.django.jQuery) {
            window.django.jQuery(document).on("change", "#interviewee_links-group select", updateAll);
        }
    });

    document.addEventListener("desk:reordered", (event) => {
        if (event.target.id === "interviewee_links-group") {
            updateAll();
        }
    });

    document.addEventListener("change", (event) => {
        if (event.target.closest && event.target.closest("#interviewee_links-group")) {
            updateAll();
        }
    });

    document.addEventListener("formset:added", (event) => {
        event.target.querySelectorAll("select.block-kind").forEach((select) => update(select));
    });
}
