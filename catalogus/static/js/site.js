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

  function answerOf(form, name) {
    // The current answer to a question on this screen: a list for checkboxes, a string otherwise.
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "checkbox" || input.type === "radio") ? input.checked : input.value.trim() !== "") {
        values.push(input.value.trim());
      }
    });
    if (inputs.length && inputs[0].type === "checkbox") {
      return values;
    }
    return values.length ? values[0] : null;
  }

  function dutchNumber(text) {
    var cleaned = String(text).replace(/[€\s]/g, "").replace(/\.(?=\d{3}(\D|$))/g, "").replace(",", ".");
    var number = parseFloat(cleaned);
    return isNaN(number) ? null : number;
  }

  function holds(op, answer, expected) {
    // The follow-up's condition, as the server states it (data-toon-*); null: not answered yet.
    if (answer === null || (Array.isArray(answer) && answer.length === 0)) {
      return null;
    }
    switch (op) {
      case "=": return answer === expected || (typeof expected === "boolean" && answer === (expected ? "ja" : "nee"));
      case "!=": return !(answer === expected || (typeof expected === "boolean" && answer === (expected ? "ja" : "nee")));
      case "in": return expected.indexOf(answer) !== -1;
      case "bevat": return answer.indexOf(expected) !== -1;
      case "bevat_iets_anders_dan": return answer.some(function (v) { return v !== expected; });
    }
    var number = dutchNumber(answer);
    if (number === null) {
      return null;
    }
    return op === ">" ? number > expected : op === ">=" ? number >= expected : op === "<" ? number < expected : number <= expected;
  }

  function showField(field, shown) {
    field.hidden = !shown;
    field.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !shown; });
    var hint = field.querySelector(".question__condition");
    if (hint) {
      hint.hidden = true;  // with JavaScript the field itself appears only when it applies
    }
  }

  function revealFollowUps(root, everywhere) {
    // A follow-up question shows once the answer above asks for it; hidden fields are not sent.
    // Follow-ups of the check's screens (data-vervolg) ask the server instead, unless that failed.
    root.querySelectorAll("[data-toon-vraag]").forEach(function (field) {
      if (field.hasAttribute("data-vervolg") && !everywhere) {
        return;
      }
      var form = field.closest("form");
      var answer = answerOf(form, field.dataset.toonVraag);
      showField(field, holds(field.dataset.toonOp, answer, JSON.parse(field.dataset.toonWaarde)) === true);
    });
  }

  function askWhichFollowUps(form) {
    // Ask the server which follow-up questions can still change something, for what is filled in now.
    // The form is marked busy meanwhile; a later answer supersedes an earlier question.
    var asked = (form.vervolgVraag || 0) + 1;
    form.vervolgVraag = asked;
    form.setAttribute("data-bezig", "");
    var body = new URLSearchParams(new FormData(form));
    fetch(form.dataset.vervolgUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      return response.json();
    }).then(function (answer) {
      if (asked !== form.vervolgVraag) {
        return;
      }
      var show = answer.toon || [];
      var added = 0;
      form.querySelectorAll("[data-vervolg]").forEach(function (field) {
        var shown = show.indexOf(field.dataset.question) !== -1;
        if (shown && field.hidden) {
          added += 1;
        }
        showField(field, shown);
      });
      var notice = form.querySelector("[data-vervolg-melding]");
      if (notice) {
        notice.textContent = added === 1 ? "Er staat nu een vraag bij op dit scherm." :
          added > 1 ? "Er staan nu " + added + " vragen bij op dit scherm." : "";
      }
    }).catch(function () {
      if (asked === form.vervolgVraag) {
        revealFollowUps(form, true);  // the server could not say: fall back to the questions' own condition
      }
    }).then(function () {
      if (asked === form.vervolgVraag) {
        form.removeAttribute("data-bezig");
      }
    });
  }

  function followUpsChanged(event) {
    var form = event.target && event.target.closest && event.target.closest("form[data-vervolg-url]");
    if (form) {
      askWhichFollowUps(form);
    }
  }

  function quickExit(event) {
    // "Snel weg": leave at once; replacing the page keeps this site out of the Back button.
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (link) {
      event.preventDefault();
      window.location.replace(link.href);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    csrfHeader();
    showPrintButtons(document);
    revealFollowUps(document);
    document.addEventListener("change", exclusiveChoices);
    document.addEventListener("change", function () { revealFollowUps(document); });
    document.addEventListener("change", followUpsChanged);
    document.addEventListener("input", function () { revealFollowUps(document); });
    document.addEventListener("click", quickExit);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      var target = event.detail && event.detail.target;
      if (target && target.id === "main") {
        showPrintButtons(target);
        revealFollowUps(target);
        focusNewContent(target);
      }
    });
    document.body.addEventListener("htmx:afterSettle", function (event) {
      // Chromium may still move the view after the swap (to where the pressed button was); the new
      // screen starts at its top, so put the view back there once the content has settled.
      var target = event.detail && event.detail.target;
      if (target && target.id === "main") {
        window.scrollTo({ top: 0, left: 0, behavior: "instant" });
      }
    });
  });
})();
