// Review screen: a selection in the source text fills the start and end of the "add a claim"
// form, in code points (the offsets claims use); j/k move between claim rows, a accepts,
// r rejects, e puts the cursor in the row's edit box. Decisions are sent by htmx and the row
// is swapped in place, so rows are looked up at each key press and the focus is given back
// to the new row after a swap. Without JavaScript the forms post and the page reloads.
(function () {
  "use strict";
  var text = document.getElementById("source-text");
  var form = document.getElementById("add-claim");
  function codePoints(s) { return Array.from(s).length; }
  if (text && form) {
    document.addEventListener("mouseup", function () {
      var sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
      var range = sel.getRangeAt(0);
      if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return; }
      var before = document.createRange();
      before.selectNodeContents(text);
      before.setEnd(range.startContainer, range.startOffset);
      var start = codePoints(before.toString());
      var end = start + codePoints(range.toString());
      form.querySelector("[name=start]").value = start;
      form.querySelector("[name=end]").value = end;
      var value = form.querySelector("[name=value]");
      if (!value.value) { value.value = range.toString(); }
    });
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll(".claim-row")); }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.target && /INPUT|SELECT|TEXTAREA/.test(event.target.tagName)) { return; }
    var all = rows();
    var at = all.indexOf(document.activeElement);
    if (event.key === "j" && all.length) { all[Math.min(at + 1, all.length - 1)].focus(); }
    if (event.key === "k" && all.length) { all[Math.max(at - 1, 0)].focus(); }
    if (at < 0) { return; }
    if (event.key === "a" || event.key === "r") {
      var button = all[at].querySelector("button[value=" + (event.key === "a" ? "accept" : "reject") + "]");
      if (button) { button.click(); }
    }
    if (event.key === "e") {
      var input = all[at].querySelector("input[name=edited_value]");
      if (input) { event.preventDefault(); input.focus(); }
    }
  });
  // The row a decision was sent from: its replacement takes the focus back.
  var pending = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.target.closest ? event.target.closest(".claim-row") : null;
    pending = row ? row.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!pending) { return; }
    var row = document.getElementById(pending);
    pending = null;
    if (row) { row.focus(); }
  });
})();
