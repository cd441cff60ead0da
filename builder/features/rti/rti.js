/**
 * The request builder (builder/features/rti): writes a request for information, explains when
 * the answer is due, and keeps the reader's requests in this browser only. A classic deferred
 * script (module scripts fail on file:// pages); everything it needs is in the page's
 * `data-sabaq-rti-data` JSON block. Nothing is sent anywhere.
 */
(() => {
  "use strict";

  const STATUSES = ["waiting", "answered", "refused"];
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  const MAX_IMPORT_BYTES = 1024 * 1024;

  // --- Dates (UTC days, so a time zone never moves a deadline) -----------------------------------

  const toDay = (iso) => {
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d));
  };
  const toIso = (day) => day.toISOString().slice(0, 10);
  const addDays = (day, n) => new Date(day.getTime() + n * 86400000);
  const isWeekend = (day) => day.getUTCDay() === 0 || day.getUTCDay() === 6;

  /**
   * The due date of a request registered on `sent`, and the public holidays skipped on the way:
   * the twin of workdays.py's `due_date`. The day of registration does not count.
   * @returns {{due: string, skipped: string[]}}
   */
  function dueDate(sent, days, count, holidays) {
    let day = toDay(sent);
    if (count === "calendar") return { due: toIso(addDays(day, days)), skipped: [] };
    const skipped = [];
    for (let left = days; left > 0; ) {
      day = addDays(day, 1);
      const iso = toIso(day);
      if (isWeekend(day)) continue;
      if (holidays.has(iso)) skipped.push(iso);
      else left -= 1;
    }
    return { due: toIso(day), skipped };
  }

  /** A date as the language writes it (CLDR's long format, from the builder). */
  function formatDate(iso, style) {
    const [y, m, d] = iso.split("-");
    return style.template
      .replace("{dd}", d)
      .replace("{d}", String(Number(d)))
      .replace("{m}", style.months[Number(m) - 1])
      .replace("{y}", y);
  }

  const today = () => {
    const now = new Date();
    return toIso(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
  };

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));

  // --- The letter ---------------------------------------------------------------------------------

  /** The letter in `language`: the twin of page.py's `_letter_lines`. */
  function writeLetter(data, country, language, values) {
    const letter = data.letters[language];
    const t = letter.text;
    const law = letter.countries[country.id];
    const lines = [
      fill(t.rti_letter_to, values),
      fill(t.rti_letter_from, values),
      fill(t.rti_letter_address, values),
      fill(t.rti_letter_contact, values),
    ];
    if (country.extra.includes("iin")) lines.push(fill(t.rti_letter_iin, values));
    lines.push("", t.rti_letter_subject, "");
    lines.push(
      law.article
        ? fill(t.rti_letter_request_article, { law: law.law, article: law.article })
        : fill(t.rti_letter_request, { law: law.law }),
    );
    lines.push(t.rti_letter_ask, values.information, "");
    if (values.journalist) lines.push(t.rti_letter_journalist);
    lines.push(
      country.deadline.confidence === "confirmed"
        ? fill(t.rti_letter_deadline, { days: law.days })
        : t.rti_letter_deadline_ask,
    );
    lines.push(t.rti_letter_close, "", fill(t.rti_letter_date, { date: formatDate(values.sent, letter.dates) }));
    if (country.extra.includes("signature")) lines.push(t.rti_letter_signature);
    return lines.join("\n");
  }

  // --- Saved requests, in this browser only -------------------------------------------------------

  function load(key) {
    try {
      const list = JSON.parse(localStorage.getItem(key) || "[]");
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  }

  function store(key, list) {
    try {
      localStorage.setItem(key, JSON.stringify(list));
      return true;
    } catch {
      return false;
    }
  }

  const isText = (value, max) => typeof value === "string" && value.length <= max;

  /** A request from a file, kept only if every field is what Sabaq writes; else null. */
  function cleanRequest(item, data) {
    if (!item || typeof item !== "object") return null;
    const ok =
      isText(item.id, 64) && /^[a-z0-9-]+$/.test(item.id) &&
      data.countries.some((c) => c.id === item.country) &&
      item.language in data.letters &&
      isText(item.body, 1000) && isText(item.information, 10000) && isText(item.letter, 30000) &&
      isText(item.sent, 10) && ISO_DATE.test(item.sent) &&
      isText(item.due, 10) && ISO_DATE.test(item.due) &&
      STATUSES.includes(item.status);
    if (!ok) return null;
    const { id, country, language, body, information, letter, sent, due, status } = item;
    return { id, country, language, body, information, letter, sent, due, status };
  }

  /** The requests in an exported file, or null if it is not one Sabaq wrote. */
  function parseExport(text, data) {
    let file;
    try {
      file = JSON.parse(text);
    } catch {
      return null;
    }
    if (!file || file.format !== data.format || file.version !== 1) return null;
    if (!Array.isArray(file.requests) || file.requests.length > 1000) return null;
    const requests = file.requests.map((item) => cleanRequest(item, data));
    return requests.includes(null) ? null : requests;
  }

  function download(name, type, text) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type }));
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  // --- The page -----------------------------------------------------------------------------------

  function start(root) {
    const data = JSON.parse(root.querySelector("[data-sabaq-rti-data]").textContent);
    const text = data.text;
    const $ = (selector) => root.querySelector(selector);
    const form = $("[data-sabaq-rti-form]");
    const result = $("[data-sabaq-rti-result]");
    const saved = $("[data-sabaq-rti-saved]");
    const countries = new Map(data.countries.map((c) => [c.id, c]));
    let current = null;

    $("[data-sabaq-rti-needs-js]").hidden = true;
    form.hidden = false;
    saved.hidden = false;
    form.elements.sent.value = today();

    const country = () => countries.get(form.elements.country.value);
    const showCountryFields = () => {
      $('[data-sabaq-rti-field="iin"]').hidden = !country().extra.includes("iin");
    };
    form.elements.country.addEventListener("change", showCountryFields);
    showCountryFields();

    function explainDue(chosen, sent) {
      const holidays = new Set(chosen.holidays);
      const { due, skipped } = dueDate(sent, chosen.deadline.days, chosen.deadline.count, holidays);
      const lines = [
        fill(text.due, {
          days: chosen.days,
          start: formatDate(sent, data.dates),
          due: formatDate(due, data.dates),
        }),
      ];
      if (skipped.length) {
        lines.push(fill(text.due_skipped, { dates: skipped.map((d) => formatDate(d, data.dates)).join(", ") }));
      }
      if (chosen.deadline.confidence !== "confirmed") {
        lines.push(fill(text.due_uncertain, { days: chosen.days }));
      }
      if (chosen.extension) lines.push(fill(text.extension, { rule: chosen.extension }));
      lines.push(fill(text.years_known, { years: data.years.join(", ") }));
      const box = $("[data-sabaq-rti-due]");
      box.replaceChildren(...lines.map((line) => Object.assign(document.createElement("p"), { textContent: line })));
      return due;
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = country();
      const needed = ["name", "address", "contact", "body", "information", "sent"];
      if (chosen.extra.includes("iin")) needed.splice(3, 0, "iin");
      const missing = needed.filter((name) => {
        const field = form.elements[name];
        const empty = !field.value.trim() || (name === "sent" && !ISO_DATE.test(field.value));
        field.setAttribute("aria-invalid", String(empty));
        return empty;
      });
      const errors = $("[data-sabaq-rti-errors]");
      if (missing.length) {
        errors.textContent = fill(text.required, { fields: missing.map((n) => text.labels[n]).join(", ") });
        form.elements[missing[0]].focus();
        return;
      }
      errors.textContent = "";
      const values = Object.fromEntries(
        ["name", "address", "contact", "iin", "body", "information", "sent"].map((n) => [n, form.elements[n].value.trim()]),
      );
      values.journalist = form.elements.journalist.checked;
      const language = form.elements.letter_language.value;
      const letter = writeLetter(data, chosen, language, values);
      const due = explainDue(chosen, values.sent);
      const pre = $("[data-sabaq-rti-letter]");
      pre.textContent = letter;
      pre.lang = language;
      result.hidden = false;
      $("[data-sabaq-rti-status]").textContent = "";
      current = { country: chosen.id, language, body: values.body, information: values.information, letter, sent: values.sent, due };
      result.querySelector("h2").tabIndex = -1;
      result.querySelector("h2").focus();
    });

    const say = (selector, message) => {
      $(selector).textContent = message;
    };

    const actions = {
      async copy() {
        try {
          await navigator.clipboard.writeText(current.letter);
        } catch {
          const range = document.createRange();
          range.selectNodeContents($("[data-sabaq-rti-letter]"));
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          document.execCommand("copy");
        }
        say("[data-sabaq-rti-status]", text.copied);
      },
      print() {
        window.print();
      },
      download() {
        download(`request-${current.country}-${current.sent}.txt`, "text/plain;charset=utf-8", current.letter);
      },
      save() {
        const list = load(data.storage);
        const id = `r${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
        list.push({ id, ...current, status: "waiting" });
        if (store(data.storage, list)) say("[data-sabaq-rti-status]", text.saved);
        render();
      },
      export() {
        const file = { format: data.format, version: 1, exported: today(), requests: load(data.storage) };
        download(`sabaq-requests-${today()}.json`, "application/json", JSON.stringify(file, null, 2));
      },
      import() {
        $("[data-sabaq-rti-file]").click();
      },
      wipe() {
        $("[data-sabaq-rti-confirm]").hidden = false;
        $('[data-sabaq-rti-action="wipe-no"]').focus();
      },
      "wipe-yes"() {
        try {
          localStorage.removeItem(data.storage);
        } catch {
          /* nothing stored, nothing to erase */
        }
        $("[data-sabaq-rti-confirm]").hidden = true;
        render();
        say("[data-sabaq-rti-saved-status]", text.wiped);
      },
      "wipe-no"() {
        $("[data-sabaq-rti-confirm]").hidden = true;
        $('[data-sabaq-rti-action="wipe"]').focus();
      },
    };

    root.addEventListener("click", (event) => {
      const button = event.target.closest("[data-sabaq-rti-action]");
      if (button && actions[button.dataset.sabaqRtiAction]) actions[button.dataset.sabaqRtiAction]();
      const remove = event.target.closest("[data-sabaq-rti-delete]");
      if (remove) {
        store(data.storage, load(data.storage).filter((item) => item.id !== remove.dataset.sabaqRtiDelete));
        render();
      }
    });

    $("[data-sabaq-rti-file]").addEventListener("change", async (event) => {
      const file = event.target.files[0];
      event.target.value = "";
      if (!file) return;
      const requests = file.size <= MAX_IMPORT_BYTES ? parseExport(await file.text(), data) : null;
      if (!requests) {
        say("[data-sabaq-rti-saved-status]", text.import_bad);
        return;
      }
      const list = load(data.storage);
      const known = new Set(list.map((item) => item.id));
      const added = requests.filter((item) => !known.has(item.id));
      store(data.storage, list.concat(added));
      render();
      const category = new Intl.PluralRules(data.language).select(added.length);
      say("[data-sabaq-rti-saved-status]", fill(text.imported[category] || text.imported.other, { count: added.length }));
    });

    root.addEventListener("change", (event) => {
      const select = event.target.closest("[data-sabaq-rti-state]");
      if (!select) return;
      const list = load(data.storage);
      const item = list.find((entry) => entry.id === select.dataset.sabaqRtiState);
      if (item && STATUSES.includes(select.value)) item.status = select.value;
      store(data.storage, list);
      render();
    });

    function render() {
      const list = load(data.storage).map((item) => cleanRequest(item, data)).filter(Boolean);
      $("[data-sabaq-rti-empty]").hidden = list.length > 0;
      const items = list.map((item) => {
        const li = document.createElement("li");
        li.dataset.sabaqRtiRequest = item.id;
        const overdue = item.status === "waiting" && today() > item.due;
        const state = overdue ? "overdue" : item.status;
        li.dataset.sabaqRtiRequestStatus = state;
        const heading = Object.assign(document.createElement("p"), {
          textContent: fill(text.sent_on, { date: formatDate(item.sent, data.dates), body: item.body }),
        });
        const due = Object.assign(document.createElement("p"), {
          textContent: `${fill(text.due_on, { date: formatDate(item.due, data.dates) })} · ${text[`status_${state}`]}`,
        });
        const label = document.createElement("label");
        const select = document.createElement("select");
        select.dataset.sabaqRtiState = item.id;
        for (const status of STATUSES) {
          select.append(new Option(text[`status_${status}`], status, false, status === item.status));
        }
        label.append(`${text.status} `, select);
        const appeal = countries.get(item.country)?.appeal || "";
        const next = Object.assign(document.createElement("p"), {
          textContent: fill(text[`next_${state}`], { appeal }),
        });
        const remove = Object.assign(document.createElement("button"), {
          type: "button",
          // The theme's button style, as the page's own buttons carry it (builder/engine/material_classes.py).
          className: root.querySelector("[data-sabaq-rti-action]")?.className || "",
          textContent: text.delete,
        });
        remove.dataset.sabaqRtiDelete = item.id;
        li.append(heading, due, label, next, remove);
        return li;
      });
      $("[data-sabaq-rti-list]").replaceChildren(...items);
    }

    render();
  }

  const begin = () => document.querySelectorAll("[data-sabaq-rti]").forEach(start);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", begin);
  else begin();
})();
