/*
 * MERID pages: the coding table of a profile, and the four shares of an estimate.
 *
 * The coding table is saved by autosave.js, the one autosave mechanism. This file turns the
 * rows into the changes merid_topics_apply reads: {type: "topic", id, field...} for a new or
 * changed row, {type: "delete", id} and {type: "order", ids}. A new row's id is made here, so a
 * batch sent twice after a dropped connection updates the row instead of adding a second one.
 * Keyboard: Enter in a topic goes to the next row (adding one at the end), Alt+↑/↓ moves a row;
 * the arrows and the delete button work by keyboard as well, and every move is announced.
 */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function newId() {
    // crypto.randomUUID needs a secure context; getRandomValues works everywhere.
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); });
    return [hex.slice(0, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10), hex.slice(10)]
      .map(function (part) { return part.join(""); }).join("-");
  }

  // ---- The coding table ----

  const form = document.getElementById("merid-topics");
  if (form && window.Autosave) {
    const autosave = window.Autosave.attach(form);
    const rows = document.getElementById("merid-topic-rows");
    const template = document.getElementById("merid-topic-template");
    const announce = document.getElementById("merid-announce");
    const roleNames = JSON.parse(document.getElementById("merid-role-names").textContent);
    const addButton = document.getElementById("merid-topic-add");
    const text = form.dataset;

    addButton.hidden = false;
    document.getElementById("merid-keys-help").hidden = false;

    function allRows() {
      return Array.prototype.slice.call(rows.querySelectorAll("tr[data-topic]"));
    }

    function field(row, name) {
      return row.querySelector("[data-topic-field=\"" + name + "\"]");
    }

    function renumber() {
      allRows().forEach(function (row, index) {
        row.querySelector("[data-topic-number]").textContent = String(index + 1);
      });
    }

    function showRole(row) {
      const key = field(row, "input").value + " " + field(row, "style").value;
      row.querySelector("[data-topic-role]").textContent = roleNames[key] || "";
    }

    function queueField(row, name, soon) {
      const id = row.dataset.topic;
      const input = field(row, name);
      const make = function () {
        const change = {type: "topic", id: id};
        change[name] = input.value;
        return change;
      };
      if (soon) {
        autosave.enqueueSoon("topic-" + id + "-" + name, make);
      } else {
        autosave.enqueue("topic-" + id + "-" + name, make());
      }
    }

    function queueOrder() {
      autosave.enqueue("order", {
        type: "order",
        ids: allRows().map(function (row) { return row.dataset.topic; }),
      });
    }

    function addRow(after) {
      if (allRows().length >= Number(text.maxTopics)) {
        return null;
      }
      const id = newId();
      const holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML.split("__ID__").join(id);
      const row = holder.querySelector("tr");
      if (after && after.nextElementSibling) {
        rows.insertBefore(row, after.nextElementSibling);
      } else {
        rows.appendChild(row);
      }
      renumber();
      autosave.enqueue("topic-" + id + "-new", {type: "topic", id: id});
      if (after && row.nextElementSibling) {
        queueOrder();
      }
      field(row, "label").focus();
      return row;
    }

    function move(row, step) {
      const sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
      if (!sibling) {
        return;
      }
      if (step < 0) {
        rows.insertBefore(row, sibling);
      } else {
        rows.insertBefore(sibling, row);
      }
      renumber();
      queueOrder();
      const list = allRows();
      announce.textContent = format(text.textMoved, {
        position: list.indexOf(row) + 1,
        total: list.length,
      });
    }

    rows.addEventListener("input", function (event) {
      const name = event.target.dataset.topicField;
      if (name === "label" || name === "minutes") {
        queueField(event.target.closest("tr"), name, true);
      }
    });
    rows.addEventListener("change", function (event) {
      const name = event.target.dataset.topicField;
      if (!name) {
        return;
      }
      const row = event.target.closest("tr");
      queueField(row, name, false);
      if (name === "input" || name === "style") {
        showRole(row);
      }
    });
    rows.addEventListener("click", function (event) {
      const button = event.target.closest("button");
      if (!button) {
        return;
      }
      event.preventDefault();
      const row = button.closest("tr");
      if (button.dataset.move) {
        move(row, button.dataset.move === "up" ? -1 : 1);
        button.focus();
      } else if (button.hasAttribute("data-delete")) {
        if (!window.confirm(text.textConfirmDelete)) {
          return;
        }
        const next = row.nextElementSibling || row.previousElementSibling;
        const id = row.dataset.topic;
        row.remove();
        renumber();
        // Every change still waiting for this row becomes the deletion, so a label typed just
        // before cannot be sent after it and bring the topic back.
        ["new", "label", "input", "style", "minutes", "delete"].forEach(function (name) {
          autosave.enqueue("topic-" + id + "-" + name, {type: "delete", id: id});
        });
        (next ? field(next, "label") : addButton).focus();
      }
    });
    rows.addEventListener("keydown", function (event) {
      const row = event.target.closest("tr");
      if (!row) {
        return;
      }
      if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
        event.preventDefault();
        move(row, event.key === "ArrowUp" ? -1 : 1);
        event.target.focus();
      } else if (event.key === "Enter" && event.target.tagName === "INPUT") {
        // Never submit the whole form: go on to the next topic, or start one.
        event.preventDefault();
        const next = row.nextElementSibling;
        if (next) {
          field(next, "label").focus();
        } else if (event.target.dataset.topicField === "label" && !event.target.value.trim()) {
          return;
        } else {
          addRow(row);
        }
      }
    });
    addButton.addEventListener("click", function () {
      addRow(null);
    });
    form.addEventListener("submit", function (event) {
      // The plain form is for pages without JavaScript; here everything is saved already.
      event.preventDefault();
      autosave.flush();
    });
    allRows().forEach(showRole);
  }

  // ---- Estimates: a number and a slider per role, and the running total ----

  document.querySelectorAll("[data-merid-estimate]").forEach(function (group) {
    const total = group.parentElement.querySelector("[data-merid-total]");
    const numbers = Array.prototype.slice.call(group.querySelectorAll("[data-merid-share]"));

    function update() {
      const sum = numbers.reduce(function (acc, input) {
        return acc + (Number(input.value) || 0);
      }, 0);
      let message = format(total.dataset.textTotal, {total: sum});
      if (sum < 100) {
        message += " " + format(total.dataset.textLeft, {left: 100 - sum});
      } else if (sum > 100) {
        message += " " + format(total.dataset.textOver, {over: sum - 100});
      }
      total.textContent = message;
      total.classList.toggle("text-danger", sum !== 100);
      total.classList.toggle("text-success", sum === 100);
    }

    numbers.forEach(function (input) {
      const slider = group.querySelector("[data-merid-slider=\"" + input.dataset.meridShare + "\"]");
      slider.hidden = false;
      slider.addEventListener("input", function () {
        input.value = slider.value;
        update();
      });
      input.addEventListener("input", function () {
        slider.value = input.value || 0;
        update();
      });
    });
    update();
  });
})();
