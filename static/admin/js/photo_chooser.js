/* Keeps the preview under a photo chooser in step with the chosen photo.
 * Select2 announces a choice with a jQuery "change" event, so this listens
 * through django.jQuery; the picture comes from the photo's thumbnail view.
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
    }

    // Scripts from several widgets load in no guaranteed order: wait for jQuery to be there.
    document.addEventListener("DOMContentLoaded", () => {
        window.django.jQuery(document).on("change", "select.photo-chooser", function() {
            showChosen(this);
        });
    });
}
