/*
 * The observation form during a lesson: every change goes to the server as it happens.
 *
 * Changes wait in a queue in this page (never in localStorage: observations are confidential
 * and the tablet may be shared). The queue is sent as one batch with the version the page last
 * saw; the server answers with the new version, or 409 when someone else saved in between, in
 * which case nothing was written and the observer chooses. Without a connection the queue
 * simply waits; it is sent when the browser is back online, and leaving the page while
 * anything is unsent asks first.
 */
(function () {
  "use strict";

  const form = document.getElementById("observation-form");
  if (!form) {
    return;
  }
  const status = document.getElementById("save-status");
  const conflictBox = document.getElementById("save-conflict");
  const finaliseForm = document.getElementById("finalise-form");
  const text = form.dataset;
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  let version = Number(form.dataset.version);
  // Pending changes, keyed so that a later change to the same thing replaces an earlier one.
  const queue = new Map();
  let sending = false;
  let blocked = false; // a conflict or expired session waits for the user
  let retryTimer = null;
  let moments = 0;

  function show(state, message) {
    status.dataset.state = state;
    status.textContent = message;
  }

  function unsentCount() {
    return queue.size + (sending ? 1 : 0);
  }

  function setVersion(value) {
    version = value;
    form.querySelector("input[name=version]").value = value;
    finaliseForm.querySelector("input[name=version]").value = value;
  }

  function enqueue(key, change) {
    const previous = queue.get(key);
    queue.set(key, previous ? Object.assign(previous, change) : change);
    flush();
  }

  function scheduleRetry() {
    if (retryTimer === null) {
      retryTimer = window.setTimeout(function () {
        retryTimer = null;
        flush();
      }, 10000);
    }
  }

  function flush() {
    if (sending || blocked || queue.size === 0) {
      return Promise.resolve();
    }
    if (!navigator.onLine) {
      show("offline", text.textOffline + " (" + queue.size + " " + text.textUnsent + ")");
      return Promise.resolve();
    }
    const batch = Array.from(queue.entries());
    batch.forEach(function (entry) {
      queue.delete(entry[0]);
    });
    sending = true;
    show("saving", text.textSaving);
    return fetch(form.dataset.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken},
      body: JSON.stringify({version: version, changes: batch.map(function (e) { return e[1]; })}),
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return {status: response.status, body: body};
        });
      })
      .then(function (result) {
        sending = false;
        if (result.status === 200) {
          setVersion(result.body.version);
          if (queue.size === 0) {
            show("saved", text.textSavedAt + " " + result.body.saved_at);
          }
          return flush();
        }
        // Not written: put the batch back in front of anything newer.
        requeue(batch);
        if (result.status === 409) {
          blocked = true;
          conflictBox.hidden = false;
          conflictBox.dataset.serverVersion = result.body.server.version;
          show("conflict", text.textConflict);
        } else if (result.status === 401 || result.status === 403) {
          blocked = result.status === 403;
          show("error", text.textSession);
          scheduleRetry();
        } else {
          blocked = true;
          show("error", text.textError + " " + (result.body.error || result.status));
        }
        return undefined;
      })
      .catch(function () {
        // No connection (or it dropped mid-request): keep everything and try again later.
        sending = false;
        requeue(batch);
        show("offline", text.textOffline + " (" + queue.size + " " + text.textUnsent + ")");
        scheduleRetry();
      });
  }

  function requeue(batch) {
    const newer = Array.from(queue.entries());
    queue.clear();
    batch.concat(newer).forEach(function (entry) {
      const previous = queue.get(entry[0]);
      queue.set(entry[0], previous ? Object.assign(previous, entry[1]) : entry[1]);
    });
  }

  form.addEventListener("change", function (event) {
    const input = event.target;
    if (input.type === "radio" && input.name.indexOf("item-") === 0) {
      const item = input.name.slice(5);
      const change = input.value === "not_observed"
        ? {type: "score", item: item, not_observed: true}
        : {type: "score", item: item, score: Number(input.value), not_observed: false};
      enqueue("score-" + item, change);
    } else if (input.dataset.indicator) {
      enqueue("indicator-" + input.dataset.indicator,
        {type: "indicator", indicator: input.dataset.indicator, observed: input.checked});
    }
  });

  // Notes are sent a moment after typing stops, and at once when the field is left.
  const noteTimers = {};
  form.addEventListener("input", function (event) {
    const input = event.target;
    if (input.tagName !== "TEXTAREA" || input.name.indexOf("note-") !== 0) {
      return;
    }
    const item = input.name.slice(5);
    window.clearTimeout(noteTimers[item]);
    noteTimers[item] = window.setTimeout(function () {
      enqueue("note-" + item, {type: "score", item: item, note: input.value});
    }, 800);
  });
  form.addEventListener("focusout", function (event) {
    const input = event.target;
    if (input.tagName === "TEXTAREA" && input.name.indexOf("note-") === 0) {
      const item = input.name.slice(5);
      window.clearTimeout(noteTimers[item]);
      enqueue("note-" + item, {type: "score", item: item, note: input.value});
    }
  });

  document.getElementById("moment-add").addEventListener("click", function () {
    const minute = document.getElementById("moment-minute");
    const kind = document.getElementById("moment-kind");
    const description = document.getElementById("moment-text");
    if (!description.value.trim() || minute.value === "") {
      (minute.value === "" ? minute : description).focus();
      return;
    }
    moments += 1;
    enqueue("moment-" + moments, {
      type: "key_moment",
      minute: Number(minute.value),
      kind: kind.value,
      text: description.value,
    });
    const entry = document.createElement("li");
    entry.textContent = minute.value + "′ · " + kind.options[kind.selectedIndex].text + " · " +
      description.value;
    document.getElementById("key-moment-list").appendChild(entry);
    description.value = "";
    minute.value = "";
    minute.focus();
  });

  conflictBox.addEventListener("click", function (event) {
    const action = event.target.dataset.action;
    if (action === "keep-mine") {
      // The observer has seen the conflict and chooses their own changes over the saved ones.
      setVersion(Number(conflictBox.dataset.serverVersion));
      conflictBox.hidden = true;
      blocked = false;
      flush();
    } else if (action === "reload") {
      queue.clear();
      window.location.reload();
    }
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () {
    show("offline", text.textOffline + " (" + unsentCount() + " " + text.textUnsent + ")");
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsentCount() > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Finalising waits until everything typed has reached the server.
  finaliseForm.addEventListener("submit", function (event) {
    if (unsentCount() === 0) {
      return;
    }
    event.preventDefault();
    flush().then(function () {
      if (unsentCount() === 0) {
        finaliseForm.submit();
      }
    });
  });
})();
