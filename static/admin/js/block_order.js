/* Reordering rows of the inlines marked "js-reorder" (blocks, authors,
 * interviewees) without retyping them: "Move up" / "Move down" buttons and
 * drag and drop by the handle.
 *
 * Moving a row moves its whole form in the page and renumbers the "Order"
 * boxes 1..n in page order; the server saves the rows in that order. Form
 * names never change: removing a new row marks it deleted and hides it
 * instead of letting Django renumber the rows by their place in the page.
 */
"use strict";
{
    const ORDER_INPUT = 'input[name$="-order"]';

    function prefixOf(group) {
        return JSON.parse(group.dataset.inlineFormset).options.prefix;
    }

    function isReorderable(group) {
        return group.querySelector(":scope fieldset.js-reorder") !== null;
    }

    function rowsOf(group) {
        const pattern = new RegExp("^" + prefixOf(group).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "-\\d+$");
        return Array.from(group.querySelectorAll(".inline-related, tr.form-row")).filter(
            (row) => pattern.test(row.id) && !row.classList.contains("is-removed")
        );
    }

    function renumber(group) {
        rowsOf(group).forEach((row, index) => {
            const input = row.querySelector(ORDER_INPUT);
            if (input) {
                input.value = index + 1;
            }
        });
    }

    // A table row may have a row of its errors just before it: they move together.
    function unitOf(row) {
        const previous = row.previousElementSibling;
        if (previous && previous.classList.contains("row-form-errors")) {
            return [previous, row];
        }
        return [row];
    }

    function placeBefore(row, target) {
        const anchor = unitOf(target)[0];
        for (const node of unitOf(row)) {
            anchor.before(node);
        }
    }

    function placeAfter(row, target) {
        let anchor = target;
        for (const node of unitOf(row)) {
            anchor.after(node);
            anchor = node;
        }
    }

    function announce(group, message) {
        let status = group.querySelector(".reorder-status");
        if (!status) {
            status = document.createElement("p");
            status.className = "reorder-status";
            status.setAttribute("role", "status");
            group.append(status);
        }
        status.textContent = message;
    }

    function moved(group, row, what = "Moved") {
        renumber(group);
        const rows = rowsOf(group);
        announce(group, what + " to place " + (rows.indexOf(row) + 1) + " of " + rows.length + ".");
        group.dispatchEvent(new CustomEvent("desk:reordered", {bubbles: true}));
    }

    function button(direction, label) {
        const element = document.createElement("button");
        element.type = "button";
        element.className = "reorder-button";
        element.dataset.direction = direction;
        element.textContent = direction === "up" ? "↑" : "↓";
        element.title = label;
        element.setAttribute("aria-label", label);
        return element;
    }

    function addControls(row) {
        const input = row.querySelector(ORDER_INPUT);
        if (!input || row.querySelector(".reorder-controls")) {
            return;
        }
        const controls = document.createElement("span");
        controls.className = "reorder-controls";
        const handle = document.createElement("span");
        handle.className = "reorder-handle";
        handle.title = "Drag to move";
        handle.setAttribute("aria-hidden", "true");
        handle.draggable = true;
        handle.textContent = "⠿";
        controls.append(button("up", "Move up"), button("down", "Move down"), handle);
        input.after(controls);
    }

    function move(buttonElement) {
        const group = buttonElement.closest(".js-inline-admin-formset");
        const rows = rowsOf(group);
        const row = rows.find((candidate) => candidate.contains(buttonElement));
        const index = rows.indexOf(row);
        if (buttonElement.dataset.direction === "up" && index > 0) {
            placeBefore(row, rows[index - 1]);
        } else if (buttonElement.dataset.direction === "down" && index < rows.length - 1) {
            placeAfter(row, rows[index + 1]);
        } else {
            return;
        }
        buttonElement.focus();
        moved(group, row);
    }

    // After a form comes back with errors, show the rows in the order the editor had made.
    function sortByOrder(group) {
        const rows = rowsOf(group);
        if (rows.length < 2) {
            return;
        }
        const key = (row) => {
            const value = parseInt((row.querySelector(ORDER_INPUT) || {}).value, 10);
            return Number.isNaN(value) ? Infinity : value;
        };
        const sorted = rows
            .map((row, index) => ({row, index, key: key(row)}))
            .sort((a, b) => a.key - b.key || a.index - b.index)
            .map((item) => item.row);
        if (sorted.every((row, index) => row === rows[index])) {
            return;
        }
        const anchor = document.createComment("");
        unitOf(rows[0])[0].before(anchor);
        for (const row of sorted) {
            for (const node of unitOf(row)) {
                anchor.before(node);
            }
        }
        anchor.remove();
    }

    // Django's own "remove" renumbers the new rows by their place in the page,
    // which moving rows makes wrong. Instead, the row is marked deleted (the
    // formset then skips it) and hidden.
    function removeNewRow(row) {
        const group = row.closest(".js-inline-admin-formset");
        const marker = document.createElement("input");
        marker.type = "hidden";
        marker.name = prefixOf(group) + "-" + row.id.split("-").pop() + "-DELETE";
        marker.value = "on";
        row.append(marker);
        row.hidden = true;
        row.classList.add("is-removed");
        renumber(group);
        group.dispatchEvent(new CustomEvent("desk:reordered", {bubbles: true}));
    }

    // For body_editor.js, which adds rows at a place and moves them by keyboard.
    window.deskOrder = {rowsOf, placeBefore, placeAfter, moved};

    // Drag and drop, started from the handle only so that text can still be selected;
    // the buttons do the same for keyboards and screen readers.
    let dragged = null;

    function clearDropMarks() {
        for (const marked of document.querySelectorAll(".drop-before, .drop-after")) {
            marked.classList.remove("drop-before", "drop-after");
        }
    }

    function rowUnder(event) {
        if (!dragged) {
            return null;
        }
        const group = dragged.closest(".js-inline-admin-formset");
        return rowsOf(group).find((row) => row.contains(event.target)) || null;
    }

    function setUp(group) {
        if (!isReorderable(group)) {
            return;
        }
        sortByOrder(group);
        rowsOf(group).forEach(addControls);
    }

    document.addEventListener("DOMContentLoaded", () => {
        document.querySelectorAll(".js-inline-admin-formset").forEach(setUp);
    });

    document.addEventListener("formset:added", (event) => {
        const group = event.target.closest(".js-inline-admin-formset");
        if (group && isReorderable(group)) {
            addControls(event.target);
            renumber(group);
        }
    });

    document.addEventListener("click", (event) => {
        const target = event.target.closest(".reorder-button");
        if (target) {
            event.preventDefault();
            move(target);
        }
    });

    // Captured before the link's own handler (inlines.js) sees the click.
    document.addEventListener("click", (event) => {
        const link = event.target.closest && event.target.closest(".inline-deletelink");
        const group = link && link.closest(".js-inline-admin-formset");
        if (!group || !isReorderable(group)) {
            return;
        }
        event.preventDefault();
        event.stopPropagation();
        removeNewRow(link.closest(".inline-related, tr.form-row"));
    }, true);

    document.addEventListener("dragstart", (event) => {
        const handle = event.target.closest && event.target.closest(".reorder-handle");
        if (!handle) {
            return;
        }
        dragged = handle.closest(".inline-related, tr.form-row");
        dragged.classList.add("is-dragged");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", dragged.id);
        event.dataTransfer.setDragImage(dragged, 16, 16);
    });

    document.addEventListener("dragover", (event) => {
        const row = rowUnder(event);
        if (!row || row === dragged) {
            return;
        }
        event.preventDefault();
        const box = row.getBoundingClientRect();
        const before = event.clientY < box.top + box.height / 2;
        clearDropMarks();
        row.classList.add(before ? "drop-before" : "drop-after");
    });

    document.addEventListener("drop", (event) => {
        const row = rowUnder(event);
        if (!row || row === dragged) {
            return;
        }
        event.preventDefault();
        if (row.classList.contains("drop-before")) {
            placeBefore(dragged, row);
        } else {
            placeAfter(dragged, row);
        }
        moved(row.closest(".js-inline-admin-formset"), dragged);
    });

    document.addEventListener("dragend", () => {
        clearDropMarks();
        if (dragged) {
            dragged.classList.remove("is-dragged");
            dragged = null;
        }
    });
}
