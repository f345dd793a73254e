/* Names for the widgets that other scripts draw in place of a labelled field:
 * the rich text editor (a contenteditable "textbox") and Select2's combobox.
 * Each takes the name of the field's own <label>, so screen readers announce
 * "Text", "Photo" or "Lead photo" rather than an unnamed box. So do the
 * fields Django labels only by position: table columns (authors,
 * interviewees) and the date and time of a publication time. New rows get
 * theirs as the widgets appear (they are drawn after the row is added).
 */
"use strict";
{
    function labelFor(field) {
        if (!field || !field.id) {
            return null;
        }
        const label = document.querySelector(`label[for="${field.id}"]`);
        if (label && !label.id) {
            label.id = field.id + "-label";
        }
        return label;
    }

    function rowName(node) {
        const row = node.closest(".inline-related[aria-label]");
        return row ? row.getAttribute("aria-label") + ": " : "";
    }

    function nameWidgets(root) {
        for (const editor of root.querySelectorAll(".prose-editor .ProseMirror")) {
            const label = labelFor(editor.closest(".prose-editor").querySelector("textarea"));
            if (label) {
                editor.setAttribute("aria-label", rowName(editor) + label.textContent.replace(/:$/, ""));
            }
        }
        for (const box of root.querySelectorAll(".select2-selection")) {
            const container = box.closest(".select2");
            const select = container && container.previousElementSibling;
            const label = labelFor(select && select.tagName === "SELECT" ? select : null);
            if (!label) {
                continue;
            }
            const rendered = box.querySelector(".select2-selection__rendered");
            const ids = [label.id, rendered && rendered.id].filter(Boolean).join(" ");
            box.setAttribute("aria-labelledby", ids);
            if (rendered && rendered.getAttribute("role") === "textbox") {
                rendered.setAttribute("aria-labelledby", label.id);
            }
        }
    }

    function nameByPosition(root) {
        for (const table of root.querySelectorAll(".tabular table")) {
            const headers = Array.from(table.querySelectorAll("thead th")).map((th) =>
                th.textContent.trim()
            );
            table.querySelectorAll("tbody tr.form-row").forEach((row, index) => {
                Array.from(row.children).forEach((cell, column) => {
                    const name = cell.classList.contains("delete") ? "Delete" : headers[column];
                    for (const field of cell.querySelectorAll("input:not([type=hidden]), select")) {
                        if (name && !field.hasAttribute("aria-label")) {
                            field.setAttribute("aria-label", `${name} (row ${index + 1})`);
                        }
                    }
                });
            });
        }
        for (const field of root.querySelectorAll("p.datetime input")) {
            const label = root.querySelector(`label[for="${field.id.replace(/_[01]$/, "")}_0"]`);
            const part = field.classList.contains("vDateField") ? "date" : "time";
            if (!field.hasAttribute("aria-label")) {
                field.setAttribute("aria-label", `${label ? label.textContent.replace(/:$/, "") : ""} (${part})`);
            }
        }
        for (const search of root.querySelectorAll(".select2 .select2-search__field")) {
            const select = search.closest(".select2").previousElementSibling;
            const label = labelFor(select && select.tagName === "SELECT" ? select : null);
            if (label) {
                search.setAttribute("aria-label", label.textContent.replace(/:$/, ""));
            }
        }
    }

    let pending = false;
    const observer = new MutationObserver(() => {
        if (!pending) {
            pending = true;
            window.requestAnimationFrame(() => {
                pending = false;
                nameWidgets(document);
                nameByPosition(document);
            });
        }
    });

    document.addEventListener("DOMContentLoaded", () => {
        nameWidgets(document);
        nameByPosition(document);
        observer.observe(document.body, {childList: true, subtree: true});
    });
}
