/*
 * The conversation's page: its topics and notes are saved by autosave.js, the one autosave
 * mechanism (the textareas marked data-autosave-field need no code here, and the character
 * counters of this page's forms come from there too).
 */
(function () {
  "use strict";

  const form = document.getElementById("conversation-form");
  if (form && window.Autosave) {
    window.Autosave.attach(form);
  }
})();
