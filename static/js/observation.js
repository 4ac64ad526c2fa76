/*
 * The observation form during a lesson: every change goes to the server as it happens.
 *
 * Queueing, sending, offline, conflicts and the warning before leaving are autosave.js, the
 * one autosave mechanism; this file only turns the observation's own inputs (scores,
 * indicators, notes per item, key moments) into the changes that observation_apply reads.
 */
(function () {
  "use strict";

  const form = document.getElementById("observation-form");
  if (!form || !window.Autosave) {
    return;
  }
  const autosave = window.Autosave.attach(form);
  // Finalising checks the saved observation, so it waits until everything typed is there.
  autosave.whenSaved(document.getElementById("finalise-form"));
  let moments = 0;

  form.addEventListener("change", function (event) {
    const input = event.target;
    if (input.type === "radio" && input.name.indexOf("item-") === 0) {
      const item = input.name.slice(5);
      const change = input.value === "not_observed"
        ? {type: "score", item: item, not_observed: true}
        : {type: "score", item: item, score: Number(input.value), not_observed: false};
      autosave.enqueue("score-" + item, change);
    } else if (input.dataset.indicator) {
      autosave.enqueue("indicator-" + input.dataset.indicator,
        {type: "indicator", indicator: input.dataset.indicator, observed: input.checked});
    }
  });

  // Notes are sent a moment after typing stops, and at once when the field is left.
  function noteOf(input) {
    if (input.tagName !== "TEXTAREA" || input.name.indexOf("note-") !== 0) {
      return null;
    }
    const item = input.name.slice(5);
    return {
      key: "note-" + item,
      change: function () { return {type: "score", item: item, note: input.value}; },
    };
  }
  form.addEventListener("input", function (event) {
    const note = noteOf(event.target);
    if (note) {
      autosave.enqueueSoon(note.key, note.change);
    }
  });
  form.addEventListener("focusout", function (event) {
    const note = noteOf(event.target);
    if (note) {
      autosave.enqueue(note.key, note.change());
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
    // Each moment is a new one, never a correction of the previous: its own key.
    moments += 1;
    autosave.enqueue("moment-" + moments, {
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
})();
