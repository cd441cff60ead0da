// mkdocs-material's inline palette script (partials/javascripts/palette.html in mkdocs-material
// 9.8.1), moved to a file for the Content-Security-Policy: it restores the colour scheme the
// reader chose, when the site offers a palette toggle.
/* eslint-disable no-var */
(function () {
  var palette = window.__md_get("__palette");
  if (!palette || !palette.color) return;
  if (palette.color.media === "(prefers-color-scheme)") {
    var light = matchMedia("(prefers-color-scheme: light)").matches;
    var input = document.querySelector(
      light
        ? "[data-md-color-media='(prefers-color-scheme: light)']"
        : "[data-md-color-media='(prefers-color-scheme: dark)']"
    );
    ["media", "scheme", "primary", "accent"].forEach(function (key) {
      palette.color[key] = input.getAttribute("data-md-color-" + key);
    });
  }
  Object.keys(palette.color).forEach(function (key) {
    document.body.setAttribute("data-md-color-" + key, palette.color[key]);
  });
})();
