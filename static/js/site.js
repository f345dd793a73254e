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

  function copy(control, url) {
    navigator.clipboard.writeText(url).then(
      function () {
        flash(control, "Link copied");
        announce("Link copied to the clipboard.");
      },
      function () {
        announce("Could not copy the link. Copy it from the address bar.");
      }
    );
  }

  function nativeShare(data) {
    navigator.share(data).catch(function () {
      // The reader closed the sheet: nothing to do.
    });
  }

  var canonical = document.querySelector('link[rel="canonical"]');

  // A question's share address: its own preview on social networks.
  // Question "q-3" is shared as "q/3/", relative to the interview's address.
  function questionPath(question) {
    return "q/" + question.id.slice(2) + "/";
  }

  function questionUrl(question) {
    return new URL(questionPath(question), canonical.href).href;
  }

  // Arriving at a question's share address: move to that question.
  var landing = document.querySelector("[data-landing]");
  if (landing && !window.location.hash) {
    var target = document.getElementById(landing.getAttribute("data-landing"));
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.scrollIntoView();
      target.focus({ preventScroll: true });
    }
  }

  // "Copy link" copies the page's address; each question's link (an anchor,
  // which still moves to the question) copies the question's share address.
  document.addEventListener("click", function (event) {
    var control = event.target.closest("[data-copy], .qa-q__link");
    if (!control || !navigator.clipboard) {
      return;
    }
    var url = control.getAttribute("data-copy");
    if (url === null) {
      url = questionUrl(control.closest(".qa-q"));
    } else {
      // The link points at this very page; copying is what the reader wants.
      event.preventDefault();
    }
    copy(control, url);
  });

  // The native share sheet of the page's share bars, where the browser has one.
  if (navigator.share) {
    document.querySelectorAll(".share [data-native-url]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        nativeShare({ title: button.getAttribute("data-share-title"), url: button.getAttribute("data-native-url") });
      });
    });
  }

  // One share menu for the page and every question: a control with
  // data-share-url (each question's Share button, the compact bar's "Share…")
  // points the menu at its address, then opens it.
  var menu = document.getElementById("share-menu");
  if (!menu || !menu.showModal) {
    return;
  }
  var opener = null;
  var current = null;
  var title = menu.getAttribute("data-share-title");
  var heading = menu.querySelector(".share-menu__title");
  var native = menu.querySelector(".share__native");
  var touch = window.matchMedia("(pointer: coarse)").matches;
  // The menu's links are the full share bar's, pointed elsewhere when it opens.
  var links = menu.querySelector("[data-share-menu-links]");
  document.querySelectorAll("#share-bottom [data-share-href]").forEach(function (link) {
    var item = document.createElement("li");
    item.appendChild(link.cloneNode(true));
    links.appendChild(item);
  });

  function questionText(box) {
    var paragraphs = Array.prototype.map.call(box.querySelectorAll("p"), function (p) {
      return p.textContent;
    });
    return paragraphs.join(" ").replace(/\s+/g, " ").trim();
  }

  function openMenu(control) {
    var url = new URL(control.getAttribute("data-share-url"), canonical.href).href;
    var question = control.closest(".qa-q");
    var pullQuote = control.closest(".pull-quote");
    var quoted = "";
    if (question) {
      quoted = questionText(question.querySelector(".qa-q__text"));
    } else if (pullQuote) {
      quoted = "“" + questionText(pullQuote.querySelector("blockquote")) + "”";
    }
    var text = quoted ? quoted + " (" + title + ")" : title;
    current = { title: title, text: text, url: url };
    if (navigator.share && touch) {
      // On a phone the system's own sheet is the menu readers know.
      nativeShare(current);
      return;
    }
    var parts = { u: url, t: text, s: title, w: text + " " + url };
    menu.querySelectorAll("[data-share-href]").forEach(function (link) {
      link.href = link.getAttribute("data-share-href").replace(/\{([utsw])\}/g, function (match, key) {
        return encodeURIComponent(parts[key]);
      });
    });
    heading.textContent = question ? "Share this question" : pullQuote ? "Share this quote" : "Share this interview";
    menu.querySelector("[data-share-menu-text]").textContent = quoted || title;
    native.hidden = !navigator.share;
    opener = control;
    menu.showModal();
  }

  // Each question's Share button (without script there is nothing to open, so
  // the page carries none): "Share question 3", pointed at the question.
  document.querySelectorAll(".qa-q").forEach(function (question, index) {
    var button = document.createElement("button");
    var label = document.createElement("span");
    button.type = "button";
    button.className = "qa-q__share";
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("data-share-url", questionPath(question));
    label.className = "visually-hidden";
    label.textContent = " question " + (index + 1);
    button.append("Share", label);
    question.querySelector(".qa-q__tools").appendChild(button);
  });
  // A pull quote is shared with the address of the question it sits under.
  document.querySelectorAll(".pull-quote[data-share-path]").forEach(function (quote) {
    var button = document.createElement("button");
    var label = document.createElement("span");
    button.type = "button";
    button.className = "pull-quote__share";
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("data-share-url", quote.getAttribute("data-share-path"));
    label.className = "visually-hidden";
    label.textContent = " this quote";
    button.append("Share", label);
    quote.appendChild(button);
  });
  document.addEventListener("click", function (event) {
    var control = event.target.closest("[data-share-url]");
    if (control) {
      event.preventDefault();
      openMenu(control);
    }
  });
  menu.querySelector("[data-share-menu-copy]").addEventListener("click", function (event) {
    if (navigator.clipboard) {
      copy(event.currentTarget, current.url);
    }
  });
  native.addEventListener("click", function () {
    nativeShare(current);
  });
  menu.addEventListener("click", function (event) {
    // A click on the backdrop (outside the menu's box) closes it.
    if (event.target === menu) {
      menu.close();
    }
  });
  menu.addEventListener("close", function () {
    if (opener) {
      opener.focus();
    }
  });
})();
