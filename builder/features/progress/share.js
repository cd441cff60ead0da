/**
 * The progress file (builder/features/progress), on a course's overview only: "Send my progress"
 * saves what this browser recorded as a JSON file, the same statement shows as a QR code
 * (qrcode.js, loaded when asked for), and a file from another device is checked and added to what
 * is stored here (the earliest dates, each question's better result). Nothing leaves the device
 * unless the reader sends it.
 */
(() => {
  "use strict";

  const key = (course) => `sabaq:v1:progress:${course}`;
  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));

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
      /* storage switched off */
    }
  }

  function quizScore(course, module) {
    const results = Object.values(storedAnswers(course, module));
    if (!results.length) return null;
    return {
      answered: results.length,
      score: results.reduce((sum, result) => sum + (Number(result && result.score) || 0), 0),
    };
  }

  const FILE_VERSION = 1;
  const MAX_FILE_BYTES = 200000;
  const isDate = (value) => typeof value === "string" && value.length <= 40 && !Number.isNaN(Date.parse(value));
  // Where progress.js was loaded from: qrcode.js is beside it, loaded only when asked for.
  const assetBase = document.currentScript ? document.currentScript.src.replace(/[^/]*$/, "") : "";

  function storedName(data) {
    try {
      return (localStorage.getItem(data.name_key) || "").slice(0, 120);
    } catch {
      return "";
    }
  }

  function storedAnswers(course, module) {
    try {
      const results = JSON.parse(localStorage.getItem(`sabaq:v1:${course}/${module}`) || "{}");
      return results && typeof results === "object" && !Array.isArray(results) ? results : {};
    } catch {
      return {};
    }
  }

  /** What this browser recorded for the course, as the progress file states it. */
  function progressFile(data) {
    const progress = load(data.course);
    const modules = {};
    const quizzes = {};
    const answers = {};
    for (const module of data.modules) {
      const entry = progress.modules[module.id];
      if (entry && (isDate(entry.opened) || isDate(entry.read))) {
        modules[module.id] = {};
        if (isDate(entry.opened)) modules[module.id].opened = entry.opened;
        if (isDate(entry.read)) modules[module.id].read = entry.read;
      }
      const score = module.questions ? quizScore(data.course, module.id) : null;
      if (score) {
        quizzes[module.id] = { answered: score.answered, score: score.score, total: module.questions };
        answers[module.id] = storedAnswers(data.course, module.id);
      }
    }
    return {
      format: data.format,
      version: FILE_VERSION,
      course: data.course,
      course_version: data.version,
      language: data.language,
      name: storedName(data),
      exported: new Date().toISOString(),
      modules,
      quizzes,
      answers,
    };
  }

  /** A progress file another device wrote, checked field by field; null if it is not one. */
  function checkedFile(text, data) {
    if (text.length > MAX_FILE_BYTES) return null;
    let file;
    try {
      file = JSON.parse(text);
    } catch {
      return null;
    }
    const plain = (value) => value && typeof value === "object" && !Array.isArray(value);
    if (!plain(file) || file.format !== data.format || file.version !== FILE_VERSION) return null;
    if (file.course !== data.course || !plain(file.modules) || !plain(file.answers || {})) return null;
    const known = new Map(data.modules.map((module) => [module.id, module]));
    const modules = {};
    for (const [id, entry] of Object.entries(file.modules)) {
      if (!known.has(id) || !plain(entry)) return null;
      if ((entry.opened !== undefined && !isDate(entry.opened)) || (entry.read !== undefined && !isDate(entry.read))) return null;
      modules[id] = { opened: entry.opened, read: entry.read };
    }
    const answers = {};
    for (const [id, results] of Object.entries(file.answers || {})) {
      if (!known.has(id) || !plain(results)) return null;
      for (const result of Object.values(results)) {
        if (!plain(result) || typeof result.score !== "number" || result.score < 0 || result.score > 1) return null;
        if (JSON.stringify(result.answer ?? null).length > 4000) return null;
      }
      answers[id] = results;
    }
    return { modules, answers };
  }

  /** Adds a file's progress to this browser's: the earliest dates, and each question's better result. */
  function restore(file, data) {
    const progress = load(data.course);
    for (const [id, entry] of Object.entries(file.modules)) {
      const mine = (progress.modules[id] = progress.modules[id] || {});
      for (const field of ["opened", "read"]) {
        if (entry[field] && (!mine[field] || entry[field] < mine[field])) mine[field] = entry[field];
      }
    }
    store(data.course, progress);
    for (const [id, results] of Object.entries(file.answers)) {
      const key = `sabaq:v1:${data.course}/${id}`;
      const mine = storedAnswers(data.course, id);
      for (const [question, result] of Object.entries(results)) {
        if (!mine[question] || mine[question].score < result.score) mine[question] = result;
      }
      try {
        localStorage.setItem(key, JSON.stringify(mine));
      } catch {
        /* storage off: nothing to restore into */
      }
    }
    return Object.keys(file.modules).length;
  }

  function download(name, text) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  function loadQrLibrary() {
    if (window.qrcode) return Promise.resolve(window.qrcode);
    return new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement("script"), { src: `${assetBase}qrcode.js` });
      script.addEventListener("load", () => resolve(window.qrcode));
      script.addEventListener("error", reject);
      document.head.append(script);
    });
  }

  /** The file's summary as a QR code (no answers: a phone camera reads a small code best). */
  async function showQr(box, data, button) {
    const area = box.querySelector("[data-sabaq-progress-qr-area]");
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    area.hidden = !open;
    if (!open) return;
    const qrcode = await loadQrLibrary();
    const { answers, ...summary } = progressFile(data);
    qrcode.stringToBytes = qrcode.stringToBytesFuncs["UTF-8"];
    const code = qrcode(0, "L");
    code.addData(JSON.stringify(summary), "Byte");
    code.make();
    const cells = code.getModuleCount();
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const size = cells + 8;
    svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", data.text.qr_label);
    svg.setAttribute("data-sabaq-progress-qr-code", "");
    const path = [];
    for (let row = 0; row < cells; row += 1) {
      for (let column = 0; column < cells; column += 1) {
        if (code.isDark(row, column)) path.push(`M${column + 4} ${row + 4}h1v1h-1z`);
      }
    }
    const background = document.createElementNS(svg.namespaceURI, "rect");
    Object.entries({ width: size, height: size, fill: "#fff" }).forEach(([k, v]) => background.setAttribute(k, v));
    const dark = document.createElementNS(svg.namespaceURI, "path");
    dark.setAttribute("d", path.join(""));
    dark.setAttribute("fill", "#000");
    svg.append(background, dark);
    area.replaceChildren(svg);
  }

  function startSharing(box, data) {
    const share = box.querySelector("[data-sabaq-progress-share]");
    if (!share || share.dataset.sabaqStarted) return;
    share.dataset.sabaqStarted = "true";
    const message = box.querySelector("[data-sabaq-progress-message]");
    box.querySelector("[data-sabaq-progress-send]").addEventListener("click", () => {
      const day = new Date().toISOString().slice(0, 10);
      download(`sabaq-progress-${data.course}-${day}.json`, `${JSON.stringify(progressFile(data), null, 1)}\n`);
    });
    const qrButton = box.querySelector("[data-sabaq-progress-qr]");
    qrButton.addEventListener("click", () => showQr(box, data, qrButton).catch(() => {
      message.textContent = data.text.qr_failed;
    }));
    const input = box.querySelector("[data-sabaq-progress-file]");
    box.querySelector("[data-sabaq-progress-restore]").addEventListener("click", () => input.click());
    input.addEventListener("change", async () => {
      const chosen = input.files && input.files[0];
      input.value = "";
      if (!chosen) return;
      const file = chosen.size <= MAX_FILE_BYTES ? checkedFile(await chosen.text(), data) : null;
      if (!file) {
        message.textContent = data.text.bad_file;
        return;
      }
      restore(file, data);
      document.dispatchEvent(new CustomEvent("sabaq:progress-restored"));
      message.textContent = data.text.restored;
    });
  }

  const begin = () =>
    document.querySelectorAll("[data-sabaq-dashboard]").forEach((box) => {
      startSharing(box, JSON.parse(box.querySelector("[data-sabaq-dashboard-data]").textContent));
    });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", begin);
  else begin();
})();
