// Small progressive enhancements. Everything works without this file.
// No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  function csrfHeader() {
    // htmx sends the CSRF token as a header on requests that are not plain form posts.
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": meta.content }));
    }
  }

  function focusNewContent(container) {
    // After htmx swapped the page content, move focus to the error summary or the main heading,
    // so keyboard and screen-reader users start at the new content.
    var target = container.querySelector("[data-error-summary]") || container.querySelector("h1");
    if (!target) {
      return;
    }
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    window.scrollTo({ top: 0, left: 0, behavior: "instant" });
    target.focus({ preventScroll: true });
  }

  function showPrintButtons(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      if (!button.dataset.bound) {
        button.dataset.bound = "1";
        button.addEventListener("click", function () { window.print(); });
      }
    });
  }

  function exclusiveChoices(event) {
    // "Geen van deze" cannot be combined with another choice (the server checks this too).
    var input = event.target;
    if (!input || input.type !== "checkbox" || !input.checked) {
      return;
    }
    var boxes = document.querySelectorAll('input[type="checkbox"][name="' + input.name + '"]');
    boxes.forEach(function (box) {
      if (box === input) {
        return;
      }
      if (input.hasAttribute("data-exclusive") || box.hasAttribute("data-exclusive")) {
        box.checked = false;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    csrfHeader();
    showPrintButtons(document);
    document.addEventListener("change", exclusiveChoices);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      var target = event.detail && event.detail.target;
      if (target && target.id === "main") {
        showPrintButtons(target);
        focusNewContent(target);
      }
    });
  });
})();
