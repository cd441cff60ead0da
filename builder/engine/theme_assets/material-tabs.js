// mkdocs-material's inline content-tabs script (partials/javascripts/content.html in
// mkdocs-material 9.8.1), moved to a file for the Content-Security-Policy. It runs right after
// the page content, before the theme's bundle: it opens the tab the address points at, and with
// the theme feature "content.tabs.link" (data-sabaq-tabs-link) the tabs the reader chose before.
/* eslint-disable no-var */
(function () {
  if (document.currentScript.hasAttribute("data-sabaq-tabs-link")) {
    var tabs = window.__md_get("__tabs");
    if (Array.isArray(tabs)) {
      document.querySelectorAll(".tabbed-set").forEach(function (set) {
        var labels = set.querySelector(".tabbed-labels");
        var chosen = Array.from(labels.getElementsByTagName("label")).find(function (label) {
          return tabs.indexOf(label.innerText.trim()) >= 0;
        });
        if (chosen) document.getElementById(chosen.htmlFor).checked = true;
      });
    }
  }
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
