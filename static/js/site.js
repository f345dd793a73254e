// Progressive enhancements for the reader's site. Every control here already
// works as a plain link without JavaScript; this only makes it nicer.
(function () {
  "use strict";

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  function announce(message) {
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  function flash(control, message) {
    if (control.dataset.label === undefined) {
      control.dataset.label = control.innerHTML;
    }
    control.textContent = message;
    window.clearTimeout(control.flashTimer);
    control.flashTimer = window.setTimeout(function () {
      control.innerHTML = control.dataset.label;
    }, 2500);
  }

  // "Copy link" and each question's link: copy the absolute address.
  document.addEventListener("click", function (event) {
    var control = event.target.closest("[data-copy]");
    if (!control || !navigator.clipboard) {
      return;
    }
    var url = control.getAttribute("data-copy");
    var isAnchor = control.getAttribute("href").charAt(0) === "#";
    if (!isAnchor) {
      // The link points at this very page; copying is what the reader wants.
      event.preventDefault();
    }
    navigator.clipboard.writeText(url).then(
      function () {
        flash(control, "Link copied");
        announce("Link copied to the clipboard.");
      },
      function () {
        announce("Could not copy the link. Copy it from the address bar.");
      }
    );
  });

  // The native share sheet, where the browser has one.
  if (navigator.share) {
    document.querySelectorAll("[data-share-url]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator
          .share({ title: button.getAttribute("data-share-title"), url: button.getAttribute("data-share-url") })
          .catch(function () {
            // The reader closed the sheet: nothing to do.
          });
      });
    });
  }
})();
