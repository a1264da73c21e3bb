// Review queue keyboard: c confirm & next, j next, x not an event, s save, u undo.
// Ignored while typing in a field, and on pages other than /review.
(function () {
  const KEYS = {
    c: "review-edit-confirm",
    j: "queue-skip",
    x: "review-edit-not-event",
    s: "review-edit-save",
    u: "review-edit-undo",
  };
  document.addEventListener("keydown", function (ev) {
    if (window.location.pathname !== "/review" || ev.ctrlKey || ev.metaKey || ev.altKey) {
      return;
    }
    const t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
      return;
    }
    const id = KEYS[ev.key];
    const button = id && document.getElementById(id);
    if (button && !button.disabled) {
      ev.preventDefault();
      button.click();
    }
  });
})();
