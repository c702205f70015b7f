// formgen: small enhancements on top of pages that work without script.
"use strict";
(function () {
  // Ladda upp: drag and drop onto the file field, a list of chosen files, upload progress.
  const form = document.getElementById("uppladdning");
  if (form) {
    const input = document.getElementById("filer");
    const zone = document.getElementById("slappyta");
    const list = document.getElementById("fillista");
    const status = document.getElementById("uppladdning-status");
    const showFiles = function () {
      list.replaceChildren();
      Array.from(input.files).forEach(function (file) {
        const item = document.createElement("li");
        const name = document.createElement("span");
        name.textContent = file.name;
        const bar = document.createElement("progress");
        bar.max = 100; bar.value = 0;
        bar.setAttribute("aria-label", "Uppladdning av " + file.name);
        item.append(name, bar);
        list.append(item);
      });
      list.hidden = input.files.length === 0;
    };
    input.addEventListener("change", showFiles);
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        showFiles();
      }
    });
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !input.files.length) { return; }
      event.preventDefault();
      const files = Array.from(input.files);
      const sizes = files.map(function (f) { return f.size; });
      const total = sizes.reduce(function (a, b) { return a + b; }, 0) || 1;
      const bars = list.querySelectorAll("progress");
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-Requested-With", "formgen");
      request.upload.addEventListener("progress", function (e) {
        // Files are sent in order: fill each file's bar as the bytes pass it.
        let left = e.loaded * (e.lengthComputable ? 1 : 0) * (total / (e.total || total));
        sizes.forEach(function (size, i) {
          const part = Math.max(0, Math.min(size, left));
          if (bars[i]) { bars[i].value = size ? Math.round(100 * part / size) : 100; }
          left -= size;
        });
        status.textContent = "Skickar filerna …";
      });
      request.addEventListener("load", function () {
        let answer = {};
        try { answer = JSON.parse(request.responseText); } catch (err) { answer = {}; }
        if (request.status === 202 && answer.adress) {
          status.textContent = "Filerna är mottagna. Granskningen börjar.";
          window.location.assign(answer.adress);
        } else {
          status.textContent = answer.fel || (request.status === 413
            ? "Uppladdningen är för stor. Ladda upp färre eller mindre filer åt gången."
            : "Uppladdningen misslyckades (" + request.status + "). Ladda om sidan och försök igen.");
        }
      });
      request.addEventListener("error", function () {
        status.textContent = "Uppladdningen avbröts. Kontrollera anslutningen och försök igen.";
      });
      request.send(new FormData(form));
    });
  }

  // Inläsning: poll the job's state and update the table until every file is done.
  const job = document.getElementById("jobb");
  if (job) {
    const labels = { queued: "Väntar", reading: "Läses", done: "Klar" };
    const statusLabels = JSON.parse(job.dataset.statusar || "{}");  // the server's Swedish statuses
    const summary = document.getElementById("jobb-sammanfattning");
    const bar = document.getElementById("jobb-forlopp");
    const refresh = document.getElementById("uppdatera-del");
    const poll = function () {
      fetch(job.dataset.adress, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (state) {
          state.files.forEach(function (f) {
            const row = job.querySelector('tr[data-sha="' + f.sha256 + '"]');
            if (!row) { return; }
            row.querySelector(".lage").textContent = labels[f.state] || f.state;
            const cell = row.querySelector(".resultat");
            if (f.status && !cell.dataset.klar) {
              cell.dataset.klar = "1";
              cell.replaceChildren();
              const badge = document.createElement("span");
              badge.className = "status status-" + f.status;
              badge.textContent = statusLabels[f.status] || f.status;
              cell.append(badge);
              if (f.reason) {
                const reason = document.createElement("span");
                reason.className = "orsak";
                reason.textContent = f.reason;
                cell.append(" ", reason);
              }
              if (f.adress) {
                const nameCell = row.querySelector(".filnamn");
                const link = document.createElement("a");
                link.href = f.adress;
                link.textContent = nameCell.textContent.trim();
                nameCell.replaceChildren(link);
              }
            }
          });
          bar.value = state.done;
          if (state.finished) {
            summary.textContent = "Klart: " + state.done + " av " + state.total + " filer är inlästa.";
            if (refresh) { refresh.hidden = true; }
          } else {
            summary.textContent = state.done + " av " + state.total + " filer är inlästa. Sidan uppdateras av sig själv.";
            window.setTimeout(poll, 400);
          }
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    if (job.dataset.klar !== "1") { window.setTimeout(poll, 200); }
  }

  // Inlämning: a finding's link highlights its value on the page and in the form.
  const mark = function (key) {
    document.querySelectorAll(".markerad").forEach(function (el) { el.classList.remove("markerad"); });
    const box = document.getElementById("ruta-" + key);
    const field = document.getElementById("falt-" + key);
    [box, field].forEach(function (el) { if (el) { el.classList.add("markerad"); } });
    const target = box || field;
    if (target) {
      target.scrollIntoView({ block: "center", behavior: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
      if (target.tagName !== "A" && !target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
      target.focus({ preventScroll: true });
    }
  };
  document.querySelectorAll(".fyndlank").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      history.replaceState(null, "", link.getAttribute("href"));
      mark(link.dataset.nyckel);
    });
  });
})();
