/* Keeps the preview under a photo chooser in step with the chosen photo.
 * Select2 announces a choice with a jQuery "change" event, so this listens
 * through django.jQuery; the picture comes from the photo's thumbnail view.
 * In a body block, the line "Readers see" shows the caption and credit the
 * page will print: the block's own, else the library's (the photo's details view).
 */
"use strict";
{
    function showChosen(select) {
        const preview = select.parentElement.querySelector(".photo-chooser-preview");
        if (!preview) {
            return;
        }
        preview.replaceChildren();
        if (!/^\d+$/.test(select.value)) {
            return;
        }
        const image = document.createElement("img");
        image.className = "photo-chooser-image";
        image.alt = "";
        image.src = preview.dataset.libraryUrl + select.value + "/thumbnail/";
        preview.append(image);
        const seen = rowSeen(select);
        if (seen) {
            fetch(preview.dataset.libraryUrl + select.value + "/details/", {credentials: "same-origin"})
                .then((response) => response.json())
                .then((photo) => {
                    seen.dataset.caption = photo.caption;
                    seen.dataset.credit = photo.credit;
                    showSeen(seen);
                });
        }
    }

    function rowSeen(node) {
        const row = node.closest(".inline-related");
        return row ? row.querySelector(".photo-as-seen") : null;
    }

    function showSeen(seen) {
        const row = seen.closest(".inline-related");
        const own = (name) => (row.querySelector(`[name$='-${name}']`) || {}).value || "";
        const caption = own("caption").trim() || seen.dataset.caption;
        const credit = own("credit").trim() || seen.dataset.credit;
        seen.textContent = [caption || "No caption", credit ? "Credit: " + credit : "No credit"].join(" · ");
    }

    document.addEventListener("input", (event) => {
        if (event.target.matches("textarea[name$='-caption'], input[name$='-credit']")) {
            const seen = rowSeen(event.target);
            if (seen && seen.dataset.caption !== undefined) {
                showSeen(seen);
            }
        }
    });

    // Scripts from several widgets load in no guaranteed order: wait for jQuery to be there.
    document.addEventListener("DOMContentLoaded", () => {
        window.django.jQuery(document).on("change", "select.photo-chooser", function() {
            showChosen(this);
        });
    });
}
