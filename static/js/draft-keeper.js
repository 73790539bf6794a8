/*
 * Keeps what a registrar types in an event form when the connection drops.
 *
 * Every change to a form marked data-draft is copied to this browser's storage,
 * under the event and the step. While the connection is down the page says so and
 * the form is not sent (a failed page load would show the browser's error page);
 * when it comes back the kept answers are sent as an ordinary autosave of the
 * same draft, so no second event is created. A copy that the server has saved is
 * dropped; one left from a page closed while offline is put back into the form when
 * the step is opened again, and saved.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-draft]");
  if (!form || !window.localStorage) return;
  var step = form.querySelector("input[name=_step]");
  var key = "draft:" + form.dataset.draft + ":" + (step ? step.value : "");
  var status = document.getElementById("autosave-status");
  var saveUrl = form.getAttribute("hx-post");
  // Django's JavaScriptCatalog gives the page gettext; English if it did not load.
  var gettext =
    window.gettext ||
    function (text) {
      return text;
    };

  var LOST = gettext(
    "The connection is lost. What you type is kept in this browser and saved " +
      "when the connection is back."
  );
  var LOST_ON_SUBMIT = gettext(
    "The connection is lost. What you type is kept in this browser and saved " +
      "when the connection is back. Press the button again then."
  );

  function answers() {
    var kept = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name && input.name.indexOf("__") > 0) kept[input.name] = input.value;
    });
    return kept;
  }

  function keep() {
    try {
      localStorage.setItem(key, JSON.stringify(answers()));
    } catch (full) {
      /* Storage full or refused: the server copy still has the last save. */
    }
  }

  function say(text, problem) {
    status = document.getElementById("autosave-status") || status;
    if (!status) return;
    // A failed background call says less than what is already said about the loss.
    var said = status.textContent;
    if (text === LOST && (said === LOST || said === LOST_ON_SUBMIT)) return;
    status.textContent = text;
    status.classList.toggle("conflict", Boolean(problem));
  }

  function save() {
    if (!saveUrl || !window.htmx) return;
    htmx.ajax("POST", saveUrl, {
      source: form,
      target: "#autosave-status",
      swap: "outerHTML",
    });
  }

  form.addEventListener("input", keep);
  form.addEventListener("change", keep);

  form.addEventListener("submit", function (event) {
    keep();
    if (!navigator.onLine) {
      event.preventDefault();
      say(LOST_ON_SUBMIT, true);
    }
  });

  document.body.addEventListener("htmx:sendError", function () {
    say(LOST, true);
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var path = event.detail.requestConfig && event.detail.requestConfig.path;
    if (event.detail.successful && path === saveUrl) {
      localStorage.removeItem(key);
    }
  });

  window.addEventListener("offline", function () {
    say(LOST, true);
  });

  window.addEventListener("online", function () {
    say(gettext("The connection is back. Saving what you typed…"));
    save();
  });

  // A copy left from a page closed while offline: put it back and save it.
  var stored = localStorage.getItem(key);
  if (stored) {
    var kept = JSON.parse(stored);
    var restored = false;
    Object.keys(kept).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input && input.value !== kept[name]) {
        input.value = kept[name];
        restored = true;
      }
    });
    if (restored && navigator.onLine) {
      say(
        gettext("Put back what you typed while the connection was lost. Saving it…")
      );
      save();
    } else if (restored) {
      say(LOST, true);
    } else {
      localStorage.removeItem(key);
    }
  }
})();
