/**
 * The trainers' page for progress files (builder/features/progress/reader.py): opens the files a
 * trainer picks, in this browser only, checks each as untrusted input, and shows them as a table
 * compared with this site's courses, with a CSV copy. The same checks as `sabaq progress read`.
 */
(() => {
  "use strict";

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  const plain = (value) => value && typeof value === "object" && !Array.isArray(value);
  const day = (value) => {
    const time = typeof value === "string" ? Date.parse(value) : NaN;
    return Number.isNaN(time) ? null : new Date(time).toISOString().slice(0, 10);
  };

  const titleOf = (id) =>
    document.querySelector(`[data-sabaq-reader-course="${CSS.escape(id)}"]`)?.textContent || id;

  /** One file's row, or null if it is not a progress file of this site's format. */
  function row(name, text, data) {
    let file;
    try {
      file = JSON.parse(text);
    } catch {
      return null;
    }
    if (!plain(file) || file.format !== data.format || file.version !== 1) return null;
    if (typeof file.course !== "string" || typeof file.course_version !== "string") return null;
    if (!plain(file.modules) || !plain(file.quizzes || {})) return null;
    let read = 0;
    for (const entry of Object.values(file.modules)) {
      if (!plain(entry)) return null;
      if (entry.read !== undefined) {
        if (!day(entry.read)) return null;
        read += 1;
      }
    }
    const scores = [];
    for (const [module, result] of Object.entries(file.quizzes || {})) {
      if (!plain(result) || typeof result.score !== "number" || typeof result.total !== "number") return null;
      scores.push(`${module}: ${result.score}/${result.total}`);
    }
    const course = data.courses[file.course];
    const note = !course ? data.text.unknown_course : course.version !== file.course_version ? data.text.other_version : "";
    return [
      name,
      typeof file.name === "string" ? file.name.slice(0, 120) : "",
      course ? titleOf(file.course) : file.course.slice(0, 80),
      file.course_version.slice(0, 20),
      `${read}/${course ? course.modules : Object.keys(file.modules).length}`,
      scores.join("; "),
      day(file.exported) || "",
      note,
    ];
  }

  function start(root) {
    const data = JSON.parse(root.querySelector("[data-sabaq-reader-data]").textContent);
    const input = root.querySelector("[data-sabaq-reader-files]");
    const table = root.querySelector("[data-sabaq-reader-table]");
    const refused = root.querySelector("[data-sabaq-reader-refused]");
    const csvButton = root.querySelector("[data-sabaq-reader-csv]");
    const rows = [];
    root.querySelector("[data-sabaq-reader-open]").addEventListener("click", () => input.click());
    input.addEventListener("change", async () => {
      for (const chosen of input.files || []) {
        const found = chosen.size <= 200000 ? row(chosen.name, await chosen.text(), data) : null;
        if (found) rows.push(found);
        else refused.append(Object.assign(document.createElement("li"), {
          textContent: fill(data.text.refused, { file: chosen.name }),
        }));
      }
      input.value = "";
      table.tBodies[0].replaceChildren(...rows.map((cells) => {
        const tr = document.createElement("tr");
        tr.append(...cells.map((cell) => Object.assign(document.createElement("td"), { textContent: cell })));
        return tr;
      }));
      table.hidden = csvButton.hidden = rows.length === 0;
    });
    csvButton.addEventListener("click", () => {
      const quote = (cell) => `"${String(cell).replace(/"/g, '""')}"`;
      const header = [...table.tHead.rows[0].cells].map((cell) => cell.textContent);
      const text = [header, ...rows].map((cells) => cells.map(quote).join(",")).join("\n") + "\n";
      const link = Object.assign(document.createElement("a"), {
        href: URL.createObjectURL(new Blob([text], { type: "text/csv" })),
        download: "progress-files.csv",
      });
      document.body.append(link);
      link.click();
      link.remove();
    });
    root.hidden = false;
    document.querySelector("[data-sabaq-reader-needs-js]").hidden = true;
  }

  const begin = () => document.querySelectorAll("[data-sabaq-progress-reader]").forEach(start);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", begin);
  else begin();
})();
