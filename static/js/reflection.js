/*
 * The reflection cycle's page.
 *
 * Saving is autosave.js, the one autosave mechanism: every text marked data-autosave-field is
 * sent without code here. This file adds what is particular to a reflection: the core-qualities
 * chooser (sent as {field: "core_qualities", values: [...]} through the same queue), forms that
 * must wait until everything typed is saved (sharing, withdrawing, "discussed", the next cycle),
 * and folding the observation beside the form away on a narrow screen. Character counters,
 * also on the comment fields, come from autosave.js.
 */
(function () {
  "use strict";

  // ---- The observation beside the form: above the form on a phone, so folded there. ----

  if (window.matchMedia && window.matchMedia("(max-width: 991.98px)").matches) {
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (details) {
      details.open = false;
    });
  }

  const form = document.getElementById("cycle-form");
  if (!form || !window.Autosave) {
    return;
  }
  const autosave = window.Autosave.attach(form);
  document.querySelectorAll("form[data-wait-for-save]").forEach(function (other) {
    autosave.whenSaved(other);
  });

  // ---- Core qualities: tick from the list, or add one's own. ----

  const chooser = document.getElementById("core-qualities");
  if (!chooser) {
    return;
  }
  const list = chooser.querySelector("[data-core-quality-list]");
  const input = document.getElementById("core-quality-new");
  const addButton = document.getElementById("core-quality-add");
  const announce = chooser.querySelector("[data-quality-announce]");
  let added = 0;

  function boxes() {
    return Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
  }

  function queueQualities() {
    autosave.enqueue("core_qualities", {
      field: "core_qualities",
      values: boxes().filter(function (box) { return box.checked; })
        .map(function (box) { return box.value; }),
    });
  }

  list.addEventListener("change", function (event) {
    if (event.target.type === "checkbox") {
      queueQualities();
    }
  });

  function addOwn() {
    const value = input.value.trim();
    if (!value) {
      input.focus();
      return;
    }
    const wanted = value.toLocaleLowerCase();
    let box = boxes().find(function (each) {
      const label = each.labels && each.labels.length ? each.labels[0].textContent.trim() : "";
      return each.value.toLocaleLowerCase() === wanted || label.toLocaleLowerCase() === wanted;
    });
    if (!box) {
      added += 1;
      const wrapper = document.createElement("div");
      wrapper.className = "form-check form-check-inline me-3";
      box = document.createElement("input");
      box.className = "form-check-input";
      box.type = "checkbox";
      box.name = "core_qualities";
      box.value = value;
      box.id = "quality-own-" + added;
      const label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = box.id;
      label.textContent = value;
      wrapper.appendChild(box);
      wrapper.appendChild(label);
      list.appendChild(wrapper);
    }
    box.checked = true;
    input.value = "";
    if (announce) {
      announce.textContent = chooser.dataset.textAdded + " " + value;
    }
    queueQualities();
    input.focus();
  }

  // Without JavaScript the button saves the whole page, the new quality included.
  addButton.addEventListener("click", function (event) {
    event.preventDefault();
    addOwn();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      addOwn();
    }
  });
})();
