/**
 * The certificate page (builder/features/certificate): checks the course's completion rule against
 * what this browser stored (modules read: "sabaq:v1:progress:<course>"; quiz answers:
 * "sabaq:v1:<course>/<module>"), and when it is met shows a certificate with the name the reader
 * types, to print or save as PDF with the browser's own print. Nothing leaves the device.
 */
(() => {
  "use strict";

  const read = (key, fallback) => {
    try {
      const value = JSON.parse(localStorage.getItem(key) || "null");
      return value && typeof value === "object" ? value : fallback;
    } catch {
      return fallback;
    }
  };
  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));

  /** The module's stored quiz answers: how many questions were answered, and their score. */
  function quizResult(course, module) {
    const results = Object.values(read(`sabaq:v1:${course}/${module}`, {}));
    const score = results.reduce((sum, result) => sum + (Number(result && result.score) || 0), 0);
    return { answered: results.length, score };
  }

  function start(root) {
    const data = JSON.parse(root.querySelector("[data-sabaq-certificate-data]").textContent);
    const { text, language } = data;
    const progress = read(`sabaq:v1:progress:${data.course}`, {});
    const modules = progress.modules && typeof progress.modules === "object" ? progress.modules : {};
    let readCount = 0;
    let passed = 0;
    let latest = "";
    const quizzes = data.modules.filter((module) => module.questions > 0);
    const scores = [];
    for (const module of data.modules) {
      const entry = modules[module.id] || {};
      if (typeof entry.read === "string") {
        readCount += 1;
        if (entry.read > latest) latest = entry.read;
      }
      if (!module.questions) continue;
      const result = quizResult(data.course, module.id);
      const percent = (100 * result.score) / module.questions;
      if (result.answered >= module.questions && percent >= data.pass_mark) passed += 1;
      scores.push({ id: module.id, score: result.score, total: module.questions });
    }
    const complete = readCount === data.modules.length && passed === quizzes.length;
    const $ = (selector) => root.querySelector(selector);
    $("[data-sabaq-certificate-status]").textContent = complete
      ? text.ready
      : fill(text.not_yet, {
          read: readCount,
          total: data.modules.length,
          passed,
          quizzes: quizzes.length,
          mark: data.pass_mark,
        });
    $("[data-sabaq-certificate-form]").hidden = !complete;
    $("[data-sabaq-certificate-sheet]").hidden = !complete;
    document.querySelector("[data-sabaq-certificate-needs-js]").hidden = true;
    root.hidden = false;
    if (!complete) return;

    const number = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    for (const item of scores) {
      const slot = root.querySelector(
        `[data-sabaq-certificate-module="${CSS.escape(item.id)}"] [data-sabaq-certificate-score]`,
      );
      if (slot) slot.textContent = fill(text.score, { score: number.format(item.score), total: item.total });
    }
    const date = latest ? new Date(latest) : new Date();
    $("[data-sabaq-certificate-date]").textContent = new Intl.DateTimeFormat(language, {
      dateStyle: "long",
    }).format(date);

    const input = $("[data-sabaq-certificate-name-input]");
    const shown = $("[data-sabaq-certificate-name]");
    let name = "";
    try {
      name = localStorage.getItem(data.name_key) || "";
    } catch {
      /* storage switched off: the name is simply not kept */
    }
    input.value = name;
    shown.textContent = name;
    input.addEventListener("input", () => {
      shown.textContent = input.value.trim();
      try {
        localStorage.setItem(data.name_key, input.value.trim());
      } catch {
        /* as above */
      }
    });
    $("[data-sabaq-certificate-print]").addEventListener("click", () => window.print());
  }

  const begin = () => document.querySelectorAll("[data-sabaq-certificate]").forEach(start);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", begin);
  else begin();
})();
