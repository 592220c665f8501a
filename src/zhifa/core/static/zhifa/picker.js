/* Search-as-you-type pickers: <input data-picker="/cases/pick/officers/" data-picker-for="lead_id">
   searches the JSON endpoint as the person types and, on a choice, puts the row's value into the hidden
   input named by data-picker-for (the field the form posts) and shows the choice's label beside it.
   Endpoints answer {"results": [{"value": ..., "label": ...}]}, scoped to the signed-in user's unit. */
(function () {
  "use strict";
  function bind(input) {
    if (input.dataset.pickerBound) return;
    input.dataset.pickerBound = "1";
    var form = input.form || document;
    var hidden = form.querySelector('input[type="hidden"][name="' + input.dataset.pickerFor + '"]');
    var list = document.createElement("ul");
    list.className = "picker";
    list.setAttribute("role", "listbox");
    var chosen = document.createElement("span");
    chosen.className = "picker-chosen";
    input.insertAdjacentElement("afterend", list);
    input.insertAdjacentElement("afterend", chosen);
    var timer = null, seq = 0;
    function choose(row) {
      if (hidden) hidden.value = row.value;
      chosen.textContent = row.label ? "已选：" + row.label + " " : "";
      if (row.label) {
        var clear = document.createElement("button");
        clear.type = "button";
        clear.className = "link";
        clear.textContent = "清除";
        clear.addEventListener("click", function () { choose({value: "", label: ""}); });
        chosen.appendChild(clear);
      }
      input.value = "";
      list.innerHTML = "";
      input.dispatchEvent(new CustomEvent("picker:chosen", {bubbles: true, detail: row}));
    }
    if (input.dataset.pickerLabel && hidden && hidden.value) choose({value: hidden.value, label: input.dataset.pickerLabel});
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim(), mine = ++seq;
        list.innerHTML = "";
        if (!q) return;
        fetch(input.dataset.picker + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : {results: []}; })
          .then(function (data) {
            if (mine !== seq) return;  // an older answer arriving late
            list.innerHTML = "";
            var rows = data.results || [];
            rows.forEach(function (row) {
              var li = document.createElement("li");
              var b = document.createElement("button");
              b.type = "button";
              b.className = "pick";
              b.textContent = row.label;
              b.addEventListener("click", function () { choose(row); });
              li.appendChild(b);
              list.appendChild(li);
            });
            if (!rows.length) list.innerHTML = '<li class="muted">未找到</li>';
          });
      }, 200);
    });
  }
  function scan(root) {
    (root || document).querySelectorAll("input[data-picker]").forEach(bind);
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:afterSwap", function (e) { scan(e.target); });
})();
