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

/* Behaviour the templates ask for with data- attributes (the Content-Security-Policy allows no inline script):
   data-autosubmit on a select submits its form when changed; data-print prints the page; data-back goes back;
   data-navigate="…{value}…" on a select goes to that address with the chosen value (or in place of its
   data-placeholder). */
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
    el.form.submit();
  } else if (el.hasAttribute && el.hasAttribute("data-navigate")) {
    var placeholder = el.getAttribute("data-placeholder") || "{value}";
    window.location.href = el.getAttribute("data-navigate").replace(placeholder, encodeURIComponent(el.value));
  }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest && event.target.closest("[data-print], [data-back]");
  if (!el) return;
  event.preventDefault();
  if (el.hasAttribute("data-print")) window.print(); else window.history.back();
});

/* The household form's "add a member" button: the new row's index is the current member count, which goes up by
   one when the row arrives. */
document.addEventListener("htmx:configRequest", function (event) {
  var counter = event.detail.elt.getAttribute("data-count-from");
  if (counter) event.detail.parameters.index = document.getElementById(counter).value;
});
document.addEventListener("htmx:afterRequest", function (event) {
  var counter = event.detail.elt.getAttribute && event.detail.elt.getAttribute("data-count-from");
  if (counter && event.detail.successful) {
    var input = document.getElementById(counter);
    input.value = parseInt(input.value, 10) + 1;
  }
});
// The menu's groups: one open at a time; a click elsewhere or Escape closes it.
function closeMenus(except) {
  document.querySelectorAll(".top nav details.menu[open]").forEach(function (d) {
    if (d !== except) d.removeAttribute("open");
  });
}
document.addEventListener("click", function (event) {
  closeMenus(event.target.closest(".top nav details.menu"));
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape") closeMenus(null);
});
