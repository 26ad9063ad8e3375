// Review screen: a selection in the source text fills the start and end of the "add a claim"
// form, in code points (the offsets claims use), and j/k move between claim rows.
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
  var rows = Array.prototype.slice.call(document.querySelectorAll(".claim-row"));
  document.addEventListener("keydown", function (event) {
    if (event.target && /INPUT|SELECT|TEXTAREA/.test(event.target.tagName)) { return; }
    var at = rows.indexOf(document.activeElement);
    if (event.key === "j" && rows.length) { rows[Math.min(at + 1, rows.length - 1)].focus(); }
    if (event.key === "k" && rows.length) { rows[Math.max(at - 1, 0)].focus(); }
    if (at >= 0 && (event.key === "a" || event.key === "r")) {
      var button = rows[at].querySelector("button[value=" + (event.key === "a" ? "accept" : "reject") + "]");
      if (button) { button.click(); }
    }
  });
})();
