// mkdocs-material's inline start-up script (partials/javascripts/base.html in mkdocs-material
// 9.8.1), moved to a file so that the Content-Security-Policy can forbid inline scripts. The
// theme's bundle expects these globals before it runs, so this is a classic script, not a module.
// The scope comes from the script tag's data-sabaq-scope attribute (Sabaq's theme override).
/* eslint-disable no-var */
(function () {
  // Sabaq: parts only a script can run are laid out from the first paint when scripts run
  // (assets/sabaq/sabaq.css), so nothing moves when they start.
  document.documentElement.classList.add("sabaq-js");
  var scope = document.currentScript.getAttribute("data-sabaq-scope");
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (text) {
    return Array.from(text).reduce(function (hash, character) {
      return (hash << 5) - hash + character.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try {
      storage.setItem(base.pathname + "." + key, JSON.stringify(value));
    } catch (error) {
      // Storage full or forbidden (private mode): the theme works without it.
    }
  };
})();
