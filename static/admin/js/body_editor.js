/* The interview's body as editors work on it: compact numbered rows, a block
 * added at any place, and the keyboard for all of it.
 *
 * - Between rows (and after the last), "add here" buttons for each kind;
 *   one tab stop per place, the arrow keys move between its buttons.
 * - In a block: Ctrl+Enter (⌘+Enter) adds the block that usually follows
 *   (an answer after a question, a question after an answer),
 *   Ctrl+Shift+Enter one of the same kind, Alt+Shift+↑/↓ moves the block.
 * - Every row shows its place; block_order.js keeps the numbers in step.
 *
 * New rows come from Django's own "Add another" link, then move to their
 * place: their form names never change (see block_order.js).
 */
"use strict";
{
    const KINDS = [
        ["question", "Question"],
        ["answer", "Answer"],
        ["photo", "Photo"],
        ["paragraph", "Paragraph"],
        ["quote", "Pull quote"],
        ["heading", "Heading"],
    ];
    const NEXT = {question: "answer", answer: "question", photo: "answer", quote: "answer"};

    function groupOf(node) {
        return node.closest("#blocks-group");
    }

    function rowsOf(group) {
        return window.deskOrder.rowsOf(group);
    }

    function rowOf(node) {
        const row = node.closest(".inline-related");
        return row && groupOf(row) && !row.classList.contains("empty-form") ? row : null;
    }

    function kindOf(row) {
        const select = row.querySelector("select.block-kind");
        return select ? select.value : "";
    }

    function kindLabel(kind) {
        const found = KINDS.find(([value]) => value === kind);
        return found ? found[1] : "Block";
    }

    // Numbers and names ----------------------------------------------------------

    // Extras most blocks leave empty stay folded away until the row is being worked on (CSS).
    const OPTIONAL = {
        quote: "A sentence or two of this answer, copied exactly, for a quote card",
        caption: "Leave empty to use the library's caption",
        credit: "Leave empty to use the library's credit",
    };

    function compact(row) {
        for (const [name, hint] of Object.entries(OPTIONAL)) {
            const input = row.querySelector(`.form-row.field-${name} textarea, .form-row.field-${name} input`);
            if (input && !input.placeholder) {
                input.placeholder = hint;
                input.closest(".form-row").classList.add("js-optional");
            }
        }
    }

    function relabel(group) {
        rowsOf(group).forEach((row, index) => {
            compact(row);
            let number = row.querySelector(".block-number");
            if (!number) {
                number = document.createElement("span");
                number.className = "block-number";
                const line = row.querySelector(".form-row.field-kind");
                if (line) {
                    line.prepend(number);
                }
            }
            number.textContent = index + 1;
            const label = kindLabel(kindOf(row)) + " " + (index + 1);
            row.setAttribute("aria-label", label);
            row.dataset.kind = kindOf(row);
            const legacy = row.querySelector("h3 .inline_label");
            if (legacy) {
                legacy.textContent = label;
            }
        });
    }

    // Adding a block at a place ----------------------------------------------------

    function insertBar(before) {
        const bar = document.createElement("div");
        bar.className = "block-insert";
        bar.setAttribute("role", "toolbar");
        bar.setAttribute("aria-label", before ? "Add a block here" : "Add a block at the end");
        KINDS.forEach(([kind, label], index) => {
            const button = document.createElement("button");
            button.type = "button";
            button.className = "block-insert__button";
            button.dataset.kind = kind;
            button.tabIndex = index === 0 ? 0 : -1;
            button.textContent = "+ " + label;
            const name = label.toLowerCase();
            const article = /^[aeiou]/.test(name) ? "an " : "a ";
            button.setAttribute("aria-label", "Add " + article + name + (before ? " here" : " at the end"));
            bar.append(button);
        });
        return bar;
    }

    function placeBars(group) {
        for (const bar of group.querySelectorAll(".block-insert")) {
            bar.remove();
        }
        const rows = rowsOf(group);
        for (const row of rows) {
            row.before(insertBar(true));
        }
        const end = insertBar(false);
        end.classList.add("block-insert--end");
        const last = rows[rows.length - 1];
        if (last) {
            last.after(end);
        } else {
            group.querySelector(".add-row, fieldset.module").after(end);
        }
    }

    function focusRow(row) {
        const photo = row.querySelector("select.photo-chooser");
        if (kindOf(row) === "photo" && photo && window.django && window.django.jQuery) {
            // Straight into the library search: type a few letters, Enter.
            window.setTimeout(() => window.django.jQuery(photo).select2("open"), 0);
            return;
        }
        let tries = 0;
        const attempt = () => {
            const editor = row.querySelector(".ProseMirror");
            if (editor) {
                editor.focus();
                row.scrollIntoView({block: "nearest"});
            } else if (tries++ < 100) {
                window.requestAnimationFrame(attempt);
            }
        };
        attempt();
    }

    function addBlock(group, kind, before) {
        const link = group.querySelector(".add-row a");
        if (!link) {
            return null;
        }
        link.click();
        const rows = rowsOf(group);
        const row = rows[rows.length - 1];
        if (before && before !== row) {
            window.deskOrder.placeBefore(row, before);
        }
        const select = row.querySelector("select.block-kind");
        select.value = kind;
        select.dispatchEvent(new Event("change", {bubbles: true}));
        refresh(group);
        window.deskOrder.moved(group, row);
        focusRow(row);
        return row;
    }

    function addAfter(row, kind) {
        const group = groupOf(row);
        const rows = rowsOf(group);
        return addBlock(group, kind, rows[rows.indexOf(row) + 1] || null);
    }

    function refresh(group) {
        placeBars(group);
        relabel(group);
    }

    // Keyboard ------------------------------------------------------------------------

    function moveBy(row, step) {
        const group = groupOf(row);
        const rows = rowsOf(group);
        const index = rows.indexOf(row);
        const target = rows[index + step];
        if (!target) {
            return;
        }
        const focused = document.activeElement;
        if (step < 0) {
            window.deskOrder.placeBefore(row, target);
        } else {
            window.deskOrder.placeAfter(row, target);
        }
        refresh(group);
        window.deskOrder.moved(group, row);
        if (focused && row.contains(focused)) {
            focused.focus();
        }
    }

    // Captured, so that the text editor does not take Ctrl+Enter as a line break.
    document.addEventListener(
        "keydown",
        (event) => {
            const row = event.target.closest && rowOf(event.target);
            if (!row) {
                return;
            }
            const mod = event.ctrlKey || event.metaKey;
            if (event.key === "Enter" && mod && !event.altKey) {
                event.preventDefault();
                event.stopPropagation();
                const kind = kindOf(row);
                addAfter(row, event.shiftKey ? kind : NEXT[kind] || "question");
            } else if (event.altKey && event.shiftKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
                event.preventDefault();
                event.stopPropagation();
                moveBy(row, event.key === "ArrowUp" ? -1 : 1);
            }
        },
        true
    );

    // Arrow keys within an "add here" toolbar (one tab stop for the whole bar).
    document.addEventListener("keydown", (event) => {
        const button = event.target.closest && event.target.closest(".block-insert__button");
        if (!button || !["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) {
            return;
        }
        const buttons = Array.from(button.parentElement.children);
        let index = buttons.indexOf(button);
        if (event.key === "ArrowLeft") {
            index = (index - 1 + buttons.length) % buttons.length;
        } else if (event.key === "ArrowRight") {
            index = (index + 1) % buttons.length;
        } else {
            index = event.key === "Home" ? 0 : buttons.length - 1;
        }
        event.preventDefault();
        buttons.forEach((other, i) => {
            other.tabIndex = i === index ? 0 : -1;
        });
        buttons[index].focus();
    });

    document.addEventListener("click", (event) => {
        const button = event.target.closest && event.target.closest(".block-insert__button");
        if (!button) {
            return;
        }
        const group = groupOf(button);
        const bar = button.parentElement;
        const before = bar.nextElementSibling && rowOf(bar.nextElementSibling) ? bar.nextElementSibling : null;
        addBlock(group, button.dataset.kind, before);
    });

    document.addEventListener("focusin", (event) => {
        const row = rowOf(event.target);
        if (row && !row.classList.contains("is-current")) {
            for (const other of groupOf(row).querySelectorAll(".inline-related.is-current")) {
                other.classList.remove("is-current");
            }
            row.classList.add("is-current");
        }
    });

    document.addEventListener("change", (event) => {
        if (event.target.matches && event.target.matches("select.block-kind")) {
            relabel(groupOf(event.target));
        }
    });

    document.addEventListener("desk:reordered", (event) => {
        if (event.target.id === "blocks-group") {
            refresh(event.target);
        }
    });

    document.addEventListener("DOMContentLoaded", () => {
        const group = document.getElementById("blocks-group");
        if (!group || !window.deskOrder) {
            return;
        }
        group.classList.add("body-editor");
        const hint = document.createElement("p");
        hint.className = "body-editor__hint help";
        hint.textContent =
            "Ctrl+Enter (⌘+Enter) in a block adds the one that usually follows: an answer after a question, " +
            "a question after an answer. Ctrl+Shift+Enter adds one of the same kind; Alt+Shift+↑ or ↓ moves the block.";
        const heading = group.querySelector("h2");
        (heading || group.firstElementChild).after(hint);
        refresh(group);
    });
}
