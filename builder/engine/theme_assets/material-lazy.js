// Loads mkdocs-material's bundle when the reader first reaches for what needs it (search, the
// header's controls), not with every page: it is the page's largest file (35 KB compressed) and
// its start-up the longest task on a slow phone, while the page reads, navigates and scrolls
// without it (the menus are CSS). Written by Sabaq's theme override (theme/main.html) in place of
// Material's own script tag; builder/engine/material_patches.py lets the bundle start after the
// document has loaded.
(function () {
  "use strict";
  var script = document.currentScript;
  var source = script.getAttribute("data-sabaq-bundle");
  var loaded = false;

  function load() {
    if (loaded) return;
    loaded = true;
    var bundle = document.createElement("script");
    bundle.src = source;
    // Scripts that follow Material's page changes (document$) start following now.
    bundle.addEventListener("load", function () {
      document.dispatchEvent(new Event("sabaq:material-ready"));
    });
    document.body.appendChild(bundle);
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // A page opened from a search result (?h=) marks the words it was found for at once.
  if (new URLSearchParams(location.search).get("h")) {
    load();
    return;
  }
  var header = ".md-header, .md-search, [data-md-toggle=search]";
  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest(header)) load();
  });
  document.addEventListener("pointerdown", function (event) {
    if (event.target.closest && event.target.closest(header)) load();
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-md-toggle=search]")) load();
  });
  // Material's keys for search: open it and put the cursor there, as the bundle would.
  document.addEventListener("keydown", function (event) {
    if (loaded || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    if (event.key !== "/" && event.key !== "s" && event.key !== "f") return;
    var toggle = document.querySelector("[data-md-toggle=search]");
    var input = document.querySelector("[data-md-component=search-query]");
    if (!toggle || !input) return;
    event.preventDefault();
    toggle.checked = true;
    input.focus();
  });
})();
