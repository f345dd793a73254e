/* Shows only the fields that matter for each block's kind: a photo block asks
 * for a photo and a caption, a pull quote for its text and attribution, and
 * so on. Hidden fields keep their values; a field with an error always shows.
 * The kinds and their fields come from the server (data-kind-fields).
 */
"use strict";
{
    function update(select) {
        const row = select.closest(".inline-related");
        if (!row) {
            return;
        }
        const fieldsFor = JSON.parse(select.dataset.kindFields);
        const all = new Set(Object.values(fieldsFor).flat());
        const wanted = new Set(fieldsFor[select.value] || all);
        for (const name of all) {
            const line = row.querySelector(".form-row.field-" + name);
            if (line) {
                line.hidden = !wanted.has(name) && line.querySelector(".errorlist") === null;
            }
        }
    }

    document.addEventListener("change", (event) => {
        if (event.target.matches("select.block-kind")) {
            update(event.target);
        }
    });

    document.addEventListener("DOMContentLoaded", () => {
        document.querySelectorAll("select.block-kind").forEach(update);
    });

    document.addEventListener("formset:added", (event) => {
        event.target.querySelectorAll("select.block-kind").forEach(update);
    });
}
