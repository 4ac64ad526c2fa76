/*
 * Autosave: the one way a form sends its changes while the user works (server side:
 * mentoring/autosave.py).
 *
 * Changes wait in a queue in this page, never in localStorage, sessionStorage or IndexedDB:
 * observations and reflections are confidential and a school tablet is often shared. The queue
 * is sent as one batch with the version the page last saw; the server answers with the new
 * version, or 409 when someone else saved in between, in which case nothing was written and the
 * user chooses. Without a connection the queue simply waits; it is sent when the browser is back
 * online, and leaving the page while anything is unsent asks first. So a dropped connection or a
 * second tab never silently overwrites anything.
 *
 *   const autosave = Autosave.attach(form, {versionForms: [...], status: el, conflict: el});
 *   autosave.enqueue(key, change);        // a later change with the same key replaces this one
 *   autosave.enqueueSoon(key, makeChange); // after typing pauses (makeChange() runs then)
 *   autosave.flush();                      // send everything now; a Promise
 *   autosave.unsentCount();
 *   autosave.whenSaved(otherForm);         // its submit waits until everything is sent
 *
 * After every batch the server accepted, the form fires an "autosaved" event.
 *
 * Every field with data-autosave-field="<name>" is sent as {field: name, text: value} without
 * any code of its own, and every field with maxlength and data-autosave-field or data-counter
 * gets a character counter.
 */
(function () {
  "use strict";

  const TYPING_PAUSE = 800;
  const RETRY_AFTER = 10000;

  function attach(form, options) {
    options = options || {};
    const text = form.dataset;
    const status = options.status || document.getElementById("save-status");
    const conflictBox = options.conflict || document.getElementById("save-conflict");
    const versionForms = [form].concat(options.versionForms || []);

    let version = Number(text.version);
    // Pending changes, keyed so that a later change to the same thing replaces an earlier one.
    const queue = new Map();
    // Changes being typed: sent when typing pauses, or at once when the page needs them.
    const typing = new Map();
    let inflight = null;
    let inflightSize = 0;
    // Why nothing is sent until something changes: "conflict" waits for the user's choice,
    // "closed" for a reload (the object can no longer be changed), "refused" for the next edit.
    let blocked = null;
    let retryTimer = null;
    let serverVersion = null;

    function show(state, message) {
      if (status) {
        status.dataset.state = state;
        status.textContent = message;
      }
    }

    function showOffline() {
      show("offline", text.textOffline + " (" + unsentCount() + " " + text.textUnsent + ")");
    }

    function unsentCount() {
      return queue.size + typing.size + inflightSize;
    }

    function setVersion(value) {
      version = value;
      versionForms.forEach(function (each) {
        each.querySelectorAll("input[name=version]").forEach(function (input) {
          input.value = value;
        });
      });
    }

    function merge(key, change) {
      queue.set(key, Object.assign({}, queue.get(key), change));
    }

    function enqueue(key, change) {
      const waiting = typing.get(key);
      if (waiting) {
        window.clearTimeout(waiting.timer);
        typing.delete(key);
      }
      merge(key, change);
      if (blocked === "refused") {
        // The user has changed something after the server refused a batch: maybe the fix.
        blocked = null;
      }
      return send();
    }

    function enqueueSoon(key, makeChange, delay) {
      const waiting = typing.get(key);
      if (waiting) {
        window.clearTimeout(waiting.timer);
      }
      typing.set(key, {
        makeChange: makeChange,
        timer: window.setTimeout(function () {
          enqueue(key, makeChange());
        }, delay === undefined ? TYPING_PAUSE : delay),
      });
    }

    function flush() {
      typing.forEach(function (waiting, key) {
        window.clearTimeout(waiting.timer);
        merge(key, waiting.makeChange());
      });
      typing.clear();
      if (blocked === "refused" && queue.size > 0) {
        blocked = null;
      }
      return send();
    }

    function scheduleRetry() {
      if (retryTimer === null) {
        retryTimer = window.setTimeout(function () {
          retryTimer = null;
          send();
        }, RETRY_AFTER);
      }
    }

    function csrfToken() {
      // Read the cookie at every send: logging in again in another tab rotates the token, and
      // the one rendered into this page would then be refused.
      const match = document.cookie.match(/(?:^|;\s*)(?:__Host-)?csrftoken=([^;]+)/);
      if (match) {
        return decodeURIComponent(match[1]);
      }
      const input = form.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }

    function requeue(batch) {
      const newer = Array.from(queue.entries());
      queue.clear();
      batch.concat(newer).forEach(function (entry) {
        merge(entry[0], entry[1]);
      });
    }

    // Resolves once everything queued so far has been answered (sent or put back).
    function send() {
      if (inflight) {
        return inflight;
      }
      if (blocked || queue.size === 0) {
        return Promise.resolve();
      }
      if (!navigator.onLine) {
        showOffline();
        return Promise.resolve();
      }
      const batch = Array.from(queue.entries());
      queue.clear();
      inflightSize = batch.length;
      show("saving", text.textSaving);
      inflight = fetch(text.saveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
        body: JSON.stringify({
          version: version,
          changes: batch.map(function (entry) { return entry[1]; }),
        }),
      })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            return {status: response.status, body: body};
          });
        })
        .then(function (result) {
          inflight = null;
          inflightSize = 0;
          if (result.status === 200) {
            setVersion(result.body.version);
            if (queue.size === 0) {
              show("saved", text.textSavedAt + " " + result.body.saved_at);
            }
            // For parts of the page that show what was saved (htmx: hx-trigger="autosaved").
            form.dispatchEvent(new CustomEvent("autosaved", {bubbles: true}));
            return send();
          }
          // Not written: put the batch back in front of anything newer.
          requeue(batch);
          if (result.status === 409) {
            blocked = "conflict";
            showConflict(result.body.server || {});
            show("conflict", text.textConflict);
          } else if (result.status === 401 || (result.status === 403 && !result.body.error)) {
            // Session ended (or, after logging in elsewhere, a CSRF page without JSON): keep
            // trying, so the changes go as soon as the user has logged in again.
            show("error", text.textSession);
            scheduleRetry();
          } else if (result.status >= 500) {
            // A restart or a proxy hiccup; nothing was written, so sending again is safe.
            show("error", text.textError + " " + (result.body.error || result.status));
            scheduleRetry();
          } else {
            blocked = result.status === 400 ? "refused" : "closed";
            show("error", text.textError + " " + (result.body.error || result.status));
          }
          return undefined;
        })
        .catch(function () {
          // No connection (or it dropped mid-request): keep everything and try again later.
          inflight = null;
          inflightSize = 0;
          requeue(batch);
          showOffline();
          scheduleRetry();
        });
      return inflight;
    }

    // ---- Conflict: show both versions where they are texts, and let the user choose. ----

    function textFields() {
      return Array.prototype.slice.call(form.querySelectorAll("[data-autosave-field]"));
    }

    function paragraph(className, content) {
      const element = document.createElement("p");
      element.className = className;
      element.textContent = content;
      return element;
    }

    function showConflict(server) {
      serverVersion = Number(server.version);
      if (!conflictBox) {
        return;
      }
      const texts = conflictBox.querySelector("[data-conflict-texts]");
      if (texts) {
        texts.textContent = "";
        textFields().forEach(function (field) {
          const name = field.dataset.autosaveField;
          const key = "field-" + name;
          if (!server.fields || !(name in server.fields) || !(queue.has(key) || typing.has(key))) {
            return;
          }
          const block = document.createElement("div");
          block.className = "border-top pt-2 mt-2";
          const label = field.labels && field.labels.length ? field.labels[0].textContent : name;
          block.appendChild(paragraph("fw-semibold mb-1", label.trim()));
          block.appendChild(paragraph("small mb-1", text.textTheirs));
          block.appendChild(paragraph("pre-line text-break bg-body border rounded p-2 mb-2",
            server.fields[name] || "—"));
          block.appendChild(paragraph("small mb-1", text.textYours));
          block.appendChild(paragraph("pre-line text-break bg-body border rounded p-2 mb-2",
            field.value || "—"));
          texts.appendChild(block);
        });
        texts.hidden = !texts.hasChildNodes();
      }
      conflictBox.hidden = false;
    }

    if (conflictBox) {
      conflictBox.addEventListener("click", function (event) {
        const button = event.target.closest("[data-action]");
        const action = button ? button.dataset.action : null;
        if (action === "keep-mine") {
          // The user has seen the conflict and chooses their own changes over the saved ones.
          setVersion(serverVersion);
          conflictBox.hidden = true;
          blocked = null;
          flush();
        } else if (action === "reload") {
          typing.forEach(function (waiting) { window.clearTimeout(waiting.timer); });
          typing.clear();
          queue.clear();
          window.location.reload();
        }
      });
    }

    // ---- Long texts: data-autosave-field="<name>" is sent as {field, text}. ----

    // What was last queued per field, so leaving a field that was not changed sends nothing.
    const lastQueued = new Map();
    textFields().forEach(function (field) {
      lastQueued.set(field.dataset.autosaveField, field.value);
    });

    function queueText(field, now) {
      const name = field.dataset.autosaveField;
      const key = "field-" + name;
      const change = function () {
        lastQueued.set(name, field.value);
        return {field: name, text: field.value};
      };
      if (!now) {
        enqueueSoon(key, change);
      } else if (typing.has(key) || field.value !== lastQueued.get(name)) {
        enqueue(key, change());
      }
    }

    form.addEventListener("input", function (event) {
      if (event.target.dataset && event.target.dataset.autosaveField) {
        queueText(event.target, false);
      }
    });
    ["change", "focusout"].forEach(function (type) {
      form.addEventListener(type, function (event) {
        if (event.target.dataset && event.target.dataset.autosaveField) {
          queueText(event.target, true);
        }
      });
    });

    form.querySelectorAll("[maxlength][data-autosave-field], [maxlength][data-counter]")
      .forEach(counter);

    // ---- Connection, leaving the page, and forms that must wait for the save. ----

    window.addEventListener("online", send);
    window.addEventListener("offline", function () {
      if (!blocked) {
        showOffline();
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (unsentCount() > 0) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    // A tablet switching apps may discard the page without beforeunload: send what is typed.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        flush();
      }
    });

    function whenSaved(otherForm) {
      if (versionForms.indexOf(otherForm) === -1) {
        versionForms.push(otherForm);
        setVersion(version);
      }
      otherForm.addEventListener("submit", function (event) {
        if (unsentCount() === 0) {
          return;
        }
        event.preventDefault();
        const submitter = event.submitter || null;
        flush().then(function () {
          if (unsentCount() === 0) {
            // requestSubmit passes this listener again (now with nothing unsent) and keeps the
            // button that was pressed.
            if (otherForm.requestSubmit) {
              otherForm.requestSubmit(submitter);
            } else {
              otherForm.submit();
            }
          }
        });
      });
    }

    return {
      enqueue: enqueue,
      enqueueSoon: enqueueSoon,
      flush: flush,
      unsentCount: unsentCount,
      whenSaved: whenSaved,
      version: function () { return version; },
    };
  }

  // ---- Character counters: the limit is visible before the server has to refuse. ----
  // Every field with maxlength and data-counter (or data-autosave-field) gets one, in an
  // autosaved form or a plain one (a comment, an agreement). The wording comes from the
  // nearest data-text-counter, e.g. "%(count)s of %(max)s characters".

  let counterIds = 0;

  function format(template, count, max) {
    const lang = document.documentElement.lang || undefined;
    return template
      .replace("%(count)s", count.toLocaleString(lang))
      .replace("%(max)s", max.toLocaleString(lang));
  }

  function counter(field) {
    const max = Number(field.getAttribute("maxlength"));
    if (!max || field.dataset.counted) {
      return;
    }
    field.dataset.counted = "1";
    if (!field.id) {
      counterIds += 1;
      field.id = "counted-field-" + counterIds;
    }
    const holder = field.closest("[data-text-counter]");
    const template = holder ? holder.dataset.textCounter : "%(count)s / %(max)s";
    let output = document.querySelector("[data-counter-for=\"" + CSS.escape(field.id) + "\"]");
    if (!output) {
      output = document.createElement("div");
      output.className = "form-text text-end";
      output.dataset.counterFor = field.id;
      field.insertAdjacentElement("afterend", output);
    }
    if (!output.id) {
      output.id = field.id + "-counter";
    }
    // Announcing every keystroke would drown the text being typed; the count is read with the
    // field's description instead.
    output.setAttribute("aria-live", "off");
    const described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(output.id) === -1) {
      described.push(output.id);
      field.setAttribute("aria-describedby", described.join(" "));
    }
    function update() {
      // A textarea's value counts a line break as one character, as maxlength does.
      const count = field.value.length;
      output.textContent = format(template, count, max);
      // Bootstrap's plain text-warning (yellow on white) is unreadable; its emphasis variant
      // has the contrast. The number itself says the same, so colour is not the only signal.
      output.classList.toggle("text-danger", count >= max);
      output.classList.toggle("text-warning-emphasis", count < max && count >= max * 0.9);
    }
    field.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("[maxlength][data-counter], [maxlength][data-autosave-field]")
    .forEach(counter);

  window.Autosave = {attach: attach, counter: counter};
})();
