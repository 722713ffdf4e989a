// KCC screen: keyboard shortcuts, Ja/Nee with single keys, search hits opened in the results
// panel, copying the summary, and keeping the panel usable after each htmx update.
// Progressive enhancement only: without this file the page is a plain form with "Bereken".
// Nothing of a call is written anywhere: no localStorage, no sessionStorage, no cookies.
(function () {
  "use strict";

  var state = {
    focusAfterSwap: null,   // id of the element to focus once the panel has been replaced
    openFirstHit: false,    // Enter in the search box: open the first hit when the results arrive
    openDetails: {}         // data-key -> open, so "Waarom?" stays open across updates (memory only)
  };

  function byId(id) {
    return document.getElementById(id);
  }

  function kccForm() {
    return byId("kcc-form");
  }

  function announce(text) {
    var region = byId("kcc-status");
    if (!region) {
      return;
    }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 60);
  }

  function isTyping(element) {
    if (!element) {
      return false;
    }
    if (element.isContentEditable || element.tagName === "TEXTAREA" || element.tagName === "SELECT") {
      return true;
    }
    return element.tagName === "INPUT" && !/^(radio|checkbox|button|submit|reset)$/.test(element.type);
  }

  // ------------------------------------------------------------ moving around

  function focusSearch() {
    var input = byId("kcc-zoek");
    if (input) {
      input.focus();
      input.select();
    }
  }

  function focusPanel() {
    var panel = byId("kcc-uitkomst");
    if (panel) {
      panel.focus();
    }
  }

  function focusQuestion(questionId) {
    var row = document.querySelector('.kcc-q[data-question="' + questionId + '"]');
    if (!row) {
      return false;
    }
    var target = row.querySelector("input:checked") || row.querySelector("input, select");
    if (!target) {
      return false;
    }
    target.focus();
    target.scrollIntoView({ block: "center" });
    return true;
  }

  function focusNextQuestion() {
    var link = document.querySelector(".kcc-next__link");
    if (!link || !focusQuestion(link.getAttribute("data-question"))) {
      announce("Er is geen open vraag meer.");
    }
  }

  function newCall() {
    window.location.assign("/kcc");
  }

  // ------------------------------------------------------------ recalculating

  function recalculate() {
    var form = kccForm();
    if (form && form.requestSubmit) {
      form.requestSubmit(byId("kcc-bereken"));
    } else if (form) {
      form.submit();
    }
  }

  function openProduct(productId) {
    var field = document.querySelector('input[name="product"][form="kcc-form"]');
    if (!field) {
      return;
    }
    field.value = productId;
    state.focusAfterSwap = "kcc-product-titel";
    recalculate();
  }

  function productIdOf(link) {
    var match = /^\/producten\/([^/?#]+)/.exec(link.getAttribute("href") || "");
    return match ? decodeURIComponent(match[1]) : null;
  }

  // ------------------------------------------------------------ Ja / Nee with one key

  function answerWithKey(event) {
    var input = event.target;
    if (!input || input.type !== "radio" || event.altKey || event.ctrlKey || event.metaKey) {
      return false;
    }
    var group = input.closest(".kcc-bool");
    if (!group) {
      return false;
    }
    var key = event.key.toLowerCase();
    var value = key === "j" ? "ja" : key === "n" ? "nee" :
      (key === "0" || key === "backspace" || key === "delete") ? "" : null;
    if (value === null) {
      return false;
    }
    event.preventDefault();
    var target = group.querySelector('input[value="' + value + '"]');
    if (target && !target.checked) {
      target.checked = true;
      target.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (target) {
      target.focus();
    }
    return true;
  }

  // ------------------------------------------------------------ the summary

  function selectForCopy(textarea) {
    textarea.focus();
    textarea.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    announce(copied ? "Samenvatting gekopieerd." :
      "De samenvatting is geselecteerd. Druk op Ctrl+C om te kopiëren.");
  }

  function copySummary() {
    var textarea = byId("kcc-samenvatting");
    if (!textarea) {
      return;
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(textarea.value).then(function () {
        announce("Samenvatting gekopieerd.");
        var button = byId("kcc-kopieer");
        if (button) {
          button.textContent = "Gekopieerd";
          window.setTimeout(function () { button.textContent = "Kopieer samenvatting"; }, 2000);
        }
      }, function () { selectForCopy(textarea); });
    } else {
      selectForCopy(textarea);
    }
  }

  // ------------------------------------------------------------ after an update

  function enhancePanel() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
    document.querySelectorAll("#kcc-uitkomst details[data-key]").forEach(function (details) {
      if (state.openDetails[details.getAttribute("data-key")]) {
        details.open = true;
      }
    });
  }

  function syncInvalid() {
    // The error messages arrive out of band; the fields themselves are never replaced.
    document.querySelectorAll(".kcc-q").forEach(function (row) {
      var slot = row.querySelector(".kcc-q__error");
      var invalid = !!(slot && slot.textContent.trim());
      row.classList.toggle("kcc-q--invalid", invalid);
      row.querySelectorAll("input, select").forEach(function (field) {
        if (invalid) {
          field.setAttribute("aria-invalid", "true");
        } else {
          field.removeAttribute("aria-invalid");
        }
      });
    });
  }

  function enhanceSearchResults(container) {
    container.querySelectorAll("a").forEach(function (link) {
      if (!link.classList.contains("search-result__link")) {
        link.target = "_blank";  // anything else must not take the call away
        link.rel = "noopener";
      }
    });
  }

  function afterSettle(event) {
    // Fired on each swapped element (the out-of-band markers too); act on the two containers only.
    var swapped = event.target;
    if (swapped.id === "kcc-zoekresultaten") {
      var results = swapped;
      enhanceSearchResults(results);
      if (state.openFirstHit) {
        state.openFirstHit = false;
        var first = results && results.querySelector("a.search-result__link");
        if (first) {
          openProduct(productIdOf(first));
        } else {
          announce("Geen regeling gevonden.");
        }
      }
      return;
    }
    if (swapped.id !== "kcc-uitkomst") {
      return;
    }
    enhancePanel();
    syncInvalid();
    if (state.focusAfterSwap) {
      var target = byId(state.focusAfterSwap);
      state.focusAfterSwap = null;
      if (target) {
        target.focus();
        target.scrollIntoView({ block: "nearest" });
      }
    }
  }

  // ------------------------------------------------------------ wiring

  function onKeydown(event) {
    if (answerWithKey(event)) {
      return;
    }
    if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey) {
      var actions = { KeyZ: focusSearch, KeyR: focusPanel, KeyV: focusNextQuestion, KeyK: copySummary,
                      KeyN: newCall };
      var action = actions[event.code];
      if (action) {
        event.preventDefault();
        action();
      }
      return;
    }
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) {
      event.preventDefault();
      focusSearch();
    }
  }

  function onSearchKeydown(event) {
    if (event.key !== "Enter" || event.isComposing) {
      return;
    }
    event.preventDefault();
    if (!event.target.value.trim() || !window.htmx) {
      return;
    }
    state.openFirstHit = true;
    window.htmx.trigger(event.target, "search");
  }

  function onClick(event) {
    var target = event.target;
    var copy = target.closest("[data-copy]");
    if (copy) {
      copySummary();
      return;
    }
    var hit = target.closest("#kcc-zoekresultaten a.search-result__link");
    if (hit && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      var productId = productIdOf(hit);
      if (productId) {
        event.preventDefault();
        openProduct(productId);
      }
      return;
    }
    var suggestion = target.closest("#kcc-zoekresultaten .search-suggestion a");
    if (suggestion) {
      event.preventDefault();
      var input = byId("kcc-zoek");
      input.value = suggestion.textContent;
      input.focus();
      window.htmx.trigger(input, "search");
      return;
    }
    if (target.closest(".kcc-result__title")) {
      state.focusAfterSwap = "kcc-product-titel";
    } else if (target.closest("#kcc-product-sluit")) {
      state.focusAfterSwap = "kcc-uitkomst";
    }
  }

  function onNextLink(event) {
    var link = event.target.closest(".kcc-next__link, .kcc-errors a");
    if (!link) {
      return;
    }
    var id = (link.getAttribute("href") || "").slice(1);
    var field = byId(id);
    var row = field && field.closest(".kcc-q");
    if (row) {
      event.preventDefault();
      focusQuestion(row.getAttribute("data-question"));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!kccForm()) {
      return;
    }
    enhancePanel();
    document.addEventListener("keydown", onKeydown);
    document.addEventListener("click", onClick);
    document.addEventListener("click", onNextLink);
    document.addEventListener("toggle", function (event) {
      var details = event.target;
      if (details.tagName === "DETAILS" && details.closest("#kcc-uitkomst") && details.hasAttribute("data-key")) {
        state.openDetails[details.getAttribute("data-key")] = details.open;
      }
    }, true);
    var search = byId("kcc-zoek");
    if (search) {
      search.addEventListener("keydown", onSearchKeydown);
    }
    document.body.addEventListener("htmx:afterSettle", afterSettle);
    document.body.addEventListener("htmx:responseError", function (event) {
      if (event.detail && event.detail.elt === kccForm() && event.detail.xhr && event.detail.xhr.status >= 500) {
        announce("De uitkomst kon niet worden bijgewerkt. Probeer het opnieuw met Bereken.");
      }
    });
    document.body.addEventListener("htmx:sendError", function () {
      announce("Geen verbinding met de server. Probeer het opnieuw met Bereken.");
    });
  });
})();
