/* Doudi: the one script of our own. A form (or the button that submits it) with data-confirm asks before an
   irreversible step, naming what will happen; Cancel leaves the page as it was. */
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
