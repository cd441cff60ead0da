/**
 * Reading progress (builder/features/progress): a module page is recorded as opened, and as read
 * once its end has been on screen; a course overview shows modules read, quiz scores, minutes
 * left and a link to continue. Stored in this browser only, under "sabaq:v1:progress:<course>",
 * shared by every language as quiz answers are ("sabaq:v1:<course>/<module>").
 */
(() => {
  "use strict";

  const key = (course) => `sabaq:v1:progress:${course}`;

  function load(course) {
    try {
      const data = JSON.parse(localStorage.getItem(key(course)) || "{}");
      return data && typeof data === "object" && data.modules && typeof data.modules === "object"
        ? data
        : { modules: {} };
    } catch {
      return { modules: {} };
    }
  }

  function store(course, data) {
    try {
      localStorage.setItem(key(course), JSON.stringify(data));
    } catch {
      /* storage switched off: progress is simply not kept */
    }
  }

  /** Records a module as opened, and as read when `end` comes into view; returns its watcher. */
  function followModule(marker, end = document.querySelector("[data-sabaq-module-end]")) {
    const [course, module] = marker.dataset.sabaqModule.split("/");
    const now = new Date().toISOString();
    const data = load(course);
    const entry = (data.modules[module] = data.modules[module] || {});
    entry.opened = entry.opened || now;
    data.last = module;
    store(course, data);
    if (!end || !("IntersectionObserver" in window)) return null;
    const watcher = new IntersectionObserver((seen) => {
      if (!seen.some((item) => item.isIntersecting)) return;
      const latest = load(course);
      const record = (latest.modules[module] = latest.modules[module] || { opened: now });
      record.read = record.read || new Date().toISOString();
      store(course, latest);
      watcher.disconnect();
    });
    watcher.observe(end);
    return watcher;
  }

  /** The score of a module's stored quiz answers: the sum of their scores. */
  function quizScore(course, module) {
    try {
      const results = JSON.parse(localStorage.getItem(`sabaq:v1:${course}/${module}`) || "{}");
      const scores = Object.values(results || {}).map((result) => Number(result && result.score) || 0);
      return scores.length ? { answered: scores.length, score: scores.reduce((a, b) => a + b, 0) } : null;
    } catch {
      return null;
    }
  }

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  const number = (value, language) =>
    new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value);

  function showDashboard(box) {
    const data = JSON.parse(box.querySelector("[data-sabaq-dashboard-data]").textContent);
    const { text, language } = data;
    const progress = load(data.course);
    const read = (module) => Boolean(progress.modules[module.id] && progress.modules[module.id].read);
    const done = data.modules.filter(read);
    const minutesLeft = data.modules.filter((m) => !read(m)).reduce((sum, m) => sum + m.minutes, 0);
    const category = new Intl.PluralRules(language).select(minutesLeft);
    const minutes = fill(text.minutes[category] || text.minutes.other, { count: minutesLeft });
    box.querySelector("[data-sabaq-dashboard-summary]").textContent = fill(text.summary, {
      read: done.length,
      total: data.modules.length,
      left: minutes,
    });
    for (const module of data.modules) {
      const li = box.querySelector(`[data-sabaq-dashboard-module="${CSS.escape(module.id)}"]`);
      if (!li) continue;
      li.dataset.sabaqDashboardRead = String(read(module));
      const parts = [read(module) ? text.read : text.unread];
      const score = module.questions ? quizScore(data.course, module.id) : null;
      if (score) parts.push(fill(text.score, { score: number(score.score, language), total: module.questions }));
      li.querySelector("[data-sabaq-dashboard-state]").textContent = `· ${parts.join(" · ")}`;
    }
    // The course's completion rule (course.yml): every module read, each quiz at the pass mark.
    const passed = (module) => {
      const score = quizScore(data.course, module.id);
      return Boolean(score) && score.answered >= module.questions &&
        (100 * score.score) / module.questions >= data.pass_mark;
    };
    const complete = done.length === data.modules.length &&
      data.modules.every((module) => !module.questions || passed(module));
    const completeArea = box.querySelector("[data-sabaq-dashboard-complete-area]");
    if (completeArea) completeArea.hidden = !complete;
    // Continue: the module last opened if it is not read yet, else the first one not read.
    const last = data.modules.find((m) => m.id === progress.last && !read(m));
    const next = last || data.modules.find((m) => !read(m));
    const area = box.querySelector("[data-sabaq-dashboard-continue-area]");
    area.hidden = !next || Object.keys(progress.modules).length === 0;
    // From the file:// package a folder does not open its index.html by itself.
    const page = location.protocol === "file:" ? "index.html" : "";
    // The one-file course's modules are fragments (features/offline/single_file.py).
    const href = box.dataset.sabaqDashboardHref;
    if (next) {
      box.querySelector("[data-sabaq-dashboard-continue]").href = href
        ? href.replace("{module}", next.id)
        : `${next.id}/${page}`;
    }
    box.hidden = false;
  }

  const refresh = () => document.querySelectorAll("[data-sabaq-dashboard]").forEach(showDashboard);
  function begin() {
    // The one-file course follows the module on screen itself.
    const marker = document.querySelector("[data-sabaq-module]");
    if (marker && !document.documentElement.hasAttribute("data-sabaq-pages")) followModule(marker);
    refresh();
  }
  window.sabaq = window.sabaq || {};
  window.sabaq.progress = { followModule, refresh };
  document.addEventListener("sabaq:wiped", refresh);
  // share.js restored progress from a file.
  document.addEventListener("sabaq:progress-restored", refresh);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", begin);
  else begin();
})();
